package io.ringstack.udp;

import io.ringstack.errno.Errno;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a UDP socket's engine side promises its application side besides the ring: the pending error is taken once,
 * the latest replacing an earlier one, and a reader that named itself is unparked once by the next datagram or
 * error.
 */
class UdpEndpointTest
{
    private static final int RING_CAPACITY = 64 * 1024;
    private static final long LONG_PARK_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long WOKEN_WITHIN_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long UNWOKEN_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final UdpEndpoint endpoint = new UdpEndpoint(RING_CAPACITY);

    @Test
    void thePendingErrorIsTakenOnceAndTheLatestWins()
    {
        assertEquals(0, endpoint.takeError(), "none at first");
        assertFalse(endpoint.hasError());

        endpoint.reportError(-Errno.ENOBUFS);
        endpoint.reportError(-Errno.ENETDOWN);

        assertTrue(endpoint.hasError());
        assertEquals(-Errno.ENETDOWN, endpoint.takeError(), "one error kept, as Linux keeps one sk_err");
        assertEquals(0, endpoint.takeError(), "taking it leaves none");
        assertFalse(endpoint.hasError());
    }

    @Test
    void aDatagramUnparksTheReaderThatNamedItselfOnce()
    {
        endpoint.reader(Thread.currentThread());

        endpoint.wakeReader();
        final long startNs = System.nanoTime();
        LockSupport.parkNanos(LONG_PARK_NS);
        final long parkedNs = System.nanoTime() - startNs;

        assertTrue(parkedNs < WOKEN_WITHIN_NS, () -> "the wake-up was lost: parked " + parkedNs + " ns");
        endpoint.wakeReader();
        assertParksUnwoken("the second datagram: the first took the reader's name");
    }

    @Test
    void aReportedErrorUnparksTheReaderThatNamedItself()
    {
        endpoint.reader(Thread.currentThread());

        endpoint.reportError(-Errno.ECONNREFUSED);
        final long startNs = System.nanoTime();
        LockSupport.parkNanos(LONG_PARK_NS);
        final long parkedNs = System.nanoTime() - startNs;

        assertTrue(parkedNs < WOKEN_WITHIN_NS, () -> "the error did not wake the reader: parked " + parkedNs + " ns");
        assertEquals(-Errno.ECONNREFUSED, endpoint.takeError());
    }

    @Test
    void aReaderThatWithdrewIsNotWoken()
    {
        endpoint.reader(Thread.currentThread());
        endpoint.reader(null);

        endpoint.wakeReader();

        assertParksUnwoken("a reader that withdrew");
    }

    private static void assertParksUnwoken(final String what)
    {
        final long startNs = System.nanoTime();
        LockSupport.parkNanos(UNWOKEN_PARK_NS);
        final long parkedNs = System.nanoTime() - startNs;

        assertTrue(parkedNs >= UNWOKEN_PARK_NS, () -> what + " was woken after " + parkedNs + " ns");
    }
}
