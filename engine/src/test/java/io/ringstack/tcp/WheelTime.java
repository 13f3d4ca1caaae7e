package io.ringstack.tcp;

import io.ringstack.engine.EngineTimers;
import io.ringstack.iface.Timers;

/**
 * The engine's timer wheel on a virtual clock that a test moves by hand, polling the wheel every tick on the way as
 * an engine's duty cycles would.
 */
final class WheelTime
{
    static final long START_NS = 1_000_000_000_000L;
    static final long TICK_NS = Timers.GRANULARITY_NS;

    private final EngineTimers timers = new EngineTimers(START_NS);
    private long nowNs = START_NS;

    EngineTimers timers()
    {
        return timers;
    }

    long nowNs()
    {
        return nowNs;
    }

    /**
     * Move the clock to {@code targetNs}, firing every timer due on the way.
     */
    void advanceTo(final long targetNs)
    {
        while (nowNs < targetNs)
        {
            nowNs = Math.min(targetNs, nowNs + TICK_NS);
            timers.poll(nowNs);
        }
    }
}
