package io.ringstack.tcp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_FIN;
import static io.ringstack.wire.TcpSegment.FLAG_RST;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application thread a blocking call parks is woken by the engine as the ring it waits on moves: a reader by
 * bytes in order, the end of the peer's stream or a reset, a writer by an acknowledgement that frees room in the send
 * ring or a reset; a thread not named is left to its park. The test's own thread is the one named: a wake is its
 * park's permit, so a park of 10 s that returns within 5 s was woken, and one that lasts its 50 ms was not.
 */
class TcpWakeScenarioTest
{
    private static final long LONG_PARK_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long WOKEN_WITHIN_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long SHORT_PARK_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final TcpTestbed bed = TcpTestbed.start();
    private final ScriptedConnection connection =
        ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();
    private final TcpStream stream = connectedStream();

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void bytesInOrderWakeTheNamedReader()
    {
        stream.reader().name(Thread.currentThread());
        connection.peerSends("hello");

        assertWoken("bytes in order");
    }

    @Test
    void aReaderNotNamedIsLeftToItsPark()
    {
        stream.reader().name(Thread.currentThread());
        stream.reader().name(null);
        connection.peerSends("hello");

        assertNotWoken();
    }

    @Test
    void aReaderIsWokenOnceForAName()
    {
        stream.reader().name(Thread.currentThread());
        connection.peerSends("one");
        assertWoken("the first bytes");

        connection.peerSends("two");
        assertNotWoken();
    }

    @Test
    void theEndOfThePeersStreamWakesTheNamedReader()
    {
        stream.reader().name(Thread.currentThread());
        bed.send(connection.peer(FLAG_FIN | FLAG_ACK));

        assertWoken("the peer's FIN");
    }

    @Test
    void anAcknowledgementThatFreesSendRoomWakesTheNamedWriter()
    {
        connection.write("a request");
        connection.expect();
        stream.writer().name(Thread.currentThread());

        connection.peerAcksAll();

        assertWoken("the ACK of the bytes in the send ring");
    }

    @Test
    void aResetWakesTheNamedReaderAndWriter()
    {
        stream.writer().name(Thread.currentThread());
        bed.send(connection.peer(FLAG_RST | FLAG_ACK));
        assertWoken("the reset, as a writer");

        final ScriptedConnection another =
            ConnectionSetup.active(bed).ourPort(40001).peerPort(80).peerWindowShift(0).open();
        final TcpStream anotherStream = connectedStream();
        anotherStream.reader().name(Thread.currentThread());
        bed.send(another.peer(FLAG_RST | FLAG_ACK));
        assertWoken("the reset, as a reader");
    }

    /**
     * @return the stream of the one connection open.
     */
    private TcpStream connectedStream()
    {
        LockSupport.parkNanos(1);
        for (int slot = 0; slot < 1024; slot++)
        {
            final TcpStream candidate = bed.tcp().board().stream(slot);
            if (candidate != null && candidate.status() == TcpStream.CONNECTED &&
                (stream == null || candidate != stream))
            {
                return candidate;
            }
        }
        assertNotNull(null, "no connected stream on the board");
        return null;
    }

    private static void assertWoken(final String what)
    {
        final long startNs = System.nanoTime();
        LockSupport.parkNanos(LONG_PARK_NS);
        final long parkedNs = System.nanoTime() - startNs;
        assertTrue(parkedNs < WOKEN_WITHIN_NS, () -> what + " did not wake the named thread: parked " + parkedNs +
            " ns");
    }

    private static void assertNotWoken()
    {
        final long startNs = System.nanoTime();
        LockSupport.parkNanos(SHORT_PARK_NS);
        final long parkedNs = System.nanoTime() - startNs;
        assertTrue(parkedNs >= SHORT_PARK_NS, () -> "woken though not named: parked " + parkedNs + " ns");
    }
}
