package io.ringstack.journal;

import io.ringstack.engine.EngineContext;
import io.ringstack.tcp.TcpCongestionAlgorithm;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

/**
 * The {@link EngineContext} settings that shape what an engine does with its inputs, recorded by name in the
 * session header so that a replay builds an engine that behaves the same. A setting added to the engine that
 * changes behaviour needs one constant here; its name is the context's accessor. Flags are recorded as 1 or 0.
 */
public enum EngineSetting
{
    FRAME_BUDGET("frameBudget", EngineContext::frameBudget, (context, value) -> context.frameBudget((int)value)),
    LOOPBACK_RING_CAPACITY("loopbackRingCapacity", EngineContext::loopbackRingCapacity,
        (context, value) -> context.loopbackRingCapacity((int)value)),
    COMMAND_RING_CAPACITY("commandRingCapacity", EngineContext::commandRingCapacity,
        (context, value) -> context.commandRingCapacity((int)value)),
    UDP_RECEIVE_RING_CAPACITY("udpReceiveRingCapacity", EngineContext::udpReceiveRingCapacity,
        (context, value) -> context.udpReceiveRingCapacity((int)value)),
    MAX_SOCKETS("maxSockets", EngineContext::maxSockets, (context, value) -> context.maxSockets((int)value)),
    ARP_CACHE_CAPACITY("arpCacheCapacity", EngineContext::arpCacheCapacity,
        (context, value) -> context.arpCacheCapacity((int)value)),
    ARP_PENDING_CAPACITY("arpPendingCapacity", EngineContext::arpPendingCapacity,
        (context, value) -> context.arpPendingCapacity((int)value)),
    ARP_RETRY_INTERVAL_NS("arpRetryIntervalNs", EngineContext::arpRetryIntervalNs,
        EngineContext::arpRetryIntervalNs),
    ARP_MAX_ATTEMPTS("arpMaxAttempts", EngineContext::arpMaxAttempts,
        (context, value) -> context.arpMaxAttempts((int)value)),
    ARP_ENTRY_LIFETIME_NS("arpEntryLifetimeNs", EngineContext::arpEntryLifetimeNs,
        EngineContext::arpEntryLifetimeNs),
    CALL_TIMEOUT_NS("callTimeoutNs", EngineContext::callTimeoutNs, EngineContext::callTimeoutNs),
    TCP_MAX_CONNECTIONS("tcpMaxConnections", EngineContext::tcpMaxConnections,
        (context, value) -> context.tcpMaxConnections((int)value)),
    TCP_SEND_BUFFER_CAPACITY("tcpSendBufferCapacity", EngineContext::tcpSendBufferCapacity,
        (context, value) -> context.tcpSendBufferCapacity((int)value)),
    TCP_RECEIVE_BUFFER_CAPACITY("tcpReceiveBufferCapacity", EngineContext::tcpReceiveBufferCapacity,
        (context, value) -> context.tcpReceiveBufferCapacity((int)value)),
    TCP_MAX_SEGMENT_SIZE("tcpMaxSegmentSize", EngineContext::tcpMaxSegmentSize,
        (context, value) -> context.tcpMaxSegmentSize((int)value)),
    TCP_TIME_WAIT_NS("tcpTimeWaitNs", EngineContext::tcpTimeWaitNs, EngineContext::tcpTimeWaitNs),
    TCP_TIME_WAIT_CAPACITY("tcpTimeWaitCapacity", EngineContext::tcpTimeWaitCapacity,
        (context, value) -> context.tcpTimeWaitCapacity((int)value)),
    /** The first half of the ISN and timestamp offset key: with the clock, it makes a connection's ISN. */
    TCP_ISN_KEY_0("tcpIsnKey0", EngineContext::tcpIsnKey0,
        (context, value) -> context.tcpIsnKey(value, context.tcpIsnKey1())),
    TCP_ISN_KEY_1("tcpIsnKey1", EngineContext::tcpIsnKey1,
        (context, value) -> context.tcpIsnKey(context.tcpIsnKey0(), value)),
    TCP_RTO_MIN_NS("tcpRtoMinNs", EngineContext::tcpRtoMinNs, EngineContext::tcpRtoMinNs),
    TCP_RTO_MAX_NS("tcpRtoMaxNs", EngineContext::tcpRtoMaxNs, EngineContext::tcpRtoMaxNs),
    TCP_RTO_INITIAL_NS("tcpRtoInitialNs", EngineContext::tcpRtoInitialNs, EngineContext::tcpRtoInitialNs),
    TCP_DELAYED_ACK_NS("tcpDelayedAckNs", EngineContext::tcpDelayedAckNs, EngineContext::tcpDelayedAckNs),
    TCP_NAGLE("tcpNagle", (context) -> flag(context.tcpNagle()), (context, value) -> context.tcpNagle(value != 0)),
    TCP_SYN_QUEUE_CAPACITY("tcpSynQueueCapacity", EngineContext::tcpSynQueueCapacity,
        (context, value) -> context.tcpSynQueueCapacity((int)value)),
    TCP_MAX_BACKLOG("tcpMaxBacklog", EngineContext::tcpMaxBacklog,
        (context, value) -> context.tcpMaxBacklog((int)value)),
    TCP_SYN_COOKIES("tcpSynCookies", (context) -> flag(context.tcpSynCookies()),
        (context, value) -> context.tcpSynCookies(value != 0)),
    /** The {@link TcpCongestionAlgorithm} ordinal. */
    TCP_CONGESTION_CONTROL("tcpCongestionControl", (context) -> context.tcpCongestionControl().ordinal(),
        (context, value) -> context.tcpCongestionControl(TcpCongestionAlgorithm.values()[(int)value])),
    TCP_MAX_RETRANSMISSIONS("tcpMaxRetransmissions", EngineContext::tcpMaxRetransmissions,
        (context, value) -> context.tcpMaxRetransmissions((int)value)),
    TCP_SYN_RETRIES("tcpSynRetries", EngineContext::tcpSynRetries,
        (context, value) -> context.tcpSynRetries((int)value)),
    TCP_SYN_ACK_RETRIES("tcpSynAckRetries", EngineContext::tcpSynAckRetries,
        (context, value) -> context.tcpSynAckRetries((int)value)),
    TCP_KEEP_ALIVE_IDLE_NS("tcpKeepAliveIdleNs", EngineContext::tcpKeepAliveIdleNs,
        (context, value) -> context.tcpKeepAlive(value, context.tcpKeepAliveIntervalNs(),
        context.tcpKeepAliveProbes())),
    TCP_KEEP_ALIVE_INTERVAL_NS("tcpKeepAliveIntervalNs", EngineContext::tcpKeepAliveIntervalNs,
        (context, value) -> context.tcpKeepAlive(context.tcpKeepAliveIdleNs(), value,
        context.tcpKeepAliveProbes())),
    TCP_KEEP_ALIVE_PROBES("tcpKeepAliveProbes", EngineContext::tcpKeepAliveProbes,
        (context, value) -> context.tcpKeepAlive(context.tcpKeepAliveIdleNs(), context.tcpKeepAliveIntervalNs(),
        (int)value)),
    TCP_FIN_WAIT_2_TIMEOUT_NS("tcpFinWait2TimeoutNs", EngineContext::tcpFinWait2TimeoutNs,
        EngineContext::tcpFinWait2TimeoutNs),
    TCP_CHALLENGE_ACK_LIMIT("tcpChallengeAckLimit", EngineContext::tcpChallengeAckLimit,
        (context, value) -> context.tcpChallengeAckLimit((int)value)),
    TCP_REASSEMBLY_RANGES("tcpReassemblyRanges", EngineContext::tcpReassemblyRanges,
        (context, value) -> context.tcpReassemblyRanges((int)value)),
    TCP_WINDOW_SCALING("tcpWindowScaling", (context) -> flag(context.tcpWindowScaling()),
        (context, value) -> context.tcpWindowScaling(value != 0)),
    TCP_TIMESTAMPS("tcpTimestamps", (context) -> flag(context.tcpTimestamps()),
        (context, value) -> context.tcpTimestamps(value != 0)),
    TCP_SACK("tcpSack", (context) -> flag(context.tcpSack()), (context, value) -> context.tcpSack(value != 0));

    private static final EngineSetting[] VALUES = values();

    private final String settingName;
    private final ToLongFunction<EngineContext> reader;
    private final ObjLongConsumer<EngineContext> writer;

    EngineSetting(
        final String settingName,
        final ToLongFunction<EngineContext> reader,
        final ObjLongConsumer<EngineContext> writer)
    {
        this.settingName = settingName;
        this.reader = reader;
        this.writer = writer;
    }

    /**
     * @return the name recorded in the journal, the {@link EngineContext} accessor's.
     */
    public String settingName()
    {
        return settingName;
    }

    public long read(final EngineContext context)
    {
        return reader.applyAsLong(context);
    }

    public void apply(final EngineContext context, final long value)
    {
        writer.accept(context, value);
    }

    private static long flag(final boolean value)
    {
        return value ? 1 : 0;
    }

    /**
     * @return the setting recorded under {@code name}, or {@code null} when this build does not know it.
     */
    public static EngineSetting byName(final String name)
    {
        for (final EngineSetting setting : VALUES)
        {
            if (setting.settingName.equals(name))
            {
                return setting;
            }
        }
        return null;
    }
}
