package io.ringstack.tcp;

import io.ringstack.iface.Timers;


/**
 * One connection's transmission control block (RFC 9293 section 3.3.1) and what hangs off it: the shared
 * {@link TcpStream}, timers, RTT estimator, congestion controller, SACK scoreboard and reassembly queue.
 * Preallocated in a {@link TcpConnectionTable} slot and reused; the stream and its rings are allocated the first
 * time the slot is used and kept for its later lives. Engine thread only, except the stream.
 * <pre>
 *  Send sequence space                          Receive sequence space
 *
 *       1         2          3          4             1          2          3
 *  ----------|----------|----------|----------   ----------|----------|----------
 *         SND.UNA    SND.NXT    SND.UNA                 RCV.NXT    RCV.NXT
 *                              +SND.WND                          +RCV.WND
 *
 *  1 acknowledged   2 sent, unacknowledged       1 acknowledged and in the receive ring
 *  3 allowed to send  4 future                   2 acceptable (out-of-order bytes land here)
 *                                                3 not yet allowed
 * </pre>
 * The send ring's head byte has sequence number {@link #sendRingSequence}: bytes stay in the ring from the moment
 * the application writes them until they are acknowledged. {@link #sendMax} is the highest sequence number ever
 * sent; after a retransmission timeout SND.NXT goes back to SND.UNA while SND.MAX stays.
 */
final class TcpConnection
{
    static final int TIMER_RETRANSMISSION = 0;
    static final int TIMER_DELAYED_ACK = 1;
    static final int TIMER_IDLE = 2;
    static final int TIMER_PACING = 5;

    final int index;
    final ConnectionTimer retransmissionTimer;
    final ConnectionTimer delayedAckTimer;
    /** Keepalive in ESTABLISHED and CLOSE-WAIT; the orphan timeout in FIN-WAIT-2. */
    final ConnectionTimer idleTimer;
    /** Ends a pacing hold ({@link Pacing}): the connection may send again. */
    final ConnectionTimer pacingTimer;
    final RttEstimator rtt;
    final CongestionControl congestion;
    final DeliveryRate deliveryRate = new DeliveryRate();
    final SackScoreboard scoreboard;
    final ReassemblyQueue reassembly;
    TcpStream stream;
    /** RACK's state and transmit log, allocated with the stream. */
    Rack rack;

    TcpState state = TcpState.CLOSED;
    boolean inUse;
    /** In the table's index, and counted as a user of its local port. */
    boolean indexed;
    long key;
    int localAddress;
    int remoteAddress;
    int localPort;
    int remotePort;
    /** The socket slot of the application that holds the connection, or -1. */
    int slot = -1;
    /** An application socket holds the connection: it is not freed before that socket is closed. */
    boolean attached;
    /** The slot of the listener whose accept queue holds the connection, or -1. */
    int listenerSlot = -1;
    /** Opened by a listener (passive open) rather than by connect. */
    boolean passive;

    int initialSendSequence;
    int sendUnacknowledged;
    int sendNext;
    int sendMax;
    /**
     * The end of the last segment of new data sent shorter than its MSS multiple (Linux's {@code snd_sml}): Nagle
     * holds a small segment only while this one is unacknowledged (Minshall's variant).
     */
    int smallSegmentEnd;
    int sendWindowUpdateSequence;
    int sendWindowUpdateAck;
    long sendWindow;
    long maxSendWindow;
    int sendWindowShift;
    int sendRingSequence;
    int sendMss;
    /** The most {@link #sendMss} may be whatever the path: the peer's MSS and ours, less after a black hole. */
    int sendMssLimit;
    /** {@code Ipv4Output.pathMtuGeneration()} when {@link #sendMss} last followed the path MTU. */
    int pathMtuGeneration;
    boolean finQueued;
    int finSequence;

    int receiveNext;
    int receiveWindowShift;
    int advertisedEdge;
    int lastAckSent;
    int receiveMss;
    boolean finReceived;
    boolean outOfOrderFin;
    int outOfOrderFinSequence;

