package io.ringstack.journal;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Text in bytes, as a {@link TextBuffer} holds it, on its way to a file or a pipe: gathered in a block that a thread
 * of its own writes ({@link BackgroundFileWriter}) while the next is filled, so that the tool that makes the text
 * never waits for a system call, and the page cache copies a buffer that is still in the processor's cache. A pipe's
 * reader may pause as long as it likes. As with a {@link java.io.PrintWriter}, a write that fails (a pipe whose
 * reader has gone, a full disk) throws nothing: it ends the output, what follows is dropped and {@link #checkError()}
 * says so; {@link #throwIfFailed()} after {@link #close()} then reports it, unless a pipe's reader had gone.
 */
public final class TextOutput implements AutoCloseable
{
    private static final int BLOCK_BYTES = 256 * 1024;

    private final BackgroundFileWriter writer;
    private ByteBuffer block;
    private JournalException failure;

    /**
     * @param name what the channel is, for the writer thread's name: e.g. {@code "dump"}.
     */
    public TextOutput(final WritableByteChannel channel, final String name)
    {
        writer = new BackgroundFileWriter(channel, name, BLOCK_BYTES, BackgroundFileWriter.NO_DEADLINE);
        block = writer.buffer();
    }

    /**
     * Write the first {@code length} bytes of {@code bytes}.
     */
    void write(final byte[] bytes, final int length)
    {
        int done = 0;
        while (done < length && failure == null)
        {
            final int count = Math.min(block.remaining(), length - done);
            block.put(bytes, done, count);
            done += count;
            if (!block.hasRemaining())
            {
                handOver();
            }
        }
    }

    /**
     * @return whether a write failed, and the output ended there.
     */
    public boolean checkError()
    {
        return failure != null;
    }

    /**
     * Report a failed write, for a command to end with: a pipe closed early ({@code dump | head}) is the reader's
     * choice and only ends the output ({@link BrokenPipe}), but any other failure (a full disk) lost output.
     *
     * @throws JournalException {@code "cannot write dump: No space left on device"}.
     */
    public void throwIfFailed()
    {
        if (failure != null && !BrokenPipe.is(failure.getCause()))
        {
            throw failure;
        }
    }

    /**
     * Write what is gathered, wait until it is written and end the writer's thread; the channel is the caller's.
     */
    public void close()
    {
        if (failure == null && block.position() > 0)
        {
            handOver();
        }
        try
        {
            writer.finish();
        }
        catch (final JournalException ex)
        {
            failure = failure == null ? ex : failure;
        }
    }

    private void handOver()
    {
        try
        {
            block = writer.handOver(block.position());
        }
        catch (final JournalException ex)
        {
            failure = failure == null ? ex : failure;
        }
    }
}
