package io.ringstack.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a read that reaches the end of a journal still being written waits for more, as {@code tail -f} does: it
 * polls every {@link #POLL_NS} until more records come, and stops when the journal is closed (its END record), when
 * its deadline passes, when {@link #stop()} is called from another thread (Ctrl-C), or when what it runs before each
 * wait says so (the output it prints to has failed: {@code dump -f | head}). Every wait has that deadline, so that no
 * caller can hang on a journal nobody writes.
 */
public final class Follow
{
    /** Time between looks for more records. */
    public static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** No deadline: until the journal is closed or {@link #stop()}. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final long timeoutNs;
    private final BooleanSupplier beforeWaiting;
    private volatile boolean stopped;
    private long deadlineNs;

    /**
     * @param timeoutNs     how long to follow from the start of the read, or {@link #NO_DEADLINE}.
     * @param beforeWaiting run before each wait: e.g. flushing what was printed so far; {@code false} ends the read
     *                      there (e.g. that output has failed).
     */
    public Follow(final long timeoutNs, final BooleanSupplier beforeWaiting)
    {
        this.timeoutNs = timeoutNs;
        this.beforeWaiting = beforeWaiting;
    }

    /**
     * End the read at its next wait (or the one it is in): from any thread.
     */
    public void stop()
    {
        stopped = true;
    }

    /**
     * @return whether {@link #stop()} was called.
     */
    public boolean stopped()
    {
        return stopped;
    }

    /**
     * The read begins: the deadline starts now.
     */
    void start()
    {
        deadlineNs = timeoutNs == NO_DEADLINE ? NO_DEADLINE : System.nanoTime() + timeoutNs;
    }

    /**
     * Wait one poll interval for more records.
     *
     * @return {@code true} to look again; {@code false} when stopped, past the deadline or told so before waiting.
     */
    boolean awaitMore()
    {
        if (stopped || (deadlineNs != NO_DEADLINE && System.nanoTime() - deadlineNs >= 0) ||
            !beforeWaiting.getAsBoolean())
        {
            return false;
        }
        LockSupport.parkNanos(POLL_NS);
        return !stopped;
    }
}
