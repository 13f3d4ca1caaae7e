package io.ringstack.counters;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CountersFileTest
{
    /** No Linux process can have this pid: pid_max is at most 2^22. */
    private static final long PID_OF_NO_PROCESS = Integer.MAX_VALUE;

    @TempDir
    Path dir;

    @Test
    void counterIncrementedByWriterIsSeenByReaderOnSamePath()
    {
        final Path file = CountersFile.pathFor(dir, "engine-a");
        try (CountersFile countersFile = CountersFile.create(file, 8);
            CountersFileReader reader = CountersFileReader.open(file))
        {
            final AtomicCounter counter = countersFile.manager().newCounter("rx_frames");
            counter.increment();
            counter.getAndAdd(41);

            assertEquals("rx_frames", reader.countersReader().getCounterLabel(counter.id()));
            assertEquals(42, reader.countersReader().getCounterValue(counter.id()));
        }
    }

    @Test
    void createMakesParentDirectoriesAndRecordsThisProcessAsOwner()
    {
        final long beforeMs = System.currentTimeMillis();
        final Path file = CountersFile.pathFor(dir.resolve("a/b"), "engine-a");
        try (CountersFile ignored = CountersFile.create(file, 1);
            CountersFileReader reader = CountersFileReader.open(file))
        {
            assertEquals(ProcessHandle.current().pid(), reader.ownerPid());
            assertTrue(reader.startTimestampMs() >= beforeMs);
            assertTrue(reader.startTimestampMs() <= System.currentTimeMillis());
            assertTrue(reader.isOwnerAlive());
        }
    }

    @Test
    void closeDeletesFile()
    {
        final CountersFile countersFile = CountersFile.create(CountersFile.pathFor(dir, "engine-a"), 4);
        assertTrue(Files.exists(countersFile.file()));

        countersFile.close();
        countersFile.close();

        assertFalse(Files.exists(countersFile.file()));
    }

    @Test
    void createReplacesForeignFile() throws IOException
    {
        final Path file = CountersFile.pathFor(dir, "engine-a");
        final byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Files.write(file, noise);

        assertCreatesOverStaleFile(file);
    }

    @Test
    void createReplacesFileWhoseOwnerHasExited() throws IOException
    {
        final Path file = CountersFile.pathFor(dir, "engine-a");
        CountersFileHeaders.writeFile(
            file, CountersFile.LAYOUT_VERSION, 4, PID_OF_NO_PROCESS, System.currentTimeMillis());

        assertCreatesOverStaleFile(file);
    }

    @Test
    void createReplacesFileWhosePidWasReusedByALaterProcess() throws IOException
    {
        final Path file = CountersFile.pathFor(dir, "engine-a");
        CountersFileHeaders.writeFile(file, CountersFile.LAYOUT_VERSION, 4, ProcessHandle.current().pid(), 0);

        assertCreatesOverStaleFile(file);
    }

    @Test
    void createRefusesFileOwnedByLiveProcess()
    {
        final Path file = CountersFile.pathFor(dir, "engine-a");
        try (CountersFile ignored = CountersFile.create(file, 4))
        {
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> CountersFile.create(file, 4));

            assertEquals(
                "counters file in use by live process " + ProcessHandle.current().pid() + ": " + file,
                ex.getMessage());
        }
    }

    @Test
    void createRejectsCounterCountOutOfRange()
    {
        final Path file = CountersFile.pathFor(dir, "engine-a");

        assertThrows(IllegalArgumentException.class, () -> CountersFile.create(file, 0));
        assertThrows(IllegalArgumentException.class, () -> CountersFile.create(file, CountersFile.MAX_COUNTERS + 1));
        assertFalse(Files.exists(file));
    }

    @Test
    void pathForNamesFileAfterEngineAndEngineNameReadsItBack()
    {
        final Path file = CountersFile.pathFor(dir, "x86_64-e1000");

        assertEquals(dir.resolve("x86_64-e1000.counters"), file);
        assertEquals("x86_64-e1000", CountersFile.engineName(file));
    }

    @Test
    void pathForRejectsNamesThatAreNotPlainFileNames()
    {
        for (final String name : List.of("", ".", "..", "a/b", "a\\b"))
        {
            assertThrows(IllegalArgumentException.class, () -> CountersFile.pathFor(dir, name), name);
        }
    }

    @Test
    void listFilesFindsOnlyCountersFilesSortedByName() throws IOException
    {
        Files.createFile(dir.resolve("b.counters"));
        Files.createFile(dir.resolve("a.counters"));
        Files.createFile(dir.resolve("notes.txt"));
        Files.createDirectory(dir.resolve("c.counters"));

        assertEquals(
            List.of(dir.resolve("a.counters"), dir.resolve("b.counters")), CountersFile.listFiles(dir));
    }

    @Test
    void defaultDirectoryIsTakenFromSystemPropertyFirst()
    {
        final String previous = System.getProperty(CountersFile.DIR_PROP_NAME);
        System.setProperty(CountersFile.DIR_PROP_NAME, dir.toString());
        try
        {
            assertEquals(dir, CountersFile.defaultDirectory());
        }
        finally
        {
            if (null == previous)
            {
                System.clearProperty(CountersFile.DIR_PROP_NAME);
            }
            else
            {
                System.setProperty(CountersFile.DIR_PROP_NAME, previous);
            }
        }
    }

    private static void assertCreatesOverStaleFile(final Path file)
    {
        final long beforeMs = System.currentTimeMillis();
        try (CountersFile ignored = CountersFile.create(file, 4);
            CountersFileReader reader = CountersFileReader.open(file))
        {
            assertEquals(ProcessHandle.current().pid(), reader.ownerPid());
            assertTrue(reader.startTimestampMs() >= beforeMs);
        }
    }
}
