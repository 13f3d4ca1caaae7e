package io.ringstack.cli;

import io.ringstack.journal.ProgressListener;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a long journal operation on stderr, so that stdout stays scriptable: nothing for the first second,
 * then a line a second, {@code "ringstack: replay: 42% (1234567 records)"}, rewritten in place on a terminal, and,
 * once any line was shown, a last one when the operation ends, with the final count: 100% when it went to the end.
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
    private long lastDone;
    private long lastTotal;
    private long lastRecords;

    JournalProgress(final PrintWriter err, final String operation)
    {
        this.err = err;
        this.operation = operation;
    }

    public void onProgress(final long done, final long total, final long records)
    {
        lastDone = done;
        lastTotal = total;
        lastRecords = records;
        final long nowNs = System.nanoTime();
        if (nowNs - nextNs >= 0)
        {
            nextNs = nowNs + INTERVAL_NS;
            show();
            shown = true;
        }
    }

    /**
     * Show where the operation ended, if any progress was shown, and end the line on a terminal.
     */
    void done()
    {
        if (shown)
        {
            show();
            if (terminal)
            {
                err.println();
            }
            err.flush();
        }
    }

    private void show()
    {
        final long percent = lastTotal > 0 ? Math.min(100, lastDone * 100 / lastTotal) : 100;
        err.print("ringstack: " + operation + ": " + percent + "% (" + lastRecords + " records)" +
            (terminal ? "\r" : System.lineSeparator()));
        err.flush();
    }
}
