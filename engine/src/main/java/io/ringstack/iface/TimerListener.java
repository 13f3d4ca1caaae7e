package io.ringstack.iface;

/**
 * Called on the engine thread when a timer scheduled with {@link Timers#schedule} expires.
 */
@FunctionalInterface
public interface TimerListener
{
    /**
     * @param context the value given when the timer was scheduled, e.g. a table slot.
     */
    void onTimer(long nowNs, long context);
}
