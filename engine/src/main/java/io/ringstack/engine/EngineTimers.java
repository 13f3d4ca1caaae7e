package io.ringstack.engine;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import java.util.concurrent.TimeUnit;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The engine's timers: a hashed {@link DeadlineTimerWheel} whose expiries are routed to the listener and context
 * each timer was scheduled with. Scheduling and expiry allocate nothing once the maps have grown to the number of
 * timers live at once.
 */
public final class EngineTimers implements Timers, DeadlineTimerWheel.TimerHandler
{
    public static final int TICKS_PER_WHEEL = 1024;
    /** One turn of the wheel: every spoke visited once. */
    private static final long TURN_NS = TICKS_PER_WHEEL * GRANULARITY_NS;

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<TimerListener> listeners = new Long2ObjectHashMap<>();
    private final Long2LongHashMap contexts = new Long2LongHashMap(Long.MIN_VALUE);

    public EngineTimers(final long startTimeNs)
    {
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, startTimeNs, GRANULARITY_NS, TICKS_PER_WHEEL);
    }

    public long schedule(final long deadlineNs, final TimerListener listener, final long context)
    {
        final long timerId = wheel.scheduleTimer(deadlineNs);
        listeners.put(timerId, listener);
        contexts.put(timerId, context);
        return timerId;
    }

    public boolean cancel(final long timerId)
    {
        listeners.remove(timerId);
        contexts.remove(timerId);
        return wheel.cancelTimer(timerId);
    }

    /**
     * Fire the timers whose deadline has passed. The wheel moves one tick per poll, so this polls until it has caught
     * up with {@code nowNs}: an engine that was idle, or a virtual clock that jumped, fires every due timer at once.
     * A jump of more than one turn of the wheel costs one turn, not one poll per tick: a turn visits every spoke and
     * fires all that is due, then the wheel winds forward to {@code nowNs} with the later timers in place, so even a
     * clock that leaps by years (a bad timestamp in an imported capture) is caught up in microseconds. Timers due
     * before such a leap fire in the order of the wheel's spokes rather than of their deadlines, the same order on
     * every run, so a replay reproduces it.
     *
     * @return how many fired.
     */
    public int poll(final long nowNs)
    {
        int expired = 0;
        if (nowNs - wheel.currentTickTime() > TURN_NS)
        {
            for (int tick = 0; tick < TICKS_PER_WHEEL; tick++)
            {
                expired += wheel.poll(nowNs, this, Integer.MAX_VALUE);
            }
            wheel.currentTickTime(nowNs);
        }
        do
        {
            expired += wheel.poll(nowNs, this, Integer.MAX_VALUE);
        }
        while (wheel.currentTickTime() <= nowNs);
        return expired;
    }

    public long count()
    {
        return wheel.timerCount();
    }

    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final TimerListener listener = listeners.remove(timerId);
        final long context = contexts.remove(timerId);
        if (listener != null)
        {
            listener.onTimer(now, context);
        }
        return true;
    }
}
