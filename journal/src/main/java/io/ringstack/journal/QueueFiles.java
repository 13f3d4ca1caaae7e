package io.ringstack.journal;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * How a journal directory maps to Chronicle Queue: one queue per directory, daily roll cycles, 16 MiB blocks (a
 * batch is at most a few hundred KiB). Opening for reading never creates or changes a file.
 */
final class QueueFiles
{
    /** Chronicle's data files. */
    static final String QUEUE_FILE_SUFFIX = ".cq4";
    /** Chronicle's table store: the queue's metadata. */
    static final String TABLE_FILE_SUFFIX = ".cq4t";
    /** A Chronicle document header's flags: a metadata document; a document still being written. */
    private static final int META_DATA = 0x4000_0000;
    private static final int NOT_COMPLETE = 0x8000_0000;
    /** After the 4-byte document header: the binary-wire field {@code header} and the type name's length byte. */
    private static final byte[] FIELD_HEADER = { (byte)0xB9, 6, 'h', 'e', 'a', 'd', 'e', 'r', (byte)0xB6 };
    private static final long BLOCK_SIZE = 16L * 1024 * 1024;

    private QueueFiles()
    {
    }

    /**
     * Create the directory if needed and open a queue in it for a new session.
     *
     * @throws JournalException when the directory cannot be made or already holds something.
     */
    static SingleChronicleQueue create(final Path directory)
    {
        try
        {
            if (Files.exists(directory) && !Files.isDirectory(directory))
            {
                throw new JournalException("not a directory: " + directory);
            }
            Files.createDirectories(directory);
            try (Stream<Path> entries = Files.list(directory))
            {
                if (entries.findAny().isPresent())
                {
                    throw new JournalException(
                        "journal directory is not empty: " + directory + " (a journal directory holds one session)");
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create journal directory " + directory + ": " + ex.getMessage(), ex);
        }
        return builder(directory).build();
    }

    /**
     * Open an existing journal read-only.
     *
     * @throws JournalException when the directory is missing or holds no queue files.
     */
    static SingleChronicleQueue openReadOnly(final Path directory)
    {
        if (!Files.exists(directory))
        {
            throw new JournalException("no such journal directory: " + directory);
        }
        if (!Files.isDirectory(directory))
        {
            throw new JournalException("not a ringstack journal: " + directory + " (a journal is a directory)");
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            final List<Path> files = entries.toList();
            if (files.stream().noneMatch((entry) -> entry.getFileName().toString().endsWith(QUEUE_FILE_SUFFIX)))
            {
                throw new JournalException("not a ringstack journal: " + directory + " (no queue files)");
            }
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(QUEUE_FILE_SUFFIX))
                {
                    checkStoreHeader(directory, file, "SCQStore");
                }
                else if (name.endsWith(TABLE_FILE_SUFFIX))
                {
                    checkStoreHeader(directory, file, "STStore");
                }
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot list journal directory " + directory + ": " + ex.getMessage(), ex);
        }
        try
        {
            return builder(directory).readOnly(true).build();
        }
        catch (final Exception | InternalError ex)
        {
            throw new JournalException("cannot open journal " + directory + ": " + describe(ex), ex);
        }
    }

    /**
     * Refuse at once a file Chronicle would wait on for tens of seconds before failing: one that does not begin
     * with a complete metadata document naming its store type, as every file Chronicle writes does.
     *
     * @throws JournalException naming the file and what is wrong with it.
     */
    private static void checkStoreHeader(final Path directory, final Path file, final String storeType)
        throws IOException
    {
        final byte[] expected = storeType.getBytes(StandardCharsets.US_ASCII);
        final int length = 4 + FIELD_HEADER.length + 1 + expected.length;
        final byte[] start = new byte[length];
        final int read;
        try (InputStream in = Files.newInputStream(file))
        {
            read = in.readNBytes(start, 0, length);
        }
        final String problem;
        if (read == 0)
        {
            problem = "it is empty";
        }
        else
        {
            final int header = ByteBuffer.wrap(start).order(ByteOrder.LITTLE_ENDIAN).getInt();
            final boolean named = read == length &&
                Arrays.equals(start, 4, 4 + FIELD_HEADER.length, FIELD_HEADER, 0, FIELD_HEADER.length) &&
                start[4 + FIELD_HEADER.length] == expected.length &&
                Arrays.equals(start, length - expected.length, length, expected, 0, expected.length);
            problem = !named ? "it does not begin with a Chronicle " + storeType + " header" :
                (header & META_DATA) == 0 || (header & NOT_COMPLETE) != 0 ? "its header was never completed" :
                storeType.equals("SCQStore") && Files.size(file) < BLOCK_SIZE ? cutShort(Files.size(file)) : null;
        }
        if (problem != null)
        {
            throw new JournalException("not a ringstack journal: " + directory + " (" + file.getFileName() + ": " +
                problem + ")");
        }
    }

    /**
     * Chronicle extends a queue file to a whole block as it creates it, so a shorter one lost its end: Chronicle would
     * fault, or fail in a way that depends on where the cut falls, reading past it.
     */
    private static String cutShort(final long length)
    {
        return "it is cut short: " + length + " bytes, less than the " + (BLOCK_SIZE >> 20) +
            " MiB block every queue file has";
    }

    /**
     * @return what went wrong in Chronicle, in one line: a fault reading its mapped memory (thrown as it is, or wrapped
     * by Chronicle) means a queue file shorter than the data its own header says it holds.
     */
    static String describe(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof InternalError)
            {
                return "a queue file ends before the data its header says it holds (cut short)";
            }
        }
        return failure.toString();
    }

    private static SingleChronicleQueueBuilder builder(final Path directory)
    {
        return SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).blockSize(BLOCK_SIZE);
    }
}
