package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The engine's TCP: where segments, commands, doorbells and timers meet. It owns every piece of TCP state on the
 * engine thread:
 * <pre>
 *   segment ──► connection table ──► TcpInput (per-connection state machine) ──► TcpSender
 *           └─► TIME-WAIT table ──► ACK, or a reopening SYN goes on to the listener
 *           └─► half-open queue ──► TcpPassiveOpen completes the handshake
 *           └─► listener ─────────► TcpPassiveOpen: half-open entry or SYN cookie
 *           └─► nothing: RST (RFC 9293 3.10.7.1)
 *
 *   commands (open, bind, listen, connect, accept, shutdown, close, options) ──► TcpSocketCommands
 *   doorbells (the application moved bytes in a ring) ──► connection marked for output
 *   end of every duty cycle: flush ──► TcpSender for every marked connection
 * </pre>
 * Here live what the parts share: option negotiation, the connection lifecycle (established, reset, aborted,
 * finished, TIME-WAIT, freed), the challenge ACK budget and the timer dispatch. Marking connections and sending at
 * the end of the duty cycle lets one ACK answer a batch of segments. Engine thread only; the segment path
 * allocates nothing.
 */
public final class TcpEngine implements TimerListener, MessageHandler
{
    private static final int MAX_WINDOW_SHIFT = 14;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Settings settings;
    private final Ipv4Output output;
    private final NetworkDevice device;
    private final EngineCounters counters;
    private final Timers timers;
    private final TcpTap tap;
    private final TcpSocketBoard board;
    private final TcpConnectionTable table;
    private final TcpPortTable ports;
    private final SynQueue synQueue;
    private final TimeWaitTable timeWait;
    private final TcpSegmentOutput segments;
    private final TcpSender sender;
    private final TcpTimeouts timeouts;
    private final TcpInput input;
    private final TcpSocketCommands commands;
    private final TcpPassiveOpen passiveOpen;
    private final TcpOptions options = new TcpOptions();

    private int[] pending;
    private int[] draining;
    private int pendingCount;
    private long challengeWindowStartNs;
    private int challengeAcksInWindow;
    private long nowNs;

    /**
     * @param tap where TCP reports frames, doorbells and its looks at the application's rings.
     * @param loopback the engine's loopback ring, whose free space bounds what TCP sends to local destinations.
     * @param device the engine's device (its MTU sets the MSS of off-host routes), or {@code null}.
     */
    public TcpEngine(
        final Settings settings,
        final TcpTap tap,
        final Ipv4Output output,
        final OneToOneRingBuffer loopback,
        final NetworkDevice device,
        final EngineCounters counters,
        final Timers timers)
    {
        this.settings = settings;
        this.output = output;
        this.device = device;
        this.counters = counters;
        this.timers = timers;
        this.tap = tap;
        final int slots = settings.intValue(Setting.MAX_SOCKETS);
        board = new TcpSocketBoard(slots);
        table = new TcpConnectionTable(settings);
        ports = new TcpPortTable(2 * (settings.intValue(Setting.TCP_MAX_CONNECTIONS) +
            settings.intValue(Setting.TCP_TIME_WAIT_CAPACITY) + slots));
        synQueue = new SynQueue(settings.intValue(Setting.TCP_SYN_QUEUE_CAPACITY));
        timeWait = new TimeWaitTable(settings.intValue(Setting.TCP_TIME_WAIT_CAPACITY));
        segments = new TcpSegmentOutput(output, loopback, counters);
        sender = new TcpSender(this, segments, timers, counters, settings);
        timeouts = new TcpTimeouts(this, sender, timers, counters, settings);
        final TcpAckProcessor acks = new TcpAckProcessor(this, timers, new LossRecovery(sender, counters));
        input = new TcpInput(this, sender, acks, timeouts, counters);
        commands = new TcpSocketCommands(
            this, settings, counters, output, board, table, ports, timeWait, sender, timeouts);
        passiveOpen = new TcpPassiveOpen(
            this, commands, settings, counters, timers, options, table, ports, synQueue, segments, input);
        pending = new int[table.capacity()];
        draining = new int[table.capacity()];
    }

    /**
     * @return what application threads share with this engine's TCP.
     */
    public TcpSocketBoard board()
    {
        return board;
    }

    /**
     * @return connections in use, TIME-WAIT not included.
     */
    public int liveConnections()
    {
        return table.live();
    }

    public int timeWaitConnections()
    {
        return timeWait.size();
    }

