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
 * Writes a file in blocks on a thread of its own, with two buffers: the caller fills one while the thread copies the
 * other into the kernel's page cache, so the tool that makes the bytes never waits for a system call. The caller
 * fills {@link #buffer()} and {@link #handOver hands it over}, which waits for the block before to be written and
 * returns its buffer, empty, to be filled next; blocks reach the file whole and in the order handed over. Each wait
 * has a deadline ({@link BatchReadAhead#STALL_NS}) for a file, none for a pipe, whose reader may pause. A failed
 * write is reported by the call that waits for it.
 */
final class BackgroundFileWriter
{
    /** A writer that waits for each block as long as it takes. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private final WritableByteChannel channel;
    private final String name;
    private final long stallNs;
    private final ByteBuffer[] buffers;
    private final ExecutorService thread;
    private int filling;
    private Future<?> pending;

    /**
     * A writer that gives up on a block after {@link BatchReadAhead#STALL_NS}.
     *
     * @param name        what the file is, for error messages: e.g. {@code "pcapng"}.
     * @param bufferBytes the size of each of the two buffers, the largest block.
     */
    BackgroundFileWriter(final WritableByteChannel channel, final String name, final int bufferBytes)
    {
        this(channel, name, bufferBytes, BatchReadAhead.STALL_NS);
    }

    /**
     * @param name        what the file is, for error messages: e.g. {@code "pcapng"}.
     * @param bufferBytes the size of each of the two buffers, the largest block.
     * @param stallNs     how long to wait for a block before giving up, or {@link #NO_DEADLINE}.
     */
    BackgroundFileWriter(
        final WritableByteChannel channel, final String name, final int bufferBytes, final long stallNs)
    {
        this.channel = channel;
        this.name = name;
        this.stallNs = stallNs;
        this.buffers = new ByteBuffer[] {
            ByteBuffer.allocateDirect(bufferBytes), ByteBuffer.allocateDirect(bufferBytes) };
        this.thread = Executors.newSingleThreadExecutor((task) ->
        {
            final Thread writer = new Thread(task, name + "-writer");
            writer.setDaemon(true);
            return writer;
        });
    }

    /**
     * @return the buffer to fill, empty at first and after each {@link #handOver}: the one {@link #handOver} returned.
     */
    ByteBuffer buffer()
    {
        return buffers[filling];
    }

    /**
     * Wait for the block before to be written, start writing the first {@code length} bytes of {@link #buffer()},
     * and go on in the other buffer. The buffer handed over is not to be touched until it is returned again.
     *
     * @return the buffer to fill next, empty.
     * @throws JournalException when the block before could not be written; then nothing is handed over and
     *                          {@link #buffer()} stays the same.
     */
    ByteBuffer handOver(final int length)
    {
        await();
        final ByteBuffer block = buffers[filling];
        block.limit(length).position(0);
        pending = thread.submit(() ->
        {
            while (block.hasRemaining())
            {
                channel.write(block);
            }
            return null;
        });
        filling ^= 1;
        return buffers[filling].clear();
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
