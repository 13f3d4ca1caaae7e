package io.ringstack.socket;

import static io.ringstack.socket.Errno.EMFILE;

/**
 * The descriptor table: small integers naming open {@link SocketFile}s. Descriptors 0-2 are never handed out,
 * as they are stdin, stdout and stderr in the programs this API mirrors; the lowest free one is used first.
 * Safe for use by many application threads.
 */
public final class FdTable
{
    public static final int FIRST_DESCRIPTOR = 3;

    private final SocketFile[] files;

    public FdTable(final int capacity)
    {
        if (capacity <= FIRST_DESCRIPTOR)
        {
            throw new IllegalArgumentException("descriptor table capacity must exceed " + FIRST_DESCRIPTOR);
        }
        files = new SocketFile[capacity];
    }

    /**
     * @return the new descriptor, or {@code -EMFILE} when the table is full.
     */
    public synchronized int install(final SocketFile file)
    {
        for (int fd = FIRST_DESCRIPTOR; fd < files.length; fd++)
        {
            if (files[fd] == null)
            {
                files[fd] = file;
                return fd;
            }
        }
        return -EMFILE;
    }

    /**
     * @return the open file, or {@code null} when {@code fd} names none.
     */
    public synchronized SocketFile get(final int fd)
    {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    /**
     * Remove a descriptor from the table.
     *
     * @return the file it named, or {@code null} when it named none.
     */
    public synchronized SocketFile remove(final int fd)
    {
        if (fd < 0 || fd >= files.length)
        {
            return null;
        }
        final SocketFile file = files[fd];
        files[fd] = null;
        return file;
    }

    public synchronized int openCount()
    {
        int count = 0;
        for (final SocketFile file : files)
        {
            count += file != null ? 1 : 0;
        }
        return count;
    }
}
