package io.ringstack.tcp;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;

/**
 * One of a connection's timers, armed lazily over the engine's {@link Timers} wheel. Arming only moves a
 * deadline unless the wheel timer already scheduled would fire too late, so a retransmission timer restarted by
 * every acknowledgment costs no wheel operation; when the wheel timer fires early it is scheduled again for the
 * real deadline. Each schedule carries a generation in its context, so a wheel timer left over from an earlier
 * schedule, or from the connection slot's previous life, is recognised and ignored.
 * <pre>
 *   context = generation (32) | kind (8) | connection index (24)
 * </pre>
 */
final class ConnectionTimer
{
    private static final long NONE = -1;

    private final int kind;
    private final int connectionIndex;
    private boolean armed;
    private long deadlineNs;
    private long wheelTimerId = NONE;
    private long wheelDeadlineNs;
    private int generation;

    ConnectionTimer(final int kind, final int connectionIndex)
    {
        this.kind = kind;
        this.connectionIndex = connectionIndex;
    }

    static int kindOf(final long context)
    {
        return (int)(context >>> 24) & 0xFF;
    }

    static int indexOf(final long context)
    {
        return (int)(context & 0xFF_FFFF);
    }

    static int generationOf(final long context)
    {
        return (int)(context >>> 32);
    }

    boolean isArmed()
    {
        return armed;
    }

    long deadlineNs()
    {
        return deadlineNs;
    }

    void arm(final long deadlineNs, final Timers timers, final TimerListener listener)
    {
        armed = true;
        this.deadlineNs = deadlineNs;
        if (wheelTimerId == NONE || wheelDeadlineNs - deadlineNs > 0)
        {
            schedule(timers, listener);
        }
    }

    /**
     * Stop the timer; a wheel timer already scheduled fires and is ignored.
     */
    void disarm()
    {
        armed = false;
    }

    /**
     * Stop the timer and take its wheel timer off the wheel: when the connection ends.
     */
    void cancel(final Timers timers)
    {
        armed = false;
        if (wheelTimerId != NONE)
        {
            timers.cancel(wheelTimerId);
            wheelTimerId = NONE;
        }
        generation++;
    }

    /**
     * The wheel timer with {@code context} fired.
     *
     * @return {@code true} when the timer is due: armed, current and past its deadline.
     */
    boolean onExpiry(final long context, final long nowNs, final Timers timers, final TimerListener listener)
    {
        if (generationOf(context) != generation)
        {
            return false;
        }
        wheelTimerId = NONE;
        if (!armed)
        {
            return false;
        }
        if (nowNs - deadlineNs < 0)
        {
            schedule(timers, listener);
            return false;
        }
        armed = false;
        return true;
    }

    private void schedule(final Timers timers, final TimerListener listener)
    {
        if (wheelTimerId != NONE)
        {
            timers.cancel(wheelTimerId);
        }
        generation++;
        wheelDeadlineNs = deadlineNs;
        wheelTimerId = timers.schedule(deadlineNs,
            listener, ((long)generation << 32) | ((long)kind << 24) | connectionIndex);
    }
}
