package io.ringstack.seed;

import java.util.concurrent.TimeUnit;

/**
 * The thread chores of seed programs that stand in for the originals' forked processes: bounded sleeps and joins.
 */
final class SeedThreads
{
    private SeedThreads()
    {
    }

    static void sleep(final long millis)
    {
        try
        {
            TimeUnit.MILLISECONDS.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Wait for a thread to end, at most {@code millis}.
     *
     * @return {@code true} if it ended.
     */
    static boolean join(final Thread thread, final long millis)
    {
        try
        {
            thread.join(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
