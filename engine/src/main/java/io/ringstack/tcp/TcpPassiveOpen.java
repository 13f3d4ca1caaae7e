package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;

/**
 * Passive opens: what a listener does with the segments that reach it, and the half-open connections between the
 * SYN and the final ACK (RFC 9293 3.5, RFC 4987 for the defence against SYN floods).
 * <pre>
 *   SYN to a listener   accept queue full: drop (the peer retries)
 *                       half-open room:    entry in the SynQueue, SYN-ACK, retransmitted with back-off
 *                       no room:           SYN-ACK whose sequence number is a SYN cookie, nothing kept
 *   ACK for an entry    ACK = ISS + 1: the connection is made in SYN-RECEIVED and processes the ACK
 *                       else a valid cookie (its SYN-ACK went out before the entry was made) does the same
 *   ACK, no entry       a valid cookie rebuilds the handshake; anything else is answered with RST
 * </pre>
 * Engine thread only; a SYN flood costs the bounded SynQueue and nothing else.
 */
final class TcpPassiveOpen
{
    private final Settings settings;
    private final EngineCounters counters;
    private final Timers timers;
    private final TimerListener timerListener;
    private final TcpNegotiation negotiation;
    private final TcpListeners listeners;
    private final TcpOptions options;
    private final TcpConnectionTable table;
    private final TcpPortTable ports;
    private final SynQueue synQueue;
    private final IsnGenerator isn;
    private final SynCookies cookies;
    private final TcpSegmentOutput segments;
    private final TcpInput input;
    private final Handshake handshake = new Handshake();

    /**
     * @param options the options of the segment being dispatched, parsed once by the engine.
     */
    TcpPassiveOpen(
        final Settings settings,
        final EngineCounters counters,
        final Timers timers,
        final TimerListener timerListener,
        final TcpNegotiation negotiation,
        final TcpListeners listeners,
        final TcpOptions options,
        final TcpConnectionTable table,
        final TcpPortTable ports,
        final SynQueue synQueue,
        final TcpSegmentOutput segments,
        final TcpInput input)
    {
        this.settings = settings;
        this.counters = counters;
        this.timers = timers;
        this.timerListener = timerListener;
        this.negotiation = negotiation;
        this.listeners = listeners;
        this.options = options;
        this.table = table;
        this.ports = ports;
        this.synQueue = synQueue;
        this.segments = segments;
        this.input = input;
        isn = new IsnGenerator(settings.longValue(Setting.TCP_ISN_KEY_0), settings.longValue(Setting.TCP_ISN_KEY_1));
        cookies = new SynCookies(settings.longValue(Setting.TCP_ISN_KEY_0), settings.longValue(Setting.TCP_ISN_KEY_1));
    }

    DropReason onListenerSegment(
        final TcpListener listener, final Ipv4Packet ip, final TcpSegment segment, final long key, final long nowNs)
    {
        if (segment.isRst())
        {
            return DropReason.TCP_LISTENER_RST;
        }
        if (segment.isAck())
        {
            if (!segment.isSyn() && settings.flag(Setting.TCP_SYN_COOKIES) &&
                checkCookie(ip, segment, segment.sequenceNumber() - 1, nowNs))
            {
                return completePassiveOpen(listener, ip, segment, nowNs, true);
            }
            segments.replyReset(ip, segment, nowNs);
            return DropReason.TCP_LISTENER_BAD_ACK;
        }
        if (!segment.isSyn())
        {
            return DropReason.TCP_LISTENER_NO_SYN;
        }
        if (listener.isAcceptQueueFull())
        {
            return DropReason.TCP_ACCEPT_QUEUE_FULL;
        }
        if (listener.isHalfOpenQueueFull() || synQueue.isFull())
        {
            if (!settings.flag(Setting.TCP_SYN_COOKIES))
            {
                return DropReason.TCP_SYN_QUEUE_FULL;
            }
            sendCookieSynAck(listener, ip, segment, nowNs);
            return null;
        }
        final int entry = synQueue.add(key);
        final int localAddress = ip.destination();
        final int remoteAddress = ip.source();
        synQueue.listenerSlots[entry] = listener.slot;
        synQueue.localAddresses[entry] = localAddress;
        synQueue.remoteAddresses[entry] = remoteAddress;
        synQueue.localPorts[entry] = segment.destinationPort();
        synQueue.remotePorts[entry] = segment.sourcePort();
        synQueue.initialReceiveSequences[entry] = segment.sequenceNumber();
        synQueue.initialSendSequences[entry] = isn.initialSequenceNumber(
            localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort(), nowNs);
        handshake.fromOptions(options);
        synQueue.peerMss[entry] = handshake.peerMss;
        synQueue.peerWindowShifts[entry] = negotiation.offersWindowScaling() ? handshake.peerWindowShift : -1;
        synQueue.sackPermitted[entry] = negotiation.offersSack() && handshake.sackPermitted;
        synQueue.timestamps[entry] = negotiation.offersTimestamps() && handshake.timestamps;
        synQueue.ecn[entry] = negotiation.acceptsEcn() && ExplicitCongestion.isSetupSyn(segment);
        synQueue.timestampRecent[entry] = handshake.timestampValue;
        synQueue.timestampOffsets[entry] = isn.timestampOffset(
            localAddress, segment.destinationPort(), remoteAddress, segment.sourcePort());
        synQueue.timeoutsNs[entry] = settings.longValue(Setting.TCP_RTO_INITIAL_NS);
        listener.halfOpenAdded();
        synQueue.synAckSentNs[entry] = nowNs;
        sendSynAck(entry, nowNs);
        synQueue.armRetransmission(entry, nowNs + synQueue.timeoutsNs[entry], timers, timerListener);
        return null;
    }

