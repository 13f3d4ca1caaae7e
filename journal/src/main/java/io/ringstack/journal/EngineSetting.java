package io.ringstack.journal;

import io.ringstack.stack.EngineContext;

import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

/**
 * The {@link EngineContext} settings that shape what an engine does with its inputs, recorded by name in the
 * session header so that a replay builds an engine that behaves the same. A setting added to the engine that
 * changes behaviour needs one constant here; its name is the context's accessor.
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
    CALL_TIMEOUT_NS("callTimeoutNs", EngineContext::callTimeoutNs, EngineContext::callTimeoutNs);

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
