package io.ringstack.drivers;

import org.agrona.concurrent.NanoClock;

/**
 * A driver's transmit watchdog, as Linux's {@code dev_watchdog} and e1000's {@code tx_timeout}: when transmit work
 * has been pending for {@link #timeoutNs()} on the engine's clock without the device completing any of it, the
 * transmit path is stuck and the driver resets the device. The clock is read only while work is pending, and
 * deadlines are compared as {@code nowNs - sinceNs >= timeoutNs}, so they survive the clock's wrap.
 */
public final class TxWatchdog
{
    /** Five seconds, the transmit timeout of Linux's e1000 and virtio_net drivers ({@code 5 * HZ}). */
    public static final long DEFAULT_TIMEOUT_NS = 5_000_000_000L;

    private final NanoClock clock;
    private final long timeoutNs;
    private boolean armed;
    private long sinceNs;
    private long lastCompleted;

    /**
     * @param clock     the engine's clock.
     * @param timeoutNs how long pending work may see no progress.
     */
    public TxWatchdog(final NanoClock clock, final long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("transmit timeout must be positive: " + timeoutNs);
        }
        this.clock = clock;
        this.timeoutNs = timeoutNs;
    }

    public long timeoutNs()
    {
        return timeoutNs;
    }

    /**
     * One look per poll, after the driver took back what the device completed.
     *
     * @param pending   whether the device holds transmit work it has not completed.
     * @param completed how many transmit descriptors the driver has taken back completed, ever: a change since the
     *                  last look is progress, wherever the driver took them back.
     * @return {@code true} when work has been pending without progress for the timeout: the driver should reset.
     */
    public boolean expired(final boolean pending, final long completed)
    {
        if (!pending)
        {
            armed = false;
            return false;
        }
        final long nowNs = clock.nanoTime();
        if (!armed || completed != lastCompleted)
        {
            armed = true;
            sinceNs = nowNs;
            lastCompleted = completed;
            return false;
        }
        return nowNs - sinceNs >= timeoutNs;
    }

    /**
     * Forget the pending work, as after a reset emptied the rings.
     */
    public void disarm()
    {
        armed = false;
    }
}