    DropReason onHalfOpenSegment(
        final int entry, final Ipv4Packet ip, final TcpSegment segment, final long nowNs)
    {
        final int sequence = segment.sequenceNumber();
        final int irs = synQueue.initialReceiveSequences[entry];
        if (segment.isRst())
        {
            if (sequence != irs + 1)
            {
                return DropReason.TCP_RST_OUT_OF_WINDOW;
            }
            counters.tcpResetsReceived.incrementRelease();
            dropHalfOpen(entry);
            return null;
        }
        if (segment.isSyn() && !segment.isAck())
        {
            if (sequence != irs)
            {
                return DropReason.TCP_SYN_CHALLENGED;
            }
            synQueue.synAckResent[entry] = true;
            sendSynAck(entry, nowNs);
            return null;
        }
        if (!segment.isAck())
        {
            return DropReason.TCP_NO_ACK_FLAG;
        }
        final TcpListener listener = listeners.get(synQueue.listenerSlots[entry]);
        if (segment.isSyn() || segment.acknowledgmentNumber() != synQueue.initialSendSequences[entry] + 1)
        {
            return onUnmatchedAck(entry, listener, ip, segment, nowNs);
        }
        handshake.fromSynQueue(synQueue, entry, nowNs);
        if (listener.isAcceptQueueFull())
        {
            return DropReason.TCP_ACCEPT_QUEUE_FULL;
        }
        final DropReason verdict = completePassiveOpen(listener, ip, segment, nowNs, false);
        if (verdict != DropReason.TCP_NO_CONNECTION_SLOT)
        {
            dropHalfOpen(entry);
        }
        return verdict;
    }

    /**
     * An ACK that does not acknowledge the entry's SYN-ACK may acknowledge a cookie SYN-ACK sent to the same pair
     * while the queues were full, before the peer's retransmitted SYN found room and made the entry: a valid cookie
     * completes the handshake and the entry goes, as Linux hands such an ACK from its request socket to the
     * listener's cookie check. The cookie is checked against the entry's record of the peer's initial sequence
     * number, since the ACK may follow data of the peer's that was lost. Anything else is answered with RST
     * (RFC 9293 3.10.7.4).
     */
    private DropReason onUnmatchedAck(
        final int entry, final TcpListener listener, final Ipv4Packet ip, final TcpSegment segment, final long nowNs)
    {
        if (segment.isSyn() || !settings.flag(Setting.TCP_SYN_COOKIES) ||
            !checkCookie(ip, segment, synQueue.initialReceiveSequences[entry], nowNs))
        {
            segments.replyReset(ip, segment, nowNs);
            return DropReason.TCP_BAD_HANDSHAKE_ACK;
        }
        final DropReason verdict = completePassiveOpen(listener, ip, segment, nowNs, true);
        if (verdict != DropReason.TCP_NO_CONNECTION_SLOT && verdict != DropReason.TCP_ACCEPT_QUEUE_FULL)
        {
            dropHalfOpen(entry);
        }
        return verdict;
    }