    boolean offersSack()
    {
        return settings.flag(Setting.TCP_SACK);
    }

    boolean offersTimestamps()
    {
        return settings.flag(Setting.TCP_TIMESTAMPS);
    }

    // ------------------------------------------------------------------------------------------- segment demux

    /**
     * A TCP segment with a valid checksum arrived for one of our addresses.
     *
     * @param broadcast the segment was sent to a broadcast address: never answered.
     * @return {@code null} when delivered, else the reason it was dropped.
     */
    public DropReason onSegment(
        final Ipv4Packet ip, final TcpSegment segment, final boolean broadcast, final long nowNs)
    {
        this.nowNs = nowNs;
        if (broadcast)
        {
            return DropReason.TCP_NO_CONNECTION;
        }
        if (options.wrap(segment.buffer(), segment.optionsOffset(), segment.optionsLength()) != TcpOptions.VALID)
        {
            return DropReason.TCP_BAD_OPTIONS;
        }
        final int localAddress = ip.destination();
        final long key = TcpConnectionTable.key(ip.source(), segment.sourcePort(), segment.destinationPort());
        final TcpConnection connection = table.lookup(key, localAddress);
        if (connection != null)
        {
            return input.onSegment(connection, segment, options, nowNs);
        }
        final int timeWaitEntry = timeWait.lookup(key, localAddress);
        if (timeWaitEntry >= 0 && !isReopeningSyn(timeWaitEntry, segment))
        {
            return onTimeWaitSegment(timeWaitEntry, segment, nowNs);
        }
        final int halfOpen = synQueue.lookup(key, localAddress);
        if (halfOpen >= 0)
        {
            return passiveOpen.onHalfOpenSegment(halfOpen, ip, segment, nowNs);
        }
        final int listenerSlot = ports.listener(segment.destinationPort());
        if (listenerSlot >= 0 && commands.listener(listenerSlot).accepts(localAddress))
        {
            return passiveOpen.onListenerSegment(commands.listener(listenerSlot), ip, segment, key, nowNs);
        }
        segments.replyReset(ip, segment, nowNs);
        return DropReason.TCP_NO_CONNECTION;
    }

    /**
     * RFC 6191 and Linux: a SYN whose sequence number (or timestamp) is past what TIME-WAIT remembers may start a
     * new incarnation of the pair; the TIME-WAIT entry goes and the SYN reaches the listener.
     */
    private boolean isReopeningSyn(final int entry, final TcpSegment segment)
    {
        if (!segment.isSyn() || segment.isAck() || segment.isRst())
        {
            return false;
        }
        final boolean newer = SequenceNumbers.after(segment.sequenceNumber(), timeWait.receiveNext[entry]) ||
            (timeWait.timestamps[entry] && options.hasTimestamps() &&
            SequenceNumbers.after(options.timestampValue(), timeWait.timestampRecent[entry]));
        if (newer)
        {
            removeTimeWait(entry);
        }
        return newer;
    }

    /**
     * RFC 9293 TIME-WAIT: a retransmitted FIN is acknowledged and restarts the 2 MSL wait; an RST at RCV.NXT ends
     * the wait (as on Linux, RFC 1337 notwithstanding); anything else occupying sequence space gets an ACK.
     */
    private DropReason onTimeWaitSegment(final int entry, final TcpSegment segment, final long nowNs)
    {
        final int sequence = segment.sequenceNumber();
        final int receiveNext = timeWait.receiveNext[entry];
        if (segment.isRst())
        {
            if (sequence != receiveNext)
            {
                return DropReason.TCP_RST_OUT_OF_WINDOW;
            }
            counters.tcpResetsReceived.incrementRelease();
            removeTimeWait(entry);
            return null;
        }
        if (segment.isFin() && !segment.isSyn() && sequence + segment.payloadLength() + 1 == receiveNext)
        {
            sendTimeWaitAck(entry, nowNs);
            timeWait.restart(entry, nowNs + settings.longValue(Setting.TCP_TIME_WAIT_NS));
            return null;
        }
        if (TcpSegmentOutput.sequenceLength(segment) > 0)
        {
            sendTimeWaitAck(entry, nowNs);
        }
        return DropReason.TCP_TIME_WAIT_SEGMENT;
    }

