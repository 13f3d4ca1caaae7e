package io.ringstack.counters;

import org.agrona.IoUtil;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.ConcurrentCountersManager;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine's counters in a memory-mapped file that another process can read while the engine runs, as AeronStat
 * reads Aeron's CnC file. The writer side: {@link #create(Path, int)} maps a new file and {@link #manager()}
 * allocates counters in it; {@link CountersFileReader} is the reader side.
 * <p>
 * Layout, in the host's native byte order (the file is shared through memory on one host, never across hosts):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                         Magic (MAGIC)                         |
 *  +---------------------------------------------------------------+
 *  |                 Layout Version (LAYOUT_VERSION)               |
 *  +---------------------------------------------------------------+
 *  |                    Metadata Buffer Length                     |
 *  +---------------------------------------------------------------+
 *  |                     Values Buffer Length                      |
 *  +---------------------------------------------------------------+
 *  |                                                               |
 *  +                    Owner Process Id (64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               |
 *  +          Start Timestamp, ms since the epoch (64)             +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Reserved, zero, up to HEADER_LENGTH             ...
 *  +---------------------------------------------------------------+
 *  |       Agrona Counters Metadata Buffer (n * METADATA_LENGTH)  ...
 *  +---------------------------------------------------------------+
 *  |        Agrona Counters Values Buffer (n * COUNTER_LENGTH)    ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The magic is stored last with release semantics, so a reader that sees it sees a complete header. Labels are
 * {@link #LABEL_CHARSET}. Files are named {@link #pathFor(Path, String)} in {@link #defaultDirectory()} unless an
 * engine is told otherwise.
 * <p>
 * {@link #close()} unmaps and deletes the file; counters allocated from {@link #manager()} must not be used after.
 */
public final class CountersFile implements AutoCloseable
{
    /** Identifies a ringstack counters file. */
    public static final int MAGIC = 0x5253_4354;
    /** Version of the layout above; a reader refuses any other. */
    public static final int LAYOUT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 4;
    public static final int METADATA_LENGTH_OFFSET = 8;
    public static final int VALUES_LENGTH_OFFSET = 12;
    public static final int OWNER_PID_OFFSET = 16;
    public static final int START_TIMESTAMP_OFFSET = 24;
    /** Header length, padded so the buffers after it keep the alignment of a counter record. */
    public static final int HEADER_LENGTH = 128;

    /** Most counters a file can hold while the whole file stays mappable as one buffer. */
    public static final int MAX_COUNTERS =
        (Integer.MAX_VALUE - HEADER_LENGTH) / (CountersReader.METADATA_LENGTH + CountersReader.COUNTER_LENGTH);

    /** Charset of counter labels, used by writer and reader alike. */
    public static final Charset LABEL_CHARSET = StandardCharsets.UTF_8;

    /** Suffix of a counters file name; the rest of the name is the engine's name. */
    public static final String FILE_SUFFIX = ".counters";
    /** System property naming the directory of counters files. */
    public static final String DIR_PROP_NAME = "ringstack.dir";
    /** Environment variable naming the directory of counters files, used when the property is not set. */
    public static final String DIR_ENV_NAME = "RINGSTACK_DIR";

    private final Path file;
    private final MappedByteBuffer mappedBuffer;
    private final CountersManager manager;
    private boolean isClosed;

    private CountersFile(final Path file, final MappedByteBuffer mappedBuffer, final CountersManager manager)
    {
        this.file = file;
        this.mappedBuffer = mappedBuffer;
        this.manager = manager;
    }

    /**
     * Create a counters file for this process, creating its parent directories. A stale file on the path (foreign,
     * corrupt, or left by a process that has exited) is replaced.
     *
     * @param file        to create.
     * @param maxCounters the file can hold, from 1 to {@link #MAX_COUNTERS}.
     * @return the mapped file, owned by this process until {@link #close()}.
     * @throws IllegalStateException if a live process, this one included, still owns a counters file on the path.
     */
    public static CountersFile create(final Path file, final int maxCounters)
    {
        if (maxCounters < 1 || maxCounters > MAX_COUNTERS)
        {
            throw new IllegalArgumentException(
                "maxCounters must be in 1.." + MAX_COUNTERS + ": " + maxCounters);
        }

        final Path path = file.toAbsolutePath();
        ensureNotOwnedByLiveProcess(path);

        final int metaDataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        try
        {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create counters file: " + path, ex);
        }

        final MappedByteBuffer mappedBuffer = IoUtil.mapNewFile(
            path.toFile(), (long)HEADER_LENGTH + metaDataLength + valuesLength);
        final long startTimestampMs = SystemEpochClock.INSTANCE.time();

        final UnsafeBuffer header = new UnsafeBuffer(mappedBuffer, 0, HEADER_LENGTH);
        header.putInt(METADATA_LENGTH_OFFSET, metaDataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(OWNER_PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(START_TIMESTAMP_OFFSET, startTimestampMs);
        header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
        header.putIntOrdered(MAGIC_OFFSET, MAGIC);

        final CountersManager manager = new ConcurrentCountersManager(
            metaDataBuffer(mappedBuffer, metaDataLength),
            valuesBuffer(mappedBuffer, metaDataLength, valuesLength),
            LABEL_CHARSET,
            SystemEpochClock.INSTANCE,
            0);

        return new CountersFile(path, mappedBuffer, manager);
    }

    /**
     * @param dir        holding counters files, e.g. {@link #defaultDirectory()}.
     * @param engineName a plain file name: not empty, no path separators.
     * @return {@code <dir>/<engineName>.counters}.
     */
    public static Path pathFor(final Path dir, final String engineName)
    {
        if (engineName.isEmpty() || engineName.startsWith(".") ||
            engineName.indexOf('/') >= 0 || engineName.indexOf('\\') >= 0)
        {
            throw new IllegalArgumentException("engine name must be a plain file name: \"" + engineName + "\"");
        }

        return dir.resolve(engineName + FILE_SUFFIX);
    }

    /**
     * @param file a counters file named by {@link #pathFor(Path, String)}.
     * @return the engine name the file is named after.
     */
    public static String engineName(final Path file)
    {
        final String fileName = file.getFileName().toString();
        return fileName.endsWith(FILE_SUFFIX) ?
            fileName.substring(0, fileName.length() - FILE_SUFFIX.length()) : fileName;
    }

    /**
     * @param dir to look in.
     * @return the counters files in the directory, sorted by name.
     * @throws IOException if the directory cannot be listed.
     */
    public static List<Path> listFiles(final Path dir) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + FILE_SUFFIX))
        {
            for (final Path file : stream)
            {
                if (Files.isRegularFile(file))
                {
                    files.add(file);
                }
            }
        }
        files.sort(null);

        return files;
    }

    /**
     * @return the directory of counters files: the {@value #DIR_PROP_NAME} system property, else the
     * {@value #DIR_ENV_NAME} environment variable, else {@code ringstack-<user.name>} in {@code java.io.tmpdir}.
     */
    public static Path defaultDirectory()
    {
        final String property = System.getProperty(DIR_PROP_NAME);
        if (null != property && !property.isBlank())
        {
            return Paths.get(property);
        }

        final String env = System.getenv(DIR_ENV_NAME);
        if (null != env && !env.isBlank())
        {
            return Paths.get(env);
        }

        return Paths.get(System.getProperty("java.io.tmpdir"), "ringstack-" + System.getProperty("user.name"));
    }

    /**
     * @return the absolute path of the file.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return the manager that allocates counters in the file; allocation is safe from any thread.
     */
    public CountersManager manager()
    {
        return manager;
    }

    /**
     * Unmap and delete the file. Idempotent.
     */
    public void close()
    {
        if (!isClosed)
        {
            isClosed = true;
            IoUtil.unmap(mappedBuffer);
            IoUtil.deleteIfExists(file.toFile());
        }
    }

    static UnsafeBuffer metaDataBuffer(final ByteBuffer mappedBuffer, final int metaDataLength)
    {
        return new UnsafeBuffer(mappedBuffer, HEADER_LENGTH, metaDataLength);
    }

    static UnsafeBuffer valuesBuffer(final ByteBuffer mappedBuffer, final int metaDataLength, final int valuesLength)
    {
        return new UnsafeBuffer(mappedBuffer, HEADER_LENGTH + metaDataLength, valuesLength);
    }

    private static void ensureNotOwnedByLiveProcess(final Path file)
    {
        if (!Files.exists(file))
        {
            return;
        }

        final long ownerPid;
        try (CountersFileReader existing = CountersFileReader.open(file))
        {
            if (!existing.isOwnerAlive())
            {
                return;
            }
            ownerPid = existing.ownerPid();
        }
        catch (final IllegalStateException notACountersFile)
        {
            return;
        }

        throw new IllegalStateException("counters file in use by live process " + ownerPid + ": " + file);
    }
}