    /**
     * The final ACK of a passive open arrived and {@link #handshake} holds what the handshake agreed: make the
     * connection in SYN-RECEIVED and let it process the ACK, which establishes it.
     */
    private DropReason completePassiveOpen(
        final TcpListener listener, final Ipv4Packet ip, final TcpSegment segment, final long nowNs,
        final boolean fromCookie)
    {
        if (listener.isAcceptQueueFull())
        {
            return DropReason.TCP_ACCEPT_QUEUE_FULL;
        }
        final TcpConnection connection = table.allocate();
        if (connection == null)
        {
            return DropReason.TCP_NO_CONNECTION_SLOT;
        }
        if (fromCookie)
        {
            counters.tcpSynCookiesAccepted.incrementRelease();
        }
        connection.open(ip.destination(), segment.destinationPort(), ip.source(), segment.sourcePort(),
            listener.options);
        connection.passive = true;
        connection.listenerSlot = listener.slot;
        connection.initialSequence(handshake.initialSendSequence);
        connection.sendNext = handshake.initialSendSequence + 1;
        connection.sendMax = connection.sendNext;
        connection.peerInitialSequence(handshake.initialReceiveSequence);
        connection.timestampOffset = handshake.timestampOffset;
        negotiation.negotiate(connection, handshake, nowNs);
        if (handshake.rttSampleNs != Handshake.NO_RTT_SAMPLE)
        {
            connection.rtt.onSample(handshake.rttSampleNs);
        }
        connection.advertisedEdge = connection.receiveNext + Math.min(connection.stream.receiveRing().room(), 0xFFFF);
        connection.state = TcpState.SYN_RECEIVED;
        table.index(connection);
        connection.indexed = true;
        ports.connectionAdded(connection.localPort);
        return input.onSegment(connection, ip, segment, options, nowNs);
    }

    /**
     * @param irs the peer's initial sequence number: the entry's when there is one, so that an ACK sent after data
     * that was lost still proves the cookie; else the ACK's sequence number minus one.
     */
    private boolean checkCookie(final Ipv4Packet ip, final TcpSegment segment, final int irs, final long nowNs)
    {
        final int iss = segment.acknowledgmentNumber() - 1;
        final int mssIndex = cookies.check(ip.destination(), segment.destinationPort(), ip.source(),
            segment.sourcePort(), irs, iss, nowNs);
        if (mssIndex < 0)
        {
            return false;
        }
        handshake.rttSampleNs = Handshake.NO_RTT_SAMPLE;
        handshake.initialSendSequence = iss;
        handshake.initialReceiveSequence = irs;
        handshake.peerMss = SynCookies.MSS_TABLE[mssIndex];
        handshake.timestamps = options.hasTimestamps() && negotiation.offersTimestamps();
        handshake.peerWindowShift = handshake.timestamps && negotiation.offersWindowScaling() ?
            SynCookies.windowShift(options.timestampEcho()) : -1;
        handshake.sackPermitted = handshake.timestamps && negotiation.offersSack() &&
            SynCookies.sackPermitted(options.timestampEcho());
        handshake.ecn = handshake.timestamps && negotiation.acceptsEcn() && SynCookies.ecn(options.timestampEcho());
        handshake.timestampValue = options.timestampValue();
        handshake.timestampOffset = isn.timestampOffset(
            ip.destination(), segment.destinationPort(), ip.source(), segment.sourcePort());
        return true;
    }

    private void sendSynAck(final int entry, final long nowNs)
    {
        final int remoteAddress = synQueue.remoteAddresses[entry];
        final TcpSocketOptions listenerOptions = listeners.get(synQueue.listenerSlots[entry]).options;
        final int peerShift = synQueue.peerWindowShifts[entry];
        segments.withSynOptions(negotiation.mssFor(remoteAddress),
            peerShift >= 0 ? TcpNegotiation.windowShiftFor(listenerOptions.receiveBufferBytes) : -1,
            synQueue.sackPermitted[entry]);
        if (synQueue.timestamps[entry])
        {
            segments.withTimestamps((int)(nowNs / 1_000_000) + synQueue.timestampOffsets[entry],
                synQueue.timestampRecent[entry]);
        }
        segments.send(synQueue.localAddresses[entry], remoteAddress, synQueue.localPorts[entry],
            synQueue.remotePorts[entry], synQueue.initialSendSequences[entry],
            synQueue.initialReceiveSequences[entry] + 1, TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK |
            (synQueue.ecn[entry] ? ExplicitCongestion.SETUP_SYN_ACK : 0),
            Math.min(listenerOptions.receiveBufferBytes, 0xFFFF), null, 0, 0, nowNs);
    }

