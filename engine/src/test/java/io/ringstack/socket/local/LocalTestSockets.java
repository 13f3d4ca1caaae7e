package io.ringstack.socket.local;

import io.ringstack.errno.Errno;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The socket facade over local sockets only, as the tests of this package use it.
 */
final class LocalTestSockets
{
    static final int SMALL_STREAM_BUFFER = 1024;
    static final int SMALL_DATAGRAM_QUEUE = 1024;

    private LocalTestSockets()
    {
    }

    /**
     * Small buffers, so that tests can fill them, and a default timeout long enough to notice a hang.
     */
    static Sockets small()
    {
        return create(SMALL_STREAM_BUFFER, SMALL_DATAGRAM_QUEUE);
    }

    static Sockets create(final int streamBufferCapacity, final int datagramQueueCapacity)
    {
        final LocalSockets local =
            new LocalSockets(streamBufferCapacity, datagramQueueCapacity, TimeUnit.SECONDS.toNanos(5));
        return new Sockets(new FdTable(256), local, null, (attempt, sinceNs, deadlineNs) -> Thread.onSpinWait());
    }

    /**
     * Compare results by their names, so that a failure reads {@code expected: <-EPIPE> but was: <-EAGAIN>}.
     */
    static void assertResult(final int expected, final int actual)
    {
        assertEquals(Errno.describe(expected), Errno.describe(actual));
    }

    static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static SockAddr abstractName(final String name)
    {
        return SockAddr.local("\0" + name);
    }
}
