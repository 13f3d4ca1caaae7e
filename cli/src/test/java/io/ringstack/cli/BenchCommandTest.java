package io.ringstack.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ringstack.cli.RingstackCommandTest.assertNoStackTrace;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The errors {@code ringstack bench} reports before it starts the suite; the suite itself is tested in the bench
 * module.
 */
class BenchCommandTest
{
    @TempDir
    Path dir;

    @AfterEach
    void forgetSourceTree()
    {
        System.clearProperty(BenchCommand.HOME_PROP_NAME);
    }

    @Test
    void filterThatIsNotARegularExpressionIsUsageErrorInOneLine()
    {
        final CommandRun run = CommandRun.execute("bench", "--filter", "(bad", "--out", dir.toString());

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode());
        assertEquals("ringstack: --filter is not a regular expression: Unclosed group near index 4 of (bad" +
            System.lineSeparator(), run.err());
        assertEquals("", run.out());
    }

    @Test
    void outThatIsAFileFailsInOneLine() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("REPORT.md"), "");

        final CommandRun run = CommandRun.execute("bench", "--quick", "--out", file.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
        assertEquals("ringstack: not a directory: " + file + System.lineSeparator(), run.err());
    }

    @Test
    void outInsideAFileFailsInOneLine() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("REPORT.md"), "");
        final Path out = file.resolve("report");

        final CommandRun run = CommandRun.execute("bench", "--out", out.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().startsWith("ringstack: cannot create directory " + out + ": "), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void withoutTheSourceTreeItSaysToUseTheLauncher()
    {
        final CommandRun run = CommandRun.execute("bench", "--quick", "--out", dir.toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
        assertEquals("ringstack: bench needs the source tree: run it through the ringstack launcher at its root" +
            System.lineSeparator(), run.err());
    }

    @Test
    void sourceTreeWithoutBenchmarksJarFailsInOneLine()
    {
        System.setProperty(BenchCommand.HOME_PROP_NAME, dir.toString());

        final CommandRun run = CommandRun.execute("bench", "--quick", "--out", dir.resolve("out").toString());

        assertEquals(RingstackCommand.EXIT_FAILURE, run.exitCode());
        assertEquals("ringstack: no " + dir.resolve(BenchCommand.BENCHMARKS_JAR) +
            " (the ringstack launcher builds it)" + System.lineSeparator(), run.err());
    }

    @Test
    void helpNamesTheOptions()
    {
        final CommandRun run = CommandRun.execute("bench", "--help");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode());
        assertTrue(run.out().startsWith("Usage: ringstack bench [-hV] [--quick] [--filter=REGEX] [--out=DIR]"),
            run.out());
    }
}