    /**
     * Answer a SYN without keeping anything: the SYN-ACK's sequence number is a {@link SynCookies cookie}.
     */
    private void sendCookieSynAck(
        final TcpListener listener, final Ipv4Packet ip, final TcpSegment segment, final long nowNs)
    {
        counters.tcpSynCookiesSent.incrementRelease();
        final int localAddress = ip.destination();
        final int remoteAddress = ip.source();
        final int localPort = segment.destinationPort();
        final int remotePort = segment.sourcePort();
        final int peerMss = options.hasMss() ? options.mss() : Handshake.DEFAULT_MSS;
        final int mss = Math.min(peerMss, negotiation.mssFor(remoteAddress));
        final int cookie = cookies.cookie(localAddress, localPort, remoteAddress, remotePort,
            segment.sequenceNumber(), SynCookies.mssIndexFor(mss), nowNs);
        final boolean timestamps = options.hasTimestamps() && negotiation.offersTimestamps();
        final int peerShift = timestamps && negotiation.offersWindowScaling() && options.hasWindowScale() ?
            options.windowScale() : -1;
        final boolean sack = timestamps && negotiation.offersSack() && options.isSackPermitted();
        final boolean ecn = timestamps && negotiation.acceptsEcn() && ExplicitCongestion.isSetupSyn(segment);
        segments.withSynOptions(SynCookies.MSS_TABLE[SynCookies.mssIndexFor(mss)],
            peerShift >= 0 ? TcpNegotiation.windowShiftFor(listener.options.receiveBufferBytes) : -1, sack);
        if (timestamps)
        {
            final int clock = (int)(nowNs / 1_000_000) +
                isn.timestampOffset(localAddress, localPort, remoteAddress, remotePort);
            segments.withTimestamps(SynCookies.encodeOptions(clock, peerShift, sack, ecn), options.timestampValue());
        }
        segments.send(localAddress, remoteAddress, localPort, remotePort, cookie, segment.sequenceNumber() + 1,
            TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK | (ecn ? ExplicitCongestion.SETUP_SYN_ACK : 0),
            Math.min(listener.options.receiveBufferBytes, 0xFFFF), null, 0, 0, nowNs);
    }

    void dropHalfOpen(final int entry)
    {
        final TcpListener listener = listeners.get(synQueue.listenerSlots[entry]);
        if (listener != null)
        {
            listener.halfOpenRemoved();
        }
        synQueue.remove(entry, timers);
    }

    void onSynAckTimer(final int entry, final long nowNs)
    {
        if (synQueue.retransmissions[entry] >= settings.intValue(Setting.TCP_SYN_ACK_RETRIES))
        {
            counters.tcpSynAckTimeouts.incrementRelease();
            dropHalfOpen(entry);
            return;
        }
        synQueue.retransmissions[entry]++;
        synQueue.synAckResent[entry] = true;
        counters.tcpRetransmittedSegments.incrementRelease();
        synQueue.timeoutsNs[entry] =
            Math.min(synQueue.timeoutsNs[entry] * 2, settings.longValue(Setting.TCP_RTO_MAX_NS));
        sendSynAck(entry, nowNs);
        synQueue.armRetransmission(entry, nowNs + synQueue.timeoutsNs[entry], timers, timerListener);
    }

    /**
     * Forget every half-open connection of the listener in {@code slot}: it stopped listening.
     */
    void dropHalfOpenOf(final int slot)
    {
        for (int entry = 0; entry < synQueue.capacity(); entry++)
        {
            if (synQueue.isInUse(entry) && synQueue.listenerSlots[entry] == slot)
            {
                synQueue.remove(entry, timers);
            }
        }
    }
}
