package io.ringstack.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the reader says about directories that are not intact journals: one line, never a stack trace, and for a
 * corrupt journal the record where the damage is.
 */
class JournalReaderTest
{
    @TempDir
    Path directory;

    @Test
    void missingDirectory()
    {
        final Path missing = directory.resolve("missing");

        assertEquals("no such journal directory: " + missing, openFails(missing));
    }

    @Test
    void emptyDirectory()
    {
        assertEquals("not a ringstack journal: " + directory + " (no queue files)", openFails(directory));
    }

    @Test
    void fileInsteadOfDirectory() throws IOException
    {
        final Path file = Files.writeString(directory.resolve("journal"), "not a directory");

        assertEquals("not a ringstack journal: " + file + " (a journal is a directory)", openFails(file));
    }

    @Test
    void chronicleQueueOfSomethingElse()
    {
        final Path foreign = directory.resolve("foreign");
        try (ChronicleQueue queue = QueueFiles.create(foreign))
        {
            final ExcerptAppender appender = queue.createAppender();
            appender.writeText("an order book, perhaps");
        }

        assertEquals("not a ringstack journal: " + foreign + " (its queue holds no ringstack batches)",
            openFails(foreign));
    }

    @Test
    void garbageQueueFile() throws IOException
    {
        final byte[] garbage = new byte[256 * 1024];
        for (int i = 0; i < garbage.length; i++)
        {
            garbage[i] = (byte)(i * 31 + 7);
        }
        Files.write(directory.resolve("20260101F.cq4"), garbage);

        final String message = openFails(directory);
        assertTrue(message.startsWith("not a ringstack journal: " + directory) ||
            message.startsWith("cannot open journal " + directory), message);
    }

    @Test
    void aFlippedByteIsFoundByItsBatchsCrcAndNoRecordOfThatBatchIsHandedOn() throws IOException
    {
        final Path copy = copyOf(SeedJournals.recorded().guest(), directory.resolve("copy"));
        final long command = SeedJournalReplayTest.find(copy, (record) -> record.type() == JournalFormat.COMMAND &&
            record.messageLength() > 40);
        flipByteOf(copy, "Hello from Breenix UDP!");

        try (JournalReader reader = JournalReader.open(copy))
        {
            final ReadResult result = reader.read((record) -> true);

            assertFalse(result.intact());
            assertTrue(result.records() <= command, "the batch holds the command: " + result);
            assertEquals("record " + result.records() + ": CRC mismatch", result.problem(),
                "named by its batch's first record, which carries the batch's CRC");
            assertFalse(result.tailCut());
        }
    }

    private static String openFails(final Path path)
    {
        final JournalException ex = assertThrows(JournalException.class, () -> JournalReader.open(path).close());
        assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
        return ex.getMessage();
    }

    static Path copyOf(final Path journal, final Path copy) throws IOException
    {
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(journal))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

    private static void flipByteOf(final Path journal, final String text) throws IOException
    {
        final byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        try (Stream<Path> files = Files.list(journal))
        {
            for (final Path file : files.filter((f) -> f.toString().endsWith(QueueFiles.QUEUE_FILE_SUFFIX)).toList())
            {
                final byte[] bytes = Files.readAllBytes(file);
                final int at = indexOf(bytes, needle);
                if (at >= 0)
                {
                    bytes[at + 3] ^= 0x01;
                    Files.write(file, bytes);
                    return;
                }
            }
        }
        throw new AssertionError("'" + text + "' is not in " + List.of(journal));
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            int j = 0;
            while (j < needle.length && haystack[i + j] == needle[j])
            {
                j++;
            }
            if (j == needle.length)
            {
                return i;
            }
        }
        return -1;
    }
}
