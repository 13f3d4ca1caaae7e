package io.ringstack.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a read that reaches the end of a journal still being written waits for more, as {@code tail -f} does: it
 * polls every {@link #POLL_NS} until more records come, and stops when the journal is closed (its END record), when
 * its deadline passes, or when {@link #stop()} is called from another thread (Ctrl-C). Every wait has that deadline,
 * so that no caller can hang on a journal nobody writes.
 */
public final class Follow
{
    /** Time between looks for more records. */
    public static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** No deadline: until the journal is closed or {@link #stop()}. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final long timeoutNs;
    private final Runnable beforeWaiting;
    private volatile boolean stopped;
    private long deadlineNs;

    /**
     * @param timeoutNs     how long to follow from the start of the read, or {@link #NO_DEADLINE}.
     * @param beforeWaiting run before each wait: e.g. flushing what was printed so far.
     */
    public Follow(final long timeoutNs, final Runnable beforeWaiting)
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
     * @return {@code true} to look again; {@code false} when stopped or past the deadline.
     */
    boolean awaitMore()
    {
        if (stopped || (deadlineNs != NO_DEADLINE && System.nanoTime() - deadlineNs >= 0))
        {
            return false;
        }
        beforeWaiting.run();
        LockSupport.parkNanos(POLL_NS);
        return !stopped;
    }
}
