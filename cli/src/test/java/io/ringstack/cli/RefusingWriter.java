package io.ringstack.cli;

import java.io.IOException;
import java.io.Writer;

/**
 * A writer that refuses every character as a pipe whose reader has gone does, for a command's output.
 */
final class RefusingWriter extends Writer
{
    public void write(final char[] chars, final int offset, final int length) throws IOException
    {
        throw new IOException("Broken pipe");
    }

    public void flush()
    {
    }

    public void close()
    {
    }
}
