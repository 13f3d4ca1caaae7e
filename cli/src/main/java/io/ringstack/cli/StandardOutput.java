package io.ringstack.cli;

import io.ringstack.journal.BrokenPipe;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The command's standard output as picocli would make it (a {@link PrintWriter} in the charset of
 * {@code sun.stdout.encoding} or else the JVM's default, flushed at each line), which also hands out the descriptor
 * itself, for a command that writes much text it already has in UTF-8 as bytes ({@code journal dump}): no characters
 * to encode and no copy through the streams' buffers. It writes to the descriptor, not through {@link System#out},
 * which would forget why a write failed: the first failure ends the output ({@link FirstFailureStream}), and
 * {@link #exitCode} makes it the command's error, unless a pipe's reader had gone.
 */
final class StandardOutput extends PrintWriter
{
    private final FirstFailureStream stream;
    private final Charset charset;

    private StandardOutput(final FirstFailureStream stream, final Charset charset)
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
        return new StandardOutput(new FirstFailureStream(new FileOutputStream(FileDescriptor.out)),
            encoding == null ? Charset.defaultCharset() :
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
        return new FileOutputStream(FileDescriptor.out).getChannel();
    }

    /**
     * Write what was printed, and end a command whose output failed: a pipe whose reader has gone
     * ({@code | head}) is the reader's choice and leaves the exit code as it is, but any other failure (a full disk)
     * lost output, and is one line on standard error, {@code ringstack: cannot write stats: No space left on device}.
     *
     * @param commandLine the command line that ran, whose innermost command names the output.
     * @param exitCode    the command's exit code.
     * @return {@code exitCode}, or {@link RingstackCommand#EXIT_FAILURE} in place of {@link RingstackCommand#EXIT_OK}
     * when the output was lost.
     */
    int exitCode(final CommandLine commandLine, final int exitCode)
    {
        flush();
        final IOException failure = stream.failure();
        if (failure == null || BrokenPipe.is(failure))
        {
            return exitCode;
        }
        RingstackCommand.printError(commandLine, "cannot write " + outputName(commandLine) + ": " +
            failure.getMessage());
        return exitCode == RingstackCommand.EXIT_OK ? RingstackCommand.EXIT_FAILURE : exitCode;
    }

    /**
     * @return the name of the innermost command that was run ({@code dump}, {@code stats}), or {@code output}.
     */
    private static String outputName(final CommandLine commandLine)
    {
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        if (parsed == null || !parsed.hasSubcommand())
        {
            return "output";
        }
        while (parsed.hasSubcommand())
        {
            parsed = parsed.subcommand();
        }
        return parsed.commandSpec().name();
    }
}
