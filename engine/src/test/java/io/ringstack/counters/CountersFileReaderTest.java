package io.ringstack.counters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CountersFileReaderTest
{
    @TempDir
    Path dir;

    @Test
    void refusesForeignFile() throws IOException
    {
        final Path file = dir.resolve("foreign.counters");
        final byte[] noise = new byte[8192];
        new Random(42).nextBytes(noise);
        Files.write(file, noise);

        assertRefused(file, "not a ringstack counters file: " + file);
    }

    @Test
    void refusesFileShorterThanHeader() throws IOException
    {
        final Path file = dir.resolve("short.counters");
        Files.write(file, new byte[10]);

        assertRefused(file, "not a ringstack counters file: " + file + " (truncated: 10 bytes)");
    }

    @Test
    void refusesFileCutShortOfItsBuffers() throws IOException
    {
        final Path file = dir.resolve("cut.counters");
        try (CountersFile countersFile = CountersFile.create(dir.resolve("whole.counters"), 4))
        {
            final byte[] whole = Files.readAllBytes(countersFile.file());
            Files.write(file, Arrays.copyOf(whole, whole.length - 1));

            assertRefused(
                file,
                "not a ringstack counters file: " + file +
                " (truncated: " + (whole.length - 1) + " of " + whole.length + " bytes)");
        }
    }

    @Test
    void refusesOtherLayoutVersion() throws IOException
    {
        final Path file = dir.resolve("future.counters");
        CountersFileHeaders.writeFile(
            file, CountersFile.LAYOUT_VERSION + 1, 4, ProcessHandle.current().pid(), System.currentTimeMillis());

        assertRefused(
            file,
            "not a ringstack counters file: " + file + " (layout version " + (CountersFile.LAYOUT_VERSION + 1) +
            ", this build reads " + CountersFile.LAYOUT_VERSION + ")");
    }

    @Test
    void refusesMissingFile()
    {
        final Path file = dir.resolve("missing.counters");

        assertRefused(file, "no such counters file: " + file);
    }

    @Test
    void exposesHeaderAndEngineName()
    {
        try (CountersFile ignored = CountersFile.create(CountersFile.pathFor(dir, "aarch64-virtio"), 2);
            CountersFileReader reader = CountersFileReader.open(CountersFile.pathFor(dir, "aarch64-virtio")))
        {
            assertEquals("aarch64-virtio", reader.engineName());
            assertEquals(ProcessHandle.current().pid(), reader.ownerPid());
            assertTrue(reader.isOwnerAlive());
        }
    }

    @Test
    void ownerIsNotAliveWhenItsPidBelongsToALaterProcess() throws IOException
    {
        final Path file = dir.resolve("stale.counters");
        CountersFileHeaders.writeFile(file, CountersFile.LAYOUT_VERSION, 4, ProcessHandle.current().pid(), 0);

        try (CountersFileReader reader = CountersFileReader.open(file))
        {
            assertFalse(reader.isOwnerAlive());
        }
    }

    private static void assertRefused(final Path file, final String expectedMessage)
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> CountersFileReader.open(file));

        assertEquals(expectedMessage, ex.getMessage());
    }
}
