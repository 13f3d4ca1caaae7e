package io.ringstack.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code ringstack} command line, with what it printed.
 */
record CommandRun(int exitCode, String out, String err)
{
    static CommandRun execute(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = RingstackCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        final int exitCode = commandLine.execute(args);

        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
