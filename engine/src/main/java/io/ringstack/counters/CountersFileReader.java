package io.ringstack.counters;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static io.ringstack.counters.CountersFile.*;

/**
 * Read-only view of a {@link CountersFile} written by another process (or this one): the header, and a
 * {@link CountersReader} over the live counters. {@link #open(Path)} validates the header, so a foreign, truncated
 * or wrong-version file is refused with a one-line message rather than read as garbage.
 */
public final class CountersFileReader implements AutoCloseable
{
    /**
     * Slack when comparing the owner's process start time, which the OS reports to about a second, with the file's
     * start timestamp.
     */
    static final long PROCESS_START_TOLERANCE_MS = 1000;

    private final Path file;
    private final MappedByteBuffer mappedBuffer;
    private final long ownerPid;
    private final long startTimestampMs;
    private final CountersReader countersReader;
    private boolean isClosed;

    private CountersFileReader(
        final Path file,
        final MappedByteBuffer mappedBuffer,
        final long ownerPid,
        final long startTimestampMs,
        final CountersReader countersReader)
    {
        this.file = file;
        this.mappedBuffer = mappedBuffer;
        this.ownerPid = ownerPid;
        this.startTimestampMs = startTimestampMs;
        this.countersReader = countersReader;
    }

    /**
     * Map a counters file read-only and validate its header.
     *
     * @param file to open.
     * @return the reader, which holds the mapping until {@link #close()}.
     * @throws IllegalStateException with a one-line message if the file is missing, unreadable, or not a counters
     *                               file of this layout version ({@code "not a ringstack counters file: <path>"}).
     */
    public static CountersFileReader open(final Path file)
    {
        final long fileLength = fileLength(file);
        if (fileLength < HEADER_LENGTH)
        {
            throw notCountersFile(file, "truncated: " + fileLength + " bytes");
        }

        final MappedByteBuffer mappedBuffer = map(file);
        try
        {
            return wrap(file, mappedBuffer, fileLength);
        }
        catch (final IllegalStateException ex)
        {
            IoUtil.unmap(mappedBuffer);
            throw ex;
        }
    }

    /**
     * @return the path the reader was opened on.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the engine name the file is named after.
     */
    public String engineName()
    {
        return CountersFile.engineName(file);
    }

    /**
     * @return process id of the process that created the file.
     */
    public long ownerPid()
    {
        return ownerPid;
    }

    /**
     * @return when the file was created, in ms since the epoch.
     */
    public long startTimestampMs()
    {
        return startTimestampMs;
    }

    /**
     * The owner is alive if a live process has its pid and that process did not start after the file was created
     * (which would make it a later process that reused the pid).
     *
     * @return {@code true} if the process that created the file still runs.
     */
    public boolean isOwnerAlive()
    {
        return ProcessHandle.of(ownerPid)
            .filter(ProcessHandle::isAlive)
            .map((process) -> process.info().startInstant()
                .map((started) -> started.toEpochMilli() <= startTimestampMs + PROCESS_START_TOLERANCE_MS)
                .orElse(true))
            .orElse(false);
    }

    /**
     * @return reader over the live counters; it must not be used after {@link #close()}.
     */
    public CountersReader countersReader()
    {
        return countersReader;
    }

    /**
     * Unmap the file. Idempotent.
     */
    public void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            IoUtil.unmap(mappedBuffer);
        }
    }

    private static CountersFileReader wrap(final Path file, final MappedByteBuffer mappedBuffer, final long fileLength)
    {
        final UnsafeBuffer header = new UnsafeBuffer(mappedBuffer, 0, HEADER_LENGTH);
        if (MAGIC != header.getIntVolatile(MAGIC_OFFSET))
        {
            throw notCountersFile(file, null);
        }

        final int layoutVersion = header.getInt(LAYOUT_VERSION_OFFSET);
        if (LAYOUT_VERSION != layoutVersion)
        {
            throw notCountersFile(
                file, "layout version " + layoutVersion + ", this build reads " + LAYOUT_VERSION);
        }

        final int metaDataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        final long ownerPid = header.getLong(OWNER_PID_OFFSET);
        final long expectedLength = (long)HEADER_LENGTH + metaDataLength + valuesLength;
        if (valuesLength <= 0 ||
            valuesLength % CountersReader.COUNTER_LENGTH != 0 ||
            (long)metaDataLength * CountersReader.COUNTER_LENGTH !=
                (long)valuesLength * CountersReader.METADATA_LENGTH ||
            ownerPid <= 0)
        {
            throw notCountersFile(file, "corrupt header");
        }

        if (expectedLength > fileLength)
        {
            throw notCountersFile(file, "truncated: " + fileLength + " of " + expectedLength + " bytes");
        }

        final CountersReader countersReader = new CountersReader(
            metaDataBuffer(mappedBuffer, metaDataLength),
            valuesBuffer(mappedBuffer, metaDataLength, valuesLength),
            LABEL_CHARSET);

        return new CountersFileReader(
            file, mappedBuffer, ownerPid, header.getLong(START_TIMESTAMP_OFFSET), countersReader);
    }

    private static long fileLength(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("no such counters file: " + file, ex);
        }
        catch (final IOException ex)
        {
            throw cannotRead(file, ex);
        }
    }

    private static MappedByteBuffer map(final Path file)
    {
        try
        {
            return IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "counters");
        }
        catch (final Exception ex) // IoUtil rethrows IOException unchecked
        {
            throw cannotRead(file, ex);
        }
    }

    private static IllegalStateException cannotRead(final Path file, final Exception cause)
    {
        return new IllegalStateException(
            "cannot read counters file: " + file + " (" + cause.getClass().getSimpleName() + ")", cause);
    }

    private static IllegalStateException notCountersFile(final Path file, final String reason)
    {
        return new IllegalStateException(
            "not a ringstack counters file: " + file + (null == reason ? "" : " (" + reason + ")"));
    }
}
