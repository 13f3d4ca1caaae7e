package io.ringstack.socket;

import java.util.concurrent.atomic.AtomicReferenceArray;

import static io.ringstack.errno.Errno.EMFILE;

/**
 * The descriptor table: small integers naming open {@link SocketFile}s. Descriptors 0-2 are never handed out,
 * as they are stdin, stdout and stderr in the programs this API mirrors; the lowest free one is used first.
 * A table of capacity {@code n} holds descriptors 3 to {@code n - 1}, as a process whose {@code RLIMIT_NOFILE} is
 * {@code n}; one more gives {@code -EMFILE}.
 * <p>
 * A call that must not take something it cannot name (an {@code accept}, which would otherwise take a connection
 * off the listener's queue and lose it) {@link #reserve reserves} its descriptor first, then {@link #fill fills} it
 * or {@link #cancel cancels} it. A reserved descriptor is not open: {@link #get} does not find it and no other file
 * is given it.
 * <p>
 * Safe for use by many application threads: lookups are lock-free, changes are serialised.
 */
public final class FdTable
{
    public static final int FIRST_DESCRIPTOR = 3;

    private final AtomicReferenceArray<SocketFile> files;
    private final boolean[] reserved;

    /**
     * @param capacity one past the highest descriptor, more than {@link #FIRST_DESCRIPTOR}.
     */
    public FdTable(final int capacity)
    {
        if (capacity <= FIRST_DESCRIPTOR)
        {
            throw new IllegalArgumentException("descriptor table capacity must exceed " + FIRST_DESCRIPTOR);
        }
        files = new AtomicReferenceArray<>(capacity);
        reserved = new boolean[capacity];
    }

    /**
     * @return the new descriptor, or {@code -EMFILE} when the table is full.
     */
    public synchronized int install(final SocketFile file)
    {
        final int fd = reserve();
        if (fd >= 0)
        {
            fill(fd, file);
        }
        return fd;
    }

    /**
     * Take the lowest free descriptor without a file yet.
     *
     * @return the reserved descriptor, or {@code -EMFILE} when the table is full.
     */
    public synchronized int reserve()
    {
        for (int fd = FIRST_DESCRIPTOR; fd < files.length(); fd++)
        {
            if (!reserved[fd] && files.get(fd) == null)
            {
                reserved[fd] = true;
                return fd;
            }
        }
        return -EMFILE;
    }

    /**
     * Open a descriptor {@link #reserve} gave: from now on it names {@code file}.
     *
     * @throws IllegalStateException when {@code fd} is not reserved, a programming error.
     */
    public synchronized void fill(final int fd, final SocketFile file)
    {
        claimReservation(fd);
        files.set(fd, file);
    }

    /**
     * Give back a descriptor {@link #reserve} gave, unopened.
     *
     * @throws IllegalStateException when {@code fd} is not reserved, a programming error.
     */
    public synchronized void cancel(final int fd)
    {
        claimReservation(fd);
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
     * @return the file it named, or {@code null} when it named none (a reserved descriptor stays reserved).
     */
    public synchronized SocketFile remove(final int fd)
    {
        if (fd < 0 || fd >= files.length())
        {
            return null;
        }
        return files.getAndSet(fd, null);
    }

    /**
     * @return descriptors open, not counting reserved ones.
     */
    public synchronized int openCount()
    {
        int count = 0;
        for (int fd = 0; fd < files.length(); fd++)
        {
            count += files.get(fd) != null ? 1 : 0;
        }
        return count;
    }

    /**
     * @return one past the highest descriptor, as given to the constructor.
     */
    public int capacity()
    {
        return files.length();
    }

    private void claimReservation(final int fd)
    {
        if (fd < 0 || fd >= reserved.length || !reserved[fd])
        {
            throw new IllegalStateException("descriptor " + fd + " is not reserved");
        }
        reserved[fd] = false;
    }
}
