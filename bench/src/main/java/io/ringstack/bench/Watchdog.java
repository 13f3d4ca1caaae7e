package io.ringstack.bench;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;

/**
 * A deadline for blocking {@code java.nio} calls, which have none of their own: a daemon thread that closes the
 * channels when one call has waited longer than the timeout, so that the call throws instead of hanging the run.
 * The caller brackets each blocking call with {@link #enter} and {@link #exit}.
 */
final class Watchdog implements AutoCloseable
{
    /** How long a blocking call may wait. */
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private static final long CHECK_INTERVAL_MS = 100;

    private final Closeable[] channels;
    private final Thread thread;
    private volatile long enteredNs;
    private volatile boolean running = true;
    private volatile boolean fired;

    /**
     * Start watching.
     *
     * @param name     the watchdog thread's name.
     * @param channels what to close when a call overstays.
     */
    Watchdog(final String name, final Closeable... channels)
    {
        this.channels = channels;
        thread = new Thread(this::watch, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A blocking call begins.
     */
    void enter()
    {
        enteredNs = System.nanoTime();
    }

    /**
     * The blocking call returned.
     */
    void exit()
    {
        enteredNs = 0;
    }

    /**
     * @return whether a call overstayed and the channels were closed.
     */
    boolean fired()
    {
        return fired;
    }

    private void watch()
    {
        while (running)
        {
            final long entered = enteredNs;
            if (0 != entered && System.nanoTime() - entered > TIMEOUT_NS)
            {
                fired = true;
                CloseHelper.quietCloseAll(channels);
                return;
            }
            try
            {
                Thread.sleep(CHECK_INTERVAL_MS);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /**
     * Stop watching.
     */
    public void close()
    {
        running = false;
        thread.interrupt();
    }

    /**
     * @return an exception saying a blocking call overstayed, if one did, else the cause as it is.
     */
    IOException explain(final IOException cause)
    {
        return fired ? new IOException("a blocking call waited more than " +
            TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NS) + " s; " + thread.getName() + " closed the channels", cause) :
            cause;
    }
}
