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
 * <p>
 * A duty cycle's {@link #poll} costs one comparison until the clock reaches the next time a poll of the wheel could
 * do anything: the end of the wheel's current tick (when it moves to the next spoke) or the earliest deadline of a
 * timer in the current spoke, whichever comes first. A poll of the wheel before then would visit the current spoke,
 * fire nothing and leave the wheel as it was, so the wheel goes through exactly the states, and fires exactly the
 * timers in the same order at the same polls, as when it is polled every cycle; a replay reproduces it.
 */
public final class EngineTimers implements Timers, DeadlineTimerWheel.TimerHandler
{
    public static final int TICKS_PER_WHEEL = 1024;
    /** One turn of the wheel: every spoke visited once. */
    private static final long TURN_NS = TICKS_PER_WHEEL * GRANULARITY_NS;

    private static final int TICK_SHIFT = Long.numberOfTrailingZeros(GRANULARITY_NS);
    private static final int SPOKE_MASK = TICKS_PER_WHEEL - 1;
    /** Where {@link DeadlineTimerWheel} puts a timer's spoke in its id; the slot in the spoke is the low 32 bits. */
    private static final int SPOKE_ID_SHIFT = 32;

    private final DeadlineTimerWheel wheel;
    private final Long2ObjectHashMap<TimerListener> listeners = new Long2ObjectHashMap<>();
    private final Long2LongHashMap contexts = new Long2LongHashMap(Long.MIN_VALUE);
    /** The earliest time a poll of the wheel could fire a timer or move it on; a lower bound, never later. */
    private long nextPollNs;
    /** Slots per spoke that have ever held a timer: a spoke's timers all lie below it. */
    private int slotsUsed;

    public EngineTimers(final long startTimeNs)
    {
        wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, startTimeNs, GRANULARITY_NS, TICKS_PER_WHEEL);
        nextPollNs = wheel.currentTickTime();
    }

    public long schedule(final long deadlineNs, final TimerListener listener, final long context)
    {
        final long timerId = wheel.scheduleTimer(deadlineNs);
        listeners.put(timerId, listener);
        contexts.put(timerId, context);
        slotsUsed = Math.max(slotsUsed, (int)timerId + 1);
        if (deadlineNs < nextPollNs)
        {
            nextPollNs = deadlineNs;
        }
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
     * every run, so a replay reproduces it. Before the next time a poll could do anything (see the class comment)
     * this returns at once.
     *
     * @return how many fired.
     */
    public int poll(final long nowNs)
    {
        if (nowNs < nextPollNs)
        {
            return 0;
        }
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
        nextPollNs = nextPollNs();
        return expired;
    }

    /**
     * @return the end of the wheel's current tick, or the earliest deadline before it of a timer in the current
     * spoke: one due later in this tick, or one already due that an expiry scheduled into a slot the poll had
     * passed.
     */
    private long nextPollNs()
    {
        final long tickEndNs = wheel.currentTickTime();
        long nextNs = tickEndNs;
        if (wheel.timerCount() > 0)
        {
            final long spoke = (((tickEndNs - wheel.startTime()) >> TICK_SHIFT) - 1) & SPOKE_MASK;
            for (int slot = 0; slot < slotsUsed; slot++)
            {
                nextNs = Math.min(nextNs, wheel.deadline((spoke << SPOKE_ID_SHIFT) | slot));
            }
        }
        return nextNs;
    }

    /**
     * @return the earliest time a poll could fire a timer: a lower bound, never later than the end of the wheel's
     * current tick.
     */
    public long dueNs()
    {
        return nextPollNs;
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
