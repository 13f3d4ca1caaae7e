package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.IcmpError;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * The engine's TCP layer: the demultiplexer above the connections, the listeners, TIME-WAIT and the timers.
 * <pre>
 *   segment ──► connection table ──► TcpInput: the connection's state machine (its output is marked)
 *           └─► TIME-WAIT table ──► ACK, or a reopening SYN goes on to the listener
 *           └─► half-open queue ──► TcpPassiveOpen completes the handshake
 *           └─► listener ─────────► TcpPassiveOpen: half-open entry or SYN cookie
 *           └─► nothing: RST (RFC 9293 3.10.7.1)
 *
 *   commands (open, bind, listen, connect, accept, shutdown, close, options) ──► TcpSocketCommands
 *   doorbells (the application moved bytes in a ring) ──► the connection is marked for output
 *   timers ──► TcpTimeouts, TcpPassiveOpen (SYN-ACK) or the TIME-WAIT table
 *   end of every duty cycle ──► TcpOutputQueue: TcpSender for every marked connection
 * </pre>
 * A connection's input is {@link TcpInput} and {@link TcpAckProcessor}, its output {@link TcpSender}; its life
 * between states that change who holds it is {@link TcpLifecycle}. None of them calls back into this class: it
 * only routes. Engine thread only; the segment path allocates nothing.
 */
public final class TcpEngine implements TimerListener, MessageHandler
{
    private final Settings settings;
    private final EngineCounters counters;
    private final Timers timers;
    private final TcpTap tap;
    private final TcpSocketBoard board;
    private final TcpConnectionTable table;
    private final TcpPortTable ports;
    private final TcpListeners listeners;
    private final SynQueue synQueue;
    private final TimeWaitTable timeWait;
    private final TcpSegmentOutput segments;
    private final AppRingLook look;
    private final TcpSender sender;
    private final TcpOutputQueue outputQueue;
    private final TcpTimeouts timeouts;
    private final TcpInput input;
    private final TcpSocketCommands commands;
    private final TcpPassiveOpen passiveOpen;
    private final TcpIcmpErrors icmpErrors;
    private final TcpOptions options = new TcpOptions();

    /**
     * @param tap where TCP reports frames, doorbells and its looks at the application's rings.
     * @param loopback the engine's loopback ring, whose free space bounds what TCP sends to local destinations.
     */
    public TcpEngine(
        final Settings settings,
        final TcpTap tap,
        final Ipv4Output output,
        final OneToOneRingBuffer loopback,
        final EngineCounters counters,
        final Timers timers)
    {
        this.settings = settings;
        this.counters = counters;
        this.timers = timers;
        this.tap = tap;
        final int slots = settings.intValue(Setting.MAX_SOCKETS);
        board = new TcpSocketBoard(slots);
        table = new TcpConnectionTable(settings);
        ports = new TcpPortTable(2 * (settings.intValue(Setting.TCP_MAX_CONNECTIONS) +
            settings.intValue(Setting.TCP_TIME_WAIT_CAPACITY) + slots));
        listeners = new TcpListeners(slots, board);
        synQueue = new SynQueue(settings.intValue(Setting.TCP_SYN_QUEUE_CAPACITY));
        timeWait = new TimeWaitTable(settings.intValue(Setting.TCP_TIME_WAIT_CAPACITY));
        segments = new TcpSegmentOutput(output, loopback, counters);
        look = new AppRingLook(tap);
        final TcpNegotiation negotiation = new TcpNegotiation(settings, output, counters);
        sender = new TcpSender(segments, timers, this, counters, negotiation, look);
        outputQueue = new TcpOutputQueue(table, look, sender);
        final TcpLifecycle lifecycle = new TcpLifecycle(
            settings, counters, timers, this, table, ports, timeWait, listeners, sender, outputQueue);
        final LossRecovery recovery = new LossRecovery(sender, counters, timers, this);
        timeouts = new TcpTimeouts(settings, counters, timers, this, sender, recovery, lifecycle, outputQueue);
        final TcpAckProcessor acks =
            new TcpAckProcessor(timers, this, recovery, outputQueue, counters);
        input = new TcpInput(settings, counters, negotiation, lifecycle, acks, timeouts, sender, outputQueue);
        passiveOpen = new TcpPassiveOpen(settings, counters, timers, this, negotiation, listeners, options, table,
            ports, synQueue, segments, input);
        icmpErrors = new TcpIcmpErrors(counters, output, table, negotiation, lifecycle, outputQueue);
        commands = new TcpSocketCommands(settings, counters, output, board, table, ports, timeWait, listeners,
            negotiation, lifecycle, passiveOpen, sender, outputQueue, look);
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
            return input.onSegment(connection, ip, segment, options, nowNs);
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
        if (listenerSlot >= 0 && listeners.get(listenerSlot).accepts(localAddress))
        {
            return passiveOpen.onListenerSegment(listeners.get(listenerSlot), ip, segment, key, nowNs);
        }
        segments.replyReset(ip, segment, nowNs);
        return DropReason.TCP_NO_CONNECTION;
    }

    /**
     * An ICMP destination unreachable or time exceeded quoting a segment this host sent: see {@link TcpIcmpErrors}.
     *
     * @return {@code null} when it concerned a connection, else the reason it was dropped.
     */
    public DropReason onUnreachable(final IcmpError error, final long nowNs)
    {
        return icmpErrors.onUnreachable(error, nowNs);
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

    // ------------------------------------------------------------------------------------ duty cycle: out, bells

    /**
     * Send for every connection marked since the last flush; one whose output was full stays marked.
     *
     * @return connections flushed.
     */
    public int flush(final long nowNs)
    {
        return outputQueue.flush(nowNs);
    }

    /**
     * Take the doorbells application threads rang since the last call.
     *
     * @return doorbells taken.
     */
    public int pollDoorbells()
    {
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
        look.take(connection);
        if (connection.state.isSynchronized() && connection.state != TcpState.TIME_WAIT)
        {
            if (TcpSender.isWindowUpdateDue(connection))
            {
                connection.ackNow = true;
            }
            else if (connection.stream.windowUpdateWanted(true))
            {
                look.take(connection);
            }
        }
        outputQueue.mark(connection);
    }

    // ---------------------------------------------------------------------------------------------------- timers

    public void onTimer(final long nowNs, final long context)
    {
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
            case TcpConnection.TIMER_PACING:
            {
                final TcpConnection connection = table.get(index);
                if (connection.pacingTimer.onExpiry(context, nowNs, timers, this))
                {
                    outputQueue.mark(connection);
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
        return commands.onCommand(operation, slot, arg0, arg1, nowNs);
    }
}
