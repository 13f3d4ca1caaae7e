package io.ringstack.cli;

import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReadResult;

import java.nio.file.Path;
import net.openhft.posix.PosixAPI;

/**
 * What the journal commands share: opening a journal quietly, and turning an integrity problem into the command's
 * one-line error.
 */
final class JournalCli
{
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private JournalCli()
    {
    }

    /**
     * Open a journal for reading, in a command that only reads journals. Chronicle's own warnings are turned down
     * first: the commands report what matters in their one-line errors. So is the warm-up of Chronicle's native
     * POSIX bindings, which its {@code Jvm} class runs as it loads (jnr-ffi generating its stubs: about 0.3 s of
     * processor time, a quarter of a short command's), and which reading a queue never calls: Chronicle maps, reads
     * and unmaps through the JDK, and uses the bindings only to sync and pre-touch what it writes.
     *
     * @throws io.ringstack.journal.JournalException with a one-line message when it is not a readable journal.
     */
    static JournalReader open(final Path directory)
    {
        quietChronicle();
        PosixAPI.useNoOpPosixApi();
        return JournalReader.open(directory);
    }

    /**
     * Turn Chronicle's logging down to errors unless the user chose a level.
     */
    static void quietChronicle()
    {
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null)
        {
            System.setProperty(LOG_LEVEL_PROPERTY, "error");
        }
    }

    /**
     * @return {@link RingstackCommand#EXIT_OK} when the read was intact, else prints the problem as the command's
     * error and returns {@link RingstackCommand#EXIT_FAILURE}.
     */
    static int exitCode(final picocli.CommandLine commandLine, final Path directory, final ReadResult result)
    {
        if (result.intact())
        {
            return RingstackCommand.EXIT_OK;
        }
        RingstackCommand.printError(commandLine, "journal " + directory + ": " + result.problem());
        return RingstackCommand.EXIT_FAILURE;
    }
}
