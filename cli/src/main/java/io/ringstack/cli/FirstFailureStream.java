package io.ringstack.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that ends at its first failed write and keeps why, which the {@link java.io.PrintWriter} above it
 * would forget (it keeps only that something failed): every later write fails with the same exception and writes
 * nothing, so the output is what was written before the failure, never a part of what came after.
 */
final class FirstFailureStream extends FilterOutputStream
{
    private IOException failure;

    FirstFailureStream(final OutputStream out)
    {
        super(out);
    }

    /**
     * @return what the first failed write failed with, or {@code null}.
     */
    IOException failure()
    {
        return failure;
    }

    public void write(final int b) throws IOException
    {
        write(new byte[] { (byte)b }, 0, 1);
    }

    public void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        throwIfFailed();
        try
        {
            out.write(bytes, offset, length);
        }
        catch (final IOException ex)
        {
            failure = ex;
            throw ex;
        }
    }

    private void throwIfFailed() throws IOException
    {
        if (failure != null)
        {
            throw failure;
        }
    }
}
