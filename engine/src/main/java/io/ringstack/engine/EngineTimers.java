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
     * One turn of the wheel looks at every slot with {@code nowNs}, so by then every due timer has fired and the
     * rest of a longer jump (a capture's packets hours or years apart) is made in one step, not tick by tick.
     *
     * @return how many fired.
     */
    public int poll(final long nowNs)
    {
        int expired = 0;
        int ticks = 0;
        do
        {
            expired += wheel.poll(nowNs, this, Integer.MAX_VALUE);
            if (++ticks == TICKS_PER_WHEEL)
            {
                wheel.currentTickTime(nowNs);
            }
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
