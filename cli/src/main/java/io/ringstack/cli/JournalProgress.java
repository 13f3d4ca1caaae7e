package io.ringstack.cli;

import io.ringstack.journal.ProgressListener;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a long journal operation on stderr, so that stdout stays scriptable: nothing for the first second,
 * then a line a second, {@code "ringstack: replay: 42% (1234567 records)"}, rewritten in place on a terminal.
 */
final class JournalProgress implements ProgressListener
{
    private static final long QUIET_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final PrintWriter err;
    private final String operation;
    private final boolean terminal = System.console() != null;
    private final long startNs = System.nanoTime();
    private long nextNs = startNs + QUIET_NS;
    private boolean shown;

    JournalProgress(final PrintWriter err, final String operation)
    {
        this.err = err;
        this.operation = operation;
    }

    public void onProgress(final long done, final long total, final long records)
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextNs >= 0)
        {
            nextNs = nowNs + INTERVAL_NS;
            final long percent = total > 0 ? Math.min(100, done * 100 / total) : 100;
            err.print("ringstack: " + operation + ": " + percent + "% (" + records + " records)" +
                (terminal ? "\r" : System.lineSeparator()));
            err.flush();
            shown = true;
        }
    }

    /**
     * End the progress line, if one was shown on a terminal.
     */
    void done()
    {
        if (shown && terminal)
        {
            err.println();
            err.flush();
        }
    }
}