    private void sendTimeWaitAck(final int entry, final long nowNs)
    {
        final long key = timeWait.keys[entry];
        if (timeWait.timestamps[entry])
        {
            segments.withTimestamps((int)(nowNs / 1_000_000) + timeWait.timestampOffsets[entry],
                timeWait.timestampRecent[entry]);
        }
        segments.send(timeWait.localAddresses[entry], (int)(key >>> 32), timeWait.localPorts[entry],
            (int)(key >>> 16) & 0xFFFF, timeWait.sendNext[entry], timeWait.receiveNext[entry], TcpSegment.FLAG_ACK,
            timeWait.receiveWindows[entry], null, 0, 0, nowNs);
    }

    private void removeTimeWait(final int entry)
    {
        ports.connectionRemoved(timeWait.localPorts[entry]);
        timeWait.remove(entry);
    }

    // ---------------------------------------------------------------------------------------------- negotiation

    /**
     * Settle the options both SYNs agreed on (RFC 9293 3.7.1 MSS, RFC 7323 window scale and timestamps,
     * RFC 2018 SACK) and start the congestion controller.
     */
    void negotiate(final TcpConnection connection, final Handshake peer, final long nowNs)
    {
        final int ourMss = mssFor(connection.remoteAddress);
        connection.receiveMss = ourMss;
        connection.sendMss = Math.max(Math.min(peer.peerMss, ourMss), 64);
        connection.windowScaling = settings.flag(Setting.TCP_WINDOW_SCALING) && peer.peerWindowShift >= 0;
        connection.sendWindowShift = connection.windowScaling ? Math.min(peer.peerWindowShift, MAX_WINDOW_SHIFT) : 0;
        connection.receiveWindowShift = connection.windowScaling ?
            windowShiftFor(connection.stream.receiveRing().limit()) : 0;
        connection.sackPermitted = settings.flag(Setting.TCP_SACK) && peer.sackPermitted;
        connection.timestamps = settings.flag(Setting.TCP_TIMESTAMPS) && peer.timestamps;
        if (connection.timestamps)
        {
            connection.timestampRecent = peer.timestampValue;
            connection.timestampRecentNs = nowNs;
        }
        connection.congestion.start(connection.sendMss, nowNs);
    }

    /**
     * The MSS we announce on the route to {@code remoteAddress}: the MTU less 40 bytes of headers, the loopback's
     * being the engine's frame (1500); capped by {@link EngineContext#tcpMaxSegmentSize()} when set.
     */
    int mssFor(final int remoteAddress)
    {
        int mtu = Ipv4Output.MAX_TRANSPORT_LENGTH + Ipv4Packet.HEADER_LENGTH;
        if (!output.isLocal(remoteAddress) && device != null)
        {
            mtu = Math.min(mtu, device.mtu());
        }
        final int mss = mtu - Ipv4Packet.HEADER_LENGTH - TcpSegment.HEADER_LENGTH;
        final int configured = settings.intValue(Setting.TCP_MAX_SEGMENT_SIZE);
        return configured > 0 ? Math.min(mss, configured) : mss;
    }

