package io.ringstack.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed with SIGKILL while it journals leaves a journal that reads back cleanly up to its last complete
 * batch: every record intact, sequence numbers contiguous, the tail reported cut, and what is there replays.
 */
class JournalCrashTest
{
    @TempDir
    Path directory;

    @Test
    void sigkillLeavesAJournalIntactUpToTheCut() throws Exception
    {
        final Path journal = directory.resolve("crash");
        final Process child = startChild(journal);
        try
        {
            final BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals(JournalCrashChild.READY, out.readLine(), "the child did not start journaling");
            Thread.sleep(300);
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die");
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL (128 + 9)");

        final ReadResult result = JournalTapTest.readAll(journal);
        assertTrue(result.intact(), result::toString);
        assertFalse(result.closed());
        assertTrue(result.tailCut());
        assertTrue(result.records() > 10_000, result::toString);
        assertEquals(result.records() - 1, result.lastSequence());
        assertEquals(0, result.lostRecords());

        final ReplayReport replay = Replayer.replay(journal, null);
        assertTrue(replay.identical(), replay::toString);
        assertTrue(replay.tailCut());
        assertTrue(replay.commands() > 4_000, replay::summary);
    }

    private static Process startChild(final Path journal) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!argument.startsWith("-agentlib") && !argument.startsWith("-javaagent"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(JournalCrashChild.class.getName());
        command.add(journal.toString());
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
