package io.ringstack.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes blocks of a file on a thread of its own, one at a time and in order, so that the copy into the kernel's
 * page cache overlaps with the filling of the next block. The caller hands over a whole buffer and does not touch it
 * again until the next {@link #write} or {@link #finish} returns, which first wait for the block before it: with a
 * deadline ({@link BatchReadAhead#STALL_NS}) for a file, as long as it takes for a pipe, whose reader may pause. A
 * failed write is reported by the call that waits for it.
 */
final class BackgroundFileWriter
{
    /** A writer that waits for each block as long as it takes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final WritableByteChannel channel;
    private final String name;
    private final long stallNs;
    private final ExecutorService thread;
    private Future<?> pending;

    /**
     * A writer that gives up on a block after {@link BatchReadAhead#STALL_NS}.
     *
     * @param name what the file is, for error messages: e.g. {@code "pcapng"}.
     */
    BackgroundFileWriter(final WritableByteChannel channel, final String name)
    {
        this(channel, name, BatchReadAhead.STALL_NS);
    }

    /**
     * @param name    what the file is, for error messages: e.g. {@code "pcapng"}.
     * @param stallNs how long to wait for a block before giving up, or {@link #NO_DEADLINE}.
     */
    BackgroundFileWriter(final WritableByteChannel channel, final String name, final long stallNs)
    {
        this.channel = channel;
        this.name = name;
        this.stallNs = stallNs;
        this.thread = Executors.newSingleThreadExecutor((task) ->
        {
            final Thread writer = new Thread(task, name + "-writer");
            writer.setDaemon(true);
            return writer;
        });
    }

    /**
     * Wait for the block before to be written, then start writing {@code block} from its position to its limit.
     *
     * @throws JournalException when the block before could not be written.
     */
    void write(final ByteBuffer block)
    {
        await();
        pending = thread.submit(() ->
        {
            while (block.hasRemaining())
            {
                channel.write(block);
            }
            return null;
        });
    }

    /**
     * Wait for the last block to be written and end the thread.
     *
     * @throws JournalException when a block could not be written.
     */
    void finish()
    {
        try
        {
            await();
        }
        finally
        {
            thread.shutdownNow();
        }
    }

    private void await()
    {
        if (pending == null)
        {
            return;
        }
        final Future<?> written = pending;
        pending = null;
        try
        {
            if (stallNs == NO_DEADLINE)
            {
                written.get();
            }
            else
            {
                written.get(stallNs, TimeUnit.NANOSECONDS);
            }
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            throw new JournalException("cannot write " + name + ": " +
                (cause instanceof IOException ? cause.getMessage() : String.valueOf(cause)), cause);
        }
        catch (final TimeoutException ex)
        {
            written.cancel(true);
            throw new JournalException("cannot write " + name + ": the write stalled for " +
                TimeUnit.NANOSECONDS.toSeconds(stallNs) + " s", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            written.cancel(true);
            throw new JournalException("cannot write " + name + ": interrupted", ex);
        }
    }
}
