package io.ringstack.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One in-process run of the {@code ringstack} command line, with what it printed.
 */
record CommandRun(int exitCode, String out, String err)
{
    static CommandRun execute(final String... args)
    {
        return executeInto(new StringWriter(), args);
    }

    /**
     * Run with the command's output into {@code out}: e.g. a {@link RefusingWriter}.
     */
    static CommandRun executeInto(final Writer out, final String... args)
    {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RingstackCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        final int exitCode = commandLine.execute(args);

        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /**
     * Assert that the run was a usage error: exit code 2, {@code message} as the first line on stderr after
     * {@code ringstack: }, and no stack trace.
     */
    void assertUsageError(final String message)
    {
        assertEquals(RingstackCommand.EXIT_USAGE, exitCode, out);
        assertEquals("ringstack: " + message, err.lines().findFirst().orElse(""));
        RingstackCommandTest.assertNoStackTrace(this);
    }
}
