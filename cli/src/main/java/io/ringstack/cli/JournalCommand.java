package io.ringstack.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code ringstack journal}: tools for engine journals. A journal is a directory, one engine session in a Chronicle
 * Queue; see {@code io.ringstack.journal.JournalFormat}.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Read, check, replay, compare, export and import engine journals.",
    subcommands = {
        JournalDumpCommand.class,
        JournalStatsCommand.class,
        JournalExportCommand.class,
        JournalImportCommand.class,
        JournalReplayCommand.class,
        JournalVerifyCommand.class,
        JournalDiffCommand.class })
public final class JournalCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    /**
     * Without a subcommand there is nothing to do: a usage error.
     */
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
