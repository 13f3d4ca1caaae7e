package io.ringstack.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The command's standard output as picocli would make it (a {@link PrintWriter} over {@link System#out}, in the
 * charset of {@code sun.stdout.encoding} or else the JVM's default, flushed at each line), which also hands out the
 * descriptor itself, for a command that writes much text it already has in UTF-8 as bytes ({@code journal dump}):
 * no characters to encode and no copy through the streams' buffers.
 */
final class StandardOutput extends PrintWriter
{
    private final PrintStream stream;
    private final Charset charset;

    private StandardOutput(final PrintStream stream, final Charset charset)
    {
        super(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
        this.stream = stream;
        this.charset = charset;
    }

    /**
     * @return the JVM's standard output, in the charset picocli takes for it.
     */
    static StandardOutput open()
    {
        final String encoding = System.getProperty("sun.stdout.encoding");
        return new StandardOutput(System.out, encoding == null ? Charset.defaultCharset() :
            "cp65001".equalsIgnoreCase(encoding) ? StandardCharsets.UTF_8 : Charset.forName(encoding));
    }

    /**
     * Write what was printed so far, and hand out standard output's descriptor for text in UTF-8; it is not to be
     * closed.
     *
     * @return the channel, or {@code null} when standard output takes another charset than UTF-8.
     */
    FileChannel utf8Channel()
    {
        if (!StandardCharsets.UTF_8.equals(charset))
        {
            return null;
        }
        flush();
        stream.flush();
        return new FileOutputStream(FileDescriptor.out).getChannel();
    }
}
