package io.ringstack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code ringstack} command: the entry point of the shaded jar. Errors reach the user as one line,
 * {@code ringstack: <message>}, never as a stack trace; the exit code says what kind of error it was.
 */
@Command(
    name = "ringstack",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "A user-space TCP/IP packet engine for the JVM.",
    subcommands = {
        DemoCommand.class, ServeCommand.class, ConnectCommand.class, GetCommand.class, StatCommand.class,
        JournalCommand.class, BenchCommand.class, RelayCommand.class })
public final class RingstackCommand implements Callable<Integer>
{
    /** Exit code of a command that did what was asked. */
    public static final int EXIT_OK = 0;
    /** Exit code of a command that could not do what was asked. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a command line that could not be parsed. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    /**
     * Run the command, printing to the JVM's standard output ({@link StandardOutput}), and exit with its exit code,
     * or with an error if its output was lost ({@link StandardOutput#exitCode}). In the run that writes the
     * launcher's class data sharing archive, the exit waits for the JIT's queue to drain first ({@link CompileQueue}).
     *
     * @param args command line arguments.
     */
    public static void main(final String[] args)
    {
        final StandardOutput out = StandardOutput.open();
        final CommandLine commandLine = commandLine().setOut(out);
        final int exitCode = out.exitCode(commandLine, commandLine.execute(args));
        if (Boolean.getBoolean(CompileQueue.ARCHIVING_PROPERTY))
        {
            CompileQueue.awaitDrained(CompileQueue.DRAIN_WAIT_MS);
        }
        System.exit(exitCode);
    }

    /**
     * @return the command line with ringstack's error handlers installed, ready to execute.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new RingstackCommand())
            .setParameterExceptionHandler(RingstackCommand::handleParameterException)
            .setExecutionExceptionHandler(RingstackCommand::handleExecutionException);
    }

    /**
     * Without a subcommand there is nothing to do: a usage error.
     */
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /**
     * Print a line to the command's error stream in the form every ringstack error takes.
     *
     * @param commandLine whose error stream to print to.
     * @param message     to print after the {@code ringstack: } prefix.
     */
    /**
     * Wait until a long-running command's shutdown hook (SIGTERM, Ctrl-C) has counted {@code stopped} down; an
     * interrupt ends the wait too.
     *
     * @return {@link #EXIT_OK}.
     */
    static int untilStopped(final CountDownLatch stopped)
    {
        try
        {
            stopped.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    static void printError(final CommandLine commandLine, final String message)
    {
        commandLine.getErr().println("ringstack: " + message);
    }

    private static int handleParameterException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();

        printError(commandLine, ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.print(commandLine.getUsageMessage());
        err.flush();

        return EXIT_USAGE;
    }

    private static int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        printError(commandLine, null == ex.getMessage() ? ex.getClass().getName() : ex.getMessage());

        return EXIT_FAILURE;
    }

    /**
     * Version from the jar manifest, and the JVM it runs on.
     */
    static final class VersionProvider implements CommandLine.IVersionProvider
    {
        /**
         * {@inheritDoc}
         */
        public String[] getVersion()
        {
            final String version = RingstackCommand.class.getPackage().getImplementationVersion();

            return new String[]
                {
                    "ringstack " + (null == version ? "(development build)" : version),
                    "JVM " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
                };
        }
    }
}
