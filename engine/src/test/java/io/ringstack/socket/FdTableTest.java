package io.ringstack.socket;

import io.ringstack.errno.Errno;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The descriptor table: descriptors 3 to capacity - 1, lowest free first, {@code -EMFILE} past the last; a reserved
 * descriptor is neither open nor given to anyone else until it is filled or cancelled.
 */
class FdTableTest
{
    private final FdTable fds = new FdTable(6);

    @Test
    void descriptorsStartAtThreeLowestFreeFirstAndTheTableFullIsEmfile()
    {
        assertEquals(3, fds.install(new File()));
        assertEquals(4, fds.install(new File()));
        assertEquals(5, fds.install(new File()));
        assertEquals(-Errno.EMFILE, fds.install(new File()));
        assertEquals(-Errno.EMFILE, fds.reserve());
        assertEquals(3, fds.openCount());

        fds.remove(4);

        assertEquals(4, fds.install(new File()), "the lowest free descriptor again");
    }

    @Test
    void aReservedDescriptorIsNotOpenAndNotGivenAgainUntilFilled()
    {
        final int reserved = fds.reserve();
        final File file = new File();

        assertEquals(3, reserved);
        assertNull(fds.get(reserved), "not open yet");
        assertNull(fds.remove(reserved), "close of a reserved descriptor is EBADF");
        assertEquals(0, fds.openCount());
        assertEquals(4, fds.install(new File()), "the reserved descriptor is not handed out twice");

        fds.fill(reserved, file);

        assertSame(file, fds.get(reserved));
        assertEquals(2, fds.openCount());
    }

    @Test
    void aCancelledReservationIsFreeAgain()
    {
        final int reserved = fds.reserve();

        fds.cancel(reserved);

        assertEquals(reserved, fds.reserve());
    }

    @Test
    void fillingOrCancellingADescriptorThatIsNotReservedIsAProgrammingError()
    {
        final int open = fds.install(new File());

        assertThrows(IllegalStateException.class, () -> fds.fill(open, new File()));
        assertThrows(IllegalStateException.class, () -> fds.cancel(4));
        assertThrows(IllegalStateException.class, () -> fds.cancel(-1));
    }

    @Test
    void aTableWithoutRoomPastStandardDescriptorsIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new FdTable(FdTable.FIRST_DESCRIPTOR));
        final FdTable smallest = new FdTable(FdTable.FIRST_DESCRIPTOR + 1);
        assertEquals(3, smallest.install(new File()));
        assertEquals(-Errno.EMFILE, smallest.install(new File()));
    }

    /**
     * A file that does nothing, for the table to hold.
     */
    private static final class File extends SocketFile
    {
        File()
        {
            super(SocketConstants.SOCK_DGRAM, 0, 0, 1);
        }

        public int close()
        {
            return 0;
        }
    }
}
