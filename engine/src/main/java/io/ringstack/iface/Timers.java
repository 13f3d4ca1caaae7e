package io.ringstack.iface;

/**
 * The engine's timers as the protocol layers see them: schedule a {@link TimerListener} for a deadline and cancel it.
 * Deadlines are engine nanoseconds; a timer fires on the first duty cycle at or after its deadline, at most
 * {@link #GRANULARITY_NS} late. Engine thread only.
 */
public interface Timers
{
    /** 2^20 ns, about a millisecond: finer than any protocol timer the engine runs. */
    long GRANULARITY_NS = 1L << 20;

    /**
     * @param context handed back to the listener, e.g. a table slot and a timer kind.
     * @return the timer's id, for {@link #cancel}.
     */
    long schedule(long deadlineNs, TimerListener listener, long context);

    /**
     * @return whether the timer was still pending.
     */
    boolean cancel(long timerId);
}
