package io.ringstack.socket;

import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.ringstack.errno.Errno.EMFILE;

/**
 * The descriptor table: small integers naming open {@link SocketFile}s. Descriptors 0-2 are never handed out,
 * as they are stdin, stdout and stderr in the programs this API mirrors; the lowest free one is used first.
 * Safe for use by many application threads: lookups are lock-free, changes are serialised.
 */
public final class FdTable
{
    public static final int FIRST_DESCRIPTOR = 3;

    private final AtomicReferenceArray<SocketFile> files;

    public FdTable(final int capacity)
    {
        if (capacity <= FIRST_DESCRIPTOR)
        {
            throw new IllegalArgumentException("descriptor table capacity must exceed " + FIRST_DESCRIPTOR);
        }
        files = new AtomicReferenceArray<>(capacity);
    }

    /**
     * @return the new descriptor, or {@code -EMFILE} when the table is full.
     */
    public synchronized int install(final SocketFile file)
    {
        for (int fd = FIRST_DESCRIPTOR; fd < files.length(); fd++)
        {
            if (files.get(fd) == null)
            {
                files.set(fd, file);
                return fd;
            }
        }
        return -EMFILE;
    }

    /**
     * Lock-free: every socket call starts here.
     *
     * @return the open file, or {@code null} when {@code fd} names none.
     */
    public SocketFile get(final int fd)
    {
        return fd >= 0 && fd < files.length() ? files.get(fd) : null;
    }

    /**
     * Remove a descriptor from the table.
     *
     * @return the file it named, or {@code null} when it named none.
     */
    public synchronized SocketFile remove(final int fd)
    {
        if (fd < 0 || fd >= files.length())
        {
            return null;
        }
        return files.getAndSet(fd, null);
    }

    public synchronized int openCount()
    {
        int count = 0;
        for (int fd = 0; fd < files.length(); fd++)
        {
            count += files.get(fd) != null ? 1 : 0;
        }
        return count;
    }
}
