package io.ringstack.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A process killed with SIGKILL while it journals leaves a journal that reads back cleanly up to its last complete
 * batch: every record intact, sequence numbers contiguous, the tail reported cut, and what is there replays.
 * <p>
 * The test reads the journal while the child writes it and kills the child only once a known prefix is readable,
 * so what the journal must hold afterwards does not depend on how fast the machine is: at least that prefix,
 * record for record and byte for byte, since a batch once written is in the queue's mapped files and outlives the
 * process.
 */
class JournalCrashTest
{
    /** The prefix to see before the kill: more than a few batches of records and of application commands. */
    private static final long RECORDS_BEFORE_KILL = 10_000;
    private static final long COMMANDS_BEFORE_KILL = 4_000;
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(20);

    @TempDir
    Path directory;

    @Test
    void sigkillLeavesAJournalIntactUpToTheCut() throws Exception
    {
        final Path journal = directory.resolve("crash");
        final Process child = startChild(journal);
        final Prefix seen;
        try
        {
            final BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals(JournalCrashChild.READY, out.readLine(), "the child did not start journaling");
            seen = awaitPrefix(journal, child);
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
        assertTrue(result.records() >= seen.records, () -> "the kill took records already written: " + result +
            ", seen before it " + seen);
        assertEquals(result.records() - 1, result.lastSequence(), "sequence numbers contiguous from 0");
        assertEquals(0, result.lostRecords());
        assertEquals(seen, Prefix.read(journal, seen.records), "the records seen before the kill, unchanged");

        final long commands = JournalTapTest.count(journal, JournalFormat.COMMAND);
        final ReplayReport replay = Replayer.replay(journal, null);
        assertTrue(replay.identical(), replay::toString);
        assertTrue(replay.tailCut());
        assertEquals(commands, replay.commands(), () -> "every recorded command carried out: " + replay.summary());
    }

    /**
     * Read the journal as the child writes it until a prefix of {@link #RECORDS_BEFORE_KILL} records with
     * {@link #COMMANDS_BEFORE_KILL} commands among them is intact, within {@link #LIMIT}.
     */
    private static Prefix awaitPrefix(final Path journal, final Process child)
    {
        final long deadlineNs = System.nanoTime() + LIMIT.toNanos();
        Prefix latest = null;
        String problem = null;
        while (latest == null || latest.records < RECORDS_BEFORE_KILL || latest.commands < COMMANDS_BEFORE_KILL)
        {
            if (!child.isAlive())
            {
                fail("the child died on its own with exit code " + child.exitValue() + "; read so far: " + latest);
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                fail("the journal did not reach " + RECORDS_BEFORE_KILL + " records and " + COMMANDS_BEFORE_KILL +
                    " commands within " + LIMIT.toSeconds() + " s; read so far: " + latest +
                    (problem == null ? "" : ", last problem: " + problem));
            }
            LockSupport.parkNanos(POLL_NS);
            try
            {
                latest = Prefix.read(journal, Long.MAX_VALUE);
            }
            catch (final JournalException ex)
            {
                problem = ex.getMessage();
            }
        }
        return latest;
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

    /**
     * The first records of a journal, as far as they are intact: how many, how many of them are commands, and a
     * CRC-32C of their bytes.
     */
    private record Prefix(long records, long commands, long digest)
    {
        static Prefix read(final Path journal, final long limit)
        {
            final CRC32C crc = new CRC32C();
            final long[] counts = new long[2];
            try (JournalReader reader = JournalReader.open(journal))
            {
                reader.read((record) ->
                {
                    if (counts[0] == limit)
                    {
                        return false;
                    }
                    final byte[] bytes = new byte[record.length()];
                    record.buffer().getBytes(record.offset(), bytes);
                    crc.update(bytes);
                    counts[0]++;
                    counts[1] += record.type() == JournalFormat.COMMAND ? 1 : 0;
                    return true;
                });
            }
            return new Prefix(counts[0], counts[1], crc.getValue());
        }
    }
}