    /** Both sides sent window scale options (RFC 7323 section 2.2): the shifts below apply. */
    boolean windowScaling;
    boolean timestamps;
    boolean sackPermitted;
    int timestampRecent;
    long timestampRecentNs;
    int timestampOffset;

    /** Both SYNs agreed on ECN (RFC 3168 6.1.1); see {@link ExplicitCongestion}. */
    boolean ecnEnabled;
    /** A CE mark arrived and the peer's CWR has not: every segment sent carries ECE (RFC 3168 6.1.3). */
    boolean ecnEcho;
    /** The window was reduced for an ECE: the next segment of new data carries CWR (RFC 3168 6.1.2). */
    boolean ecnCwrPending;
    /** SND.MAX at the last reduction for an ECE: no other until SND.UNA passes it (once per window of data). */
    int ecnReductionEnd;

    /** A duplicate arrived: the next ACK leads with a D-SACK block for it (RFC 2883). */
    boolean dsackPending;
    int dsackStart;
    int dsackEnd;

    int segmentsSinceAck;
    boolean ackNow;
    /**
     * Set while the connection's index waits in {@link TcpOutputQueue}, which alone clears it: the index may outlive
     * the connection (freed and opened again in one duty cycle), so {@link #open} leaves it as it is, and the index is
     * never queued twice.
     */
    boolean flushQueued;

    int retransmissions;
    boolean persisting;
    /** The retransmission timer runs the tail loss probe's timeout, not the RTO. */
    boolean lossProbeArmed;
    /** A tail loss probe went out and no ACK of new data has come since. */
    boolean lossProbeSent;
    /** The retransmission timer runs RACK's reordering timer (RFC 8985 section 6.3), not the RTO. */
    boolean rackTimerArmed;

    /** When the pacing rate lets the next segment go ({@link Pacing}). */
    long pacingReleaseNs;

    /** The most bytes outstanding since SND.UNA last passed {@link #flightPeakEnd} (see {@code TcpSender}). */
    long flightPeak;
    int flightPeakEnd;

    int duplicateAcks;
    boolean inRecovery;
    int recoveryPoint;
    long recoveryWindow;
    /** NewReno: the highest sequence number resent in this recovery. */
    int retransmitHighest;

    /** A window reduction runs ({@link ProportionalRateReduction}): RFC 6937's RecoverFS, prr_delivered, prr_out. */
    boolean prrActive;
    long prrRecoverFs;
    long prrDelivered;
    long prrOut;
    /** The pipe after the reduction's last ACK plus the sndcnt it allowed: the window the sender sends against. */
    long prrWindow;

    /** An undo episode is open ({@link RecoveryUndo}): what it would restore, and how it decides. */
    boolean undoOpen;
    boolean undoEifelPending;
    long undoWindow;
    long undoThreshold;
    int undoMarker;
    int undoStamp;
    int undoRetransmissions;
    long undoLastRetransmissionNs;

    /** The socket options the connection's application set: Nagle, linger, keepalive. */
    final TcpSocketOptions options;
    int keepAliveProbesSent;
    long lastReceiveNs;
    /** The errno of the last ICMP error since the last acceptable ACK, reported if the connection times out. */
    int softError;

    TcpConnection(final int index, final CongestionControl congestion, final RttEstimator rtt,
        final TcpSocketOptions options, final int reassemblyRanges, final int scoreboardRanges)
    {
        this.index = index;
        this.options = options;
        this.congestion = congestion;
        this.rtt = rtt;
        retransmissionTimer = new ConnectionTimer(TIMER_RETRANSMISSION, index);
        delayedAckTimer = new ConnectionTimer(TIMER_DELAYED_ACK, index);
        idleTimer = new ConnectionTimer(TIMER_IDLE, index);
        pacingTimer = new ConnectionTimer(TIMER_PACING, index);
        reassembly = new ReassemblyQueue(reassemblyRanges);
        scoreboard = new SackScoreboard(scoreboardRanges);
    }

