package io.ringstack.socket.local;

import io.ringstack.socket.FdTable;
import io.ringstack.socket.Sockets;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.SHUT_RD;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static io.ringstack.socket.local.LocalTestSockets.abstractName;
import static io.ringstack.socket.local.LocalTestSockets.ascii;
import static io.ringstack.socket.local.LocalTestSockets.assertResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking calls through the {@link Sockets} facade, with the waiting done by the facade and the wake-up by
 * another thread. Each call that is to be woken runs as a {@link BlockingCall}, which the test sees blocked (retried
 * and parked in the facade's wait) before it wakes it, so a call that never blocked cannot pass.
 */
class LocalBlockingTest
{
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final Sockets sockets = new Sockets(new FdTable(256), new LocalSockets(), null, BlockingCall.PROGRESS);

    @Test
    void blockedReadWakesWhenAnotherThreadWrites() throws InterruptedException
    {
        final int[] sv = pair();
        final byte[] received = new byte[64];

        final BlockingCall reader =
            BlockingCall.start("reader", () -> sockets.read(sv[1], received, 0, received.length));
        reader.awaitBlocked(LIMIT);

        sockets.write(sv[0], ascii("wakeup"), 0, 6);
        assertEquals(6, reader.result(LIMIT));
        assertArrayEquals(ascii("wakeup"), Arrays.copyOf(received, 6));
    }

    @Test
    void blockedReadSeesEndOfStreamWhenThePeerCloses() throws InterruptedException
    {
        final int[] sv = pair();

        final BlockingCall reader = BlockingCall.start("reader", () -> sockets.read(sv[1], new byte[8], 0, 8));
        reader.awaitBlocked(LIMIT);

        sockets.close(sv[0]);
        assertEquals(0, reader.result(LIMIT));
    }

    @Test
    void readWithReceiveTimeoutGivesUpWithEagain()
    {
        final int[] sv = pair();
        assertEquals(0, sockets.setReceiveTimeout(sv[1], TimeUnit.MILLISECONDS.toNanos(100)));

        assertTimeoutPreemptively(LIMIT, () ->
        {
            final long startNs = System.nanoTime();
            assertResult(-EAGAIN, sockets.read(sv[1], new byte[8], 0, 8));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(elapsedMs >= 100, () -> "gave up after " + elapsedMs + " ms");
        });
    }

    @Test
    void blockingWriteLargerThanTheRingBlocksUntilTheReaderDrains() throws InterruptedException
    {
        final int[] sv = pair();
        final byte[] message = new byte[5 * LocalSockets.DEFAULT_STREAM_BUFFER_CAPACITY + 123];
        for (int i = 0; i < message.length; i++)
        {
            message[i] = (byte)(i % 251);
        }

        final BlockingCall writer =
            BlockingCall.start("writer", () -> sockets.write(sv[0], message, 0, message.length));
        writer.awaitBlocked(LIMIT);

        final byte[] received = new byte[message.length];
        int total = 0;
        while (total < message.length)
        {
            final int count = sockets.read(sv[1], received, total, received.length - total);
            assertTrue(count > 0, () -> "read returned " + count);
            total += count;
        }
        assertEquals(message.length, writer.result(LIMIT));
        assertArrayEquals(message, received);
    }

    @Test
    void blockedAcceptWakesWhenAClientConnects() throws InterruptedException
    {
        final int server = sockets.socket(AF_UNIX, SOCK_STREAM, 0);
        sockets.bind(server, abstractName("blocking_accept"));
        sockets.listen(server, 5);

        final BlockingCall acceptor = BlockingCall.start("acceptor", () -> sockets.accept(server, null));
        acceptor.awaitBlocked(LIMIT);

        final int client = sockets.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(0, sockets.connect(client, abstractName("blocking_accept")));
        final int accepted = acceptor.result(LIMIT);
        assertTrue(accepted >= 3);
        assertEquals(2, sockets.write(client, ascii("ok"), 0, 2));
        assertEquals(2, sockets.read(accepted, new byte[8], 0, 8));
    }

    @Test
    void blockedDatagramReceiveWakesOnSendAndOnShutdown() throws InterruptedException
    {
        final int receiver = sockets.socket(AF_UNIX, SOCK_DGRAM, 0);
        sockets.bind(receiver, abstractName("blocking_dgram"));
        final int sender = sockets.socket(AF_UNIX, SOCK_DGRAM, 0);

        final BlockingCall first =
            BlockingCall.start("first receive", () -> sockets.recvfrom(receiver, new byte[64], 0, 64, 0, null));
        first.awaitBlocked(LIMIT);
        sockets.sendto(sender, ascii("wakeup"), 0, 6, 0, abstractName("blocking_dgram"));
        assertEquals(6, first.result(LIMIT));

        final BlockingCall second =
            BlockingCall.start("second receive", () -> sockets.recvfrom(receiver, new byte[64], 0, 64, 0, null));
        second.awaitBlocked(LIMIT);
        sockets.shutdown(receiver, SHUT_RD);
        assertEquals(0, second.result(LIMIT));
    }

    private int[] pair()
    {
        final int[] sv = new int[2];
        assertEquals(0, sockets.socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
        return sv;
    }
}
