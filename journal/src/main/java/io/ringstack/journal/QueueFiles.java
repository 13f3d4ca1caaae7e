package io.ringstack.journal;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How a journal directory maps to Chronicle Queue: one queue per directory, daily roll cycles, 16 MiB blocks (a
 * batch is at most a few hundred KiB). Opening for reading never creates or changes a file.
 */
final class QueueFiles
{
    /** Chronicle's data files. */
    static final String QUEUE_FILE_SUFFIX = ".cq4";
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
            if (entries.noneMatch((entry) -> entry.getFileName().toString().endsWith(QUEUE_FILE_SUFFIX)))
            {
                throw new JournalException("not a ringstack journal: " + directory + " (no queue files)");
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
        catch (final Exception ex)
        {
            throw new JournalException("cannot open journal " + directory + ": " + ex, ex);
        }
    }

    private static SingleChronicleQueueBuilder builder(final Path directory)
    {
        return SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).blockSize(BLOCK_SIZE);
    }
}