    /**
     * Make the slot a fresh connection in CLOSED with no peer yet; the stream is reset for a new owner.
     */
    void open(final int localAddress, final int localPort, final int remoteAddress, final int remotePort,
        final TcpSocketOptions options)
    {
        inUse = true;
        state = TcpState.CLOSED;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        key = TcpConnectionTable.key(remoteAddress, remotePort, localPort);
        slot = -1;
        attached = false;
        listenerSlot = -1;
        passive = false;
        stream.reset(options.sendBufferBytes, options.receiveBufferBytes);

        sendWindow = 0;
        maxSendWindow = 0;
        sendWindowShift = 0;
        finQueued = false;
        receiveWindowShift = 0;
        windowScaling = false;
        finReceived = false;
        outOfOrderFin = false;
        timestamps = false;
        sackPermitted = false;
        ecnEnabled = false;
        ecnEcho = false;
        ecnCwrPending = false;
        timestampRecent = 0;
        timestampRecentNs = 0;
        segmentsSinceAck = 0;
        dsackPending = false;
        ackNow = false;
        retransmissions = 0;
        persisting = false;
        lossProbeArmed = false;
        lossProbeSent = false;
        rackTimerArmed = false;
        undoOpen = false;
        flightPeak = 0;
        pacingReleaseNs = 0;
        deliveryRate.reset();
        duplicateAcks = 0;
        inRecovery = false;
        prrActive = false;
        keepAliveProbesSent = 0;
        softError = 0;
        reassembly.clear();
        scoreboard.clear();
        rack.reset();
        rtt.reset();

        this.options.copyFrom(options);
    }

    /**
     * @return whether the connection logs its transmissions ({@link TransmitLog}): for RACK on a SACK connection, and
     * for the delivery rate samples of a controller that loss does not reduce (BBR) on any.
     */
    boolean logsTransmissions()
    {
        return sackPermitted || !congestion.reducesOnCongestion();
    }

    /**
     * Return the slot to the table: stop every timer.
     */
    void release(final Timers timers)
    {
        retransmissionTimer.cancel(timers);
        delayedAckTimer.cancel(timers);
        idleTimer.cancel(timers);
        pacingTimer.cancel(timers);
        inUse = false;
        state = TcpState.CLOSED;
        slot = -1;
        attached = false;
        listenerSlot = -1;
    }

    /**
     * Choose the initial sequence number: SND.UNA = ISS, SND.NXT = SND.MAX = ISS, data starts at ISS + 1; the
     * NewReno recovery point starts at ISS (RFC 6582 section 3.2 step 1).
     */
    void initialSequence(final int iss)
    {
        initialSendSequence = iss;
        recoveryPoint = iss;
        sendUnacknowledged = iss;
        sendNext = iss;
        sendMax = iss;
        smallSegmentEnd = iss;
        flightPeakEnd = iss;
        ecnReductionEnd = iss;
        sendRingSequence = iss + 1;
    }

    /**
     * The peer's SYN arrived: RCV.NXT = IRS + 1.
     */
    void peerInitialSequence(final int irs)
    {
        receiveNext = irs + 1;
        lastAckSent = irs + 1;
        advertisedEdge = irs + 1;
    }

    /**
     * @return the sequence number just past the last byte the application has written.
     */
    int dataEnd()
    {
        return sendRingSequence + stream.sendRing().written();
    }

    boolean isFinSent()
    {
        return finQueued && SequenceNumbers.after(sendMax, finSequence);
    }

    boolean isFinAcknowledged()
    {
        return finQueued && SequenceNumbers.after(sendUnacknowledged, finSequence);
    }

    /**
     * @return the window the peer allows, scaled, as a sequence number: SND.UNA + SND.WND.
     */
    int sendWindowEdge()
    {
        return sendUnacknowledged + (int)Math.min(sendWindow, Integer.MAX_VALUE);
    }

    public String toString()
    {
        return "TcpConnection{" + index + " " + state + " " + localPort + "->" + remotePort + " una=" +
            sendUnacknowledged + " nxt=" + sendNext + " max=" + sendMax + " rcv=" + receiveNext + "}";
    }
}
