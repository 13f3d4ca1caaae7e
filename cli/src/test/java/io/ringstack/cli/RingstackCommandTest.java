package io.ringstack.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RingstackCommandTest
{
    @Test
    void unknownOptionExitsTwoWithUsageAndNoStackTrace()
    {
        final CommandRun run = CommandRun.execute("stat", "--bogus");

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("ringstack: Unknown option: '--bogus'" + System.lineSeparator()), run.err());
        assertTrue(run.err().contains("Usage: ringstack stat"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void unknownSubcommandExitsTwoWithSuggestion()
    {
        final CommandRun run = CommandRun.execute("sta");

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("Did you mean: ringstack stat?"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void missingSubcommandIsUsageError()
    {
        final CommandRun run = CommandRun.execute();

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("ringstack: Missing required subcommand"), run.err());
    }

    @Test
    void helpListsStatAndBenchAndExitsZero()
    {
        final CommandRun run = CommandRun.execute("--help");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode());
        assertTrue(run.out().startsWith("Usage: ringstack"), run.out());
        assertTrue(run.out().contains("  stat "), run.out());
        assertTrue(run.out().contains("  bench "), run.out());
        assertEquals("", run.err());
    }

    @Test
    void versionNamesRingstackAndJvm()
    {
        final CommandRun run = CommandRun.execute("--version");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode());
        assertTrue(run.out().startsWith("ringstack "), run.out());
        assertTrue(run.out().contains("JVM " + Runtime.version()), run.out());
    }

    static void assertNoStackTrace(final CommandRun run)
    {
        assertFalse(run.err().contains("\tat "), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