    /**
     * @return the smallest shift that lets a 16-bit window field cover {@code bufferBytes}, at most 14.
     */
    static int windowShiftFor(final int bufferBytes)
    {
        int shift = 0;
        while (shift < MAX_WINDOW_SHIFT && (bufferBytes >> shift) > 0xFFFF)
        {
            shift++;
        }
        return shift;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Queue the connection for the end-of-cycle flush.
     */
    void markPending(final TcpConnection connection)
    {
        if (!connection.flushQueued)
        {
            connection.flushQueued = true;
            pending[pendingCount++] = connection.index;
        }
    }

    /**
     * The handshake completed: ESTABLISHED. An active open's application learns it from the stream; a passive
     * open joins its listener's accept queue.
     */
    void establish(final TcpConnection connection, final long nowNs)
    {
        connection.state = TcpState.ESTABLISHED;
        connection.lastReceiveNs = nowNs;
        connection.stream.status(TcpStream.CONNECTED);
        timeouts.armIdleTimer(connection, nowNs);
        if (connection.passive)
        {
            counters.tcpPassiveOpens.incrementRelease();
            final TcpListener listener = commands.listener(connection.listenerSlot);
            listener.offer(connection.index);
            board.pendingAccepts(listener.slot, listener.acceptQueueLength());
        }
        markPending(connection);
    }

    /**
     * An acceptable RST arrived: the connection ends with the error Linux reports for its state.
     */
    void onReset(final TcpConnection connection)
    {
        final int errno;
        switch (connection.state)
        {
            case SYN_SENT:
            case SYN_RECEIVED:
                errno = connection.passive ? 0 : Errno.ECONNREFUSED;
                break;
            case CLOSE_WAIT:
                errno = Errno.EPIPE;
                break;
            default:
                errno = Errno.ECONNRESET;
                break;
        }
        terminate(connection, errno);
    }

    /**
     * End the connection with an RST: its application aborted it, or data arrived after the application closed.
     */
    void resetAndAbort(final TcpConnection connection, final long nowNs)
    {
        sender.sendReset(connection, nowNs);
        terminate(connection, Errno.ECONNRESET);
    }

    /**
     * The connection closed normally in both directions (LAST-ACK acknowledged, orphan FIN-WAIT-2 timed out).
     */
    void finish(final TcpConnection connection)
    {
        terminate(connection, 0);
    }

    /**
     * Both FINs are acknowledged, ours by the peer and the peer's by a segment already sent: hand the pair to the
     * TIME-WAIT table for 2 MSL; the connection slot is done.
     */
    void enterTimeWait(final TcpConnection connection, final long nowNs)
    {
        connection.state = TcpState.TIME_WAIT;
        final int window = Math.min(connection.advertisedEdge - connection.receiveNext,
            0xFFFF << connection.receiveWindowShift) >>> connection.receiveWindowShift;
        if (timeWait.add(connection, window, nowNs + settings.longValue(Setting.TCP_TIME_WAIT_NS), timers, this) >= 0)
        {
            ports.connectionAdded(connection.localPort);
        }
        else
        {
            counters.tcpTimeWaitOverflows.incrementRelease();
        }
        terminate(connection, 0);
    }

    /**
     * Send a reset for the connection's pair outside its state: an unacceptable handshake ACK.
     */
    void sendReset(final TcpConnection connection, final int sequence, final int ack, final int flags)
    {
        segments.send(connection.localAddress, connection.remoteAddress, connection.localPort,
            connection.remotePort, sequence, ack, flags, 0, null, 0, 0, nowNs);
    }

    /**
     * The connection is CLOSED, with {@code errno} for its application when it ended abnormally (a reset, a
     * timeout) or 0: publish that, take it off the table and the port, and free its slot unless an application or
     * an accept queue still holds it.
     */
    void terminate(final TcpConnection connection, final int errno)
    {
        final TcpStream stream = connection.stream;
        if (errno != 0)
        {
            stream.fail(errno);
            stream.stopSending();
        }
        stream.status(TcpStream.CLOSED);
        connection.state = TcpState.CLOSED;
        connection.retransmissionTimer.cancel(timers);
        connection.delayedAckTimer.cancel(timers);
        connection.idleTimer.cancel(timers);
        if (connection.indexed)
        {
            table.unindex(connection);
            ports.connectionRemoved(connection.localPort);
            connection.indexed = false;
        }
        freeIfUnheld(connection);
    }

    void freeIfUnheld(final TcpConnection connection)
    {
        if (connection.inUse && !connection.attached && connection.listenerSlot < 0 &&
            connection.state == TcpState.CLOSED)
        {
            connection.release(timers);
            table.free(connection);
        }
    }

    boolean allowChallengeAck(final long nowNs)
    {
        if (nowNs - challengeWindowStartNs >= NANOS_PER_SECOND)
        {
            challengeWindowStartNs = nowNs;
            challengeAcksInWindow = 0;
        }
        return ++challengeAcksInWindow <= settings.intValue(Setting.TCP_CHALLENGE_ACK_LIMIT);
    }

    // ------------------------------------------------------------------------------------ duty cycle: out, bells

    /**
     * Send for every connection marked since the last flush; one whose output was full stays marked.
     *
     * @return connections flushed.
     */
    public int flush(final long nowNs)
    {
        this.nowNs = nowNs;
        final int count = pendingCount;
        final int[] batch = pending;
        pending = draining;
        draining = batch;
        pendingCount = 0;
        for (int i = 0; i < count; i++)
        {
            final TcpConnection connection = table.get(batch[i]);
            connection.flushQueued = false;
            if (connection.inUse && !transmit(connection, nowNs))
            {
                markPending(connection);
            }
        }
        return count;
    }

    /**
     * Look at the application's rings, then send what the connection may.
     */
    private boolean transmit(final TcpConnection connection, final long nowNs)
    {
        takeAppProgress(connection);
        return sender.transmit(connection, nowNs);
    }

    /**
     * Take what the application of the connection did to its rings since the engine last looked: the bytes it wrote
     * to the send ring and how many it read from the receive ring. The engine sees the application only here: on
     * a doorbell, when the connection is about to send, when the application shuts it down or closes it, and when
     * the engine starts wishing for a window update. Every look is reported to the tap, one that found nothing as
     * 0 bytes consumed, so that a replay can put the same bytes in the rings before the same look.
     */
    void takeAppProgress(final TcpConnection connection)
    {
        if (!connection.attached)
        {
            return;
        }
        final int slot = connection.slot;
        tap.beginAppLook(slot);
        final TcpByteRing send = connection.stream.sendRing();
        final int written = send.takeWritten();
        if (written > 0)
        {
            final int index = send.indexOf(send.consumed() + send.written() - written);
            final int first = Math.min(written, send.capacity() - index);
            tap.onAppData(slot, send.memory(), index, first);
            if (first < written)
            {
                tap.onAppData(slot, send.memory(), 0, written - first);
            }
        }
        tap.onAppConsumed(slot, connection.stream.receiveRing().takeConsumed());
    }

    /**
     * Take the doorbells application threads rang since the last call.
     *
     * @return doorbells taken.
     */
    public int pollDoorbells(final long nowNs)
    {
        this.nowNs = nowNs;
        return board.drainDoorbells(this, Integer.MAX_VALUE);
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        tap.onDoorbell(msgTypeId, buffer, index, length);
        final int slot = buffer.getInt(index + TcpSocketBoard.DOORBELL_SLOT_OFFSET);
        final TcpConnection connection = commands.connection(slot);
        if (connection == null || !connection.inUse)
        {
            return;
        }
        connection.stream.lowerDoorbell();
        takeAppProgress(connection);
        if (connection.state.isSynchronized() && connection.state != TcpState.TIME_WAIT)
        {
            if (TcpSender.isWindowUpdateDue(connection))
            {
                connection.ackNow = true;
            }
            else if (connection.stream.windowUpdateWanted(true))
            {
                takeAppProgress(connection);
            }
        }
        markPending(connection);
    }

    // ---------------------------------------------------------------------------------------------------- timers

    public void onTimer(final long nowNs, final long context)
    {
        this.nowNs = nowNs;
        final int index = ConnectionTimer.indexOf(context);
        switch (ConnectionTimer.kindOf(context))
        {
            case TcpConnection.TIMER_RETRANSMISSION:
            {
                final TcpConnection connection = table.get(index);
                if (connection.retransmissionTimer.onExpiry(context, nowNs, timers, this))
                {
                    timeouts.onRetransmissionTimer(connection, nowNs);
                }
                break;
            }
            case TcpConnection.TIMER_DELAYED_ACK:
            {
                final TcpConnection connection = table.get(index);
                if (connection.delayedAckTimer.onExpiry(context, nowNs, timers, this))
                {
                    timeouts.onDelayedAckTimer(connection, nowNs);
                }
                break;
            }
            case TcpConnection.TIMER_IDLE:
            {
                final TcpConnection connection = table.get(index);
                if (connection.idleTimer.onExpiry(context, nowNs, timers, this))
                {
                    timeouts.onIdleTimer(connection, nowNs);
                }
                break;
            }
            case SynQueue.TIMER_SYN_ACK:
                if (synQueue.isInUse(index) && synQueue.timers[index].onExpiry(context, nowNs, timers, this))
                {
                    passiveOpen.onSynAckTimer(index, nowNs);
                }
                break;
            case TimeWaitTable.TIMER_TIME_WAIT:
                if (timeWait.onTimer(context, nowNs, timers, this))
                {
                    int entry;
                    while ((entry = timeWait.pollExpired(nowNs, timers, this)) >= 0)
                    {
                        removeTimeWait(entry);
                    }
                }
                break;
            default:
                break;
        }
    }

    // -------------------------------------------------------------------------------------------------- commands

    /**
     * Carry out one TCP command for the socket in {@code slot}.
     *
     * @return the answer: {@code >= 0} on success, {@code -errno} on failure.
     */
    public long onCommand(final int operation, final int slot, final int arg0, final int arg1, final long nowNs)
    {
        this.nowNs = nowNs;
        return commands.onCommand(operation, slot, arg0, arg1, nowNs);
    }

    TcpPassiveOpen passiveOpen()
    {
        return passiveOpen;
    }
}
