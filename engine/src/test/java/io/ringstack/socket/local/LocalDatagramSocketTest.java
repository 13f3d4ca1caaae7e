package io.ringstack.socket.local;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

import static io.ringstack.errno.Errno.EADDRINUSE;
import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.ECONNREFUSED;
import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.errno.Errno.EMSGSIZE;
import static io.ringstack.errno.Errno.ENOTCONN;
import static io.ringstack.errno.Errno.EOPNOTSUPP;
import static io.ringstack.errno.Errno.EPERM;
import static io.ringstack.errno.Errno.EPIPE;
import static io.ringstack.errno.Errno.EPROTOTYPE;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.SHUT_RD;
import static io.ringstack.socket.SocketConstants.SHUT_WR;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static io.ringstack.socket.local.LocalTestSockets.SMALL_DATAGRAM_QUEUE;
import static io.ringstack.socket.local.LocalTestSockets.abstractName;
import static io.ringstack.socket.local.LocalTestSockets.ascii;
import static io.ringstack.socket.local.LocalTestSockets.assertResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalDatagramSocketTest
{
    private static final int NONBLOCKING_DGRAM = SOCK_DGRAM | SOCK_NONBLOCK;

    private final Sockets sockets = LocalTestSockets.small();
    private final byte[] buffer = new byte[256];
    private final SockAddr source = new SockAddr();

    @Test
    void messagesArriveWholeAndApart()
    {
        final int receiver = bound("receiver");
        final int sender = socket();

        assertEquals(3, sockets.sendto(sender, ascii("one"), 0, 3, 0, abstractName("receiver")));
        assertEquals(5, sockets.sendto(sender, ascii("three"), 0, 5, 0, abstractName("receiver")));

        assertEquals(3, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
        assertArrayEquals(ascii("one"), Arrays.copyOf(buffer, 3));
        assertEquals(5, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
        assertArrayEquals(ascii("three"), Arrays.copyOf(buffer, 5));
        assertResult(-EAGAIN, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
    }

    @Test
    void sourceIsTheSendersNameOrUnnamed()
    {
        final int receiver = bound("receiver");
        final int named = bound("named_sender");
        final int unnamed = socket();
        sockets.sendto(named, ascii("a"), 0, 1, 0, abstractName("receiver"));
        sockets.sendto(unnamed, ascii("b"), 0, 1, 0, abstractName("receiver"));

        assertEquals(1, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
        assertEquals("\0named_sender", source.path());
        assertEquals(1, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
        assertEquals(AF_UNIX, source.family());
        assertNull(source.path());
    }

    @Test
    void longMessageIsTruncatedToTheBuffer()
    {
        final int receiver = bound("receiver");
        final int sender = socket();
        sockets.sendto(sender, ascii("0123456789"), 0, 10, 0, abstractName("receiver"));
        sockets.sendto(sender, ascii("next"), 0, 4, 0, abstractName("receiver"));

        assertEquals(4, sockets.recvfrom(receiver, buffer, 0, 4, 0, null));
        assertArrayEquals(ascii("0123"), Arrays.copyOf(buffer, 4));
        assertEquals(4, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, null));
        assertArrayEquals(ascii("next"), Arrays.copyOf(buffer, 4));
    }

    @Test
    void emptyMessageIsAMessage()
    {
        final int receiver = bound("receiver");
        sockets.sendto(bound("sender"), buffer, 0, 0, 0, abstractName("receiver"));

        assertEquals(0, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
        assertEquals("\0sender", source.path());
        assertResult(-EAGAIN, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, source));
    }

    @Test
    void fullQueueIsEagainUntilDrained()
    {
        final int receiver = bound("receiver");
        final int sender = socket();
        final byte[] message = new byte[100];

        int sent = 0;
        int result;
        while ((result = sockets.sendto(sender, message, 0, message.length, 0, abstractName("receiver"))) > 0)
        {
            sent++;
        }
        assertResult(-EAGAIN, result);
        final int taken = sent;
        assertTrue(taken >= SMALL_DATAGRAM_QUEUE / 128 - 1, () -> "queue took only " + taken + " messages");

        assertEquals(100, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, null));
        assertEquals(100, sockets.sendto(sender, message, 0, message.length, 0, abstractName("receiver")));
    }

    @Test
    void messageLargerThanTheQueueTakesIsEmsgsize()
    {
        bound("receiver");
        final byte[] message = new byte[SMALL_DATAGRAM_QUEUE / 8];

        assertResult(-EMSGSIZE, sockets.sendto(socket(), message, 0, message.length, 0, abstractName("receiver")));
    }

    @Test
    void destinationRefusals()
    {
        final int sender = socket();
        final int stream = sockets.socket(AF_UNIX, SOCK_STREAM, 0);
        sockets.bind(stream, abstractName("stream_name"));

        assertResult(-ECONNREFUSED, sockets.sendto(sender, ascii("x"), 0, 1, 0, abstractName("missing")));
        assertResult(-EPROTOTYPE, sockets.sendto(sender, ascii("x"), 0, 1, 0, abstractName("stream_name")));
        assertResult(-EINVAL, sockets.sendto(sender, ascii("x"), 0, 1, 0, SockAddr.inet("127.0.0.1", 7)));
        assertResult(-ENOTCONN, sockets.send(sender, ascii("x"), 0, 1, 0));
        assertResult(-ECONNREFUSED, sockets.connect(sender, abstractName("missing")));
        assertResult(-EPROTOTYPE, sockets.connect(sender, abstractName("stream_name")));
    }

    @Test
    void connectSetsTheDefaultDestinationAndUnspecDissolvesIt()
    {
        final int receiver = bound("receiver");
        final int sender = socket();

        assertEquals(0, sockets.connect(sender, abstractName("receiver")));
        assertEquals(2, sockets.send(sender, ascii("hi"), 0, 2, 0));
        assertEquals(2, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, null));

        assertEquals(0, sockets.connect(sender, new SockAddr()));
        assertResult(-ENOTCONN, sockets.send(sender, ascii("hi"), 0, 2, 0));
    }

    @Test
    void socketConnectedElsewhereCannotBeSentTo()
    {
        final int receiver = bound("receiver");
        bound("elsewhere");
        final int partner = bound("partner");
        sockets.connect(receiver, abstractName("elsewhere"));

        assertResult(-EPERM, sockets.sendto(socket(), ascii("x"), 0, 1, 0, abstractName("receiver")));
        assertResult(-EPERM, sockets.connect(socket(), abstractName("receiver")));

        sockets.connect(receiver, abstractName("partner"));
        assertEquals(1, sockets.sendto(partner, ascii("x"), 0, 1, 0, abstractName("receiver")));
    }

    @Test
    void closeFreesTheNameAndRefusesConnectedSenders()
    {
        final int receiver = bound("receiver");
        final int sender = socket();
        sockets.connect(sender, abstractName("receiver"));

        assertEquals(0, sockets.close(receiver));
        assertResult(-ECONNREFUSED, sockets.send(sender, ascii("x"), 0, 1, 0));
        assertResult(-ECONNREFUSED, sockets.sendto(sender, ascii("x"), 0, 1, 0, abstractName("receiver")));
        bound("receiver");
    }

    @Test
    void shutdownStopsEachDirection()
    {
        final int receiver = bound("receiver");
        final int sender = socket();

        assertEquals(0, sockets.shutdown(sender, SHUT_WR));
        assertResult(-EPIPE, sockets.sendto(sender, ascii("x"), 0, 1, 0, abstractName("receiver")));

        sockets.sendto(socket(), ascii("queued"), 0, 6, 0, abstractName("receiver"));
        assertEquals(0, sockets.shutdown(receiver, SHUT_RD));
        assertEquals(6, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, null));
        assertEquals(0, sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, null));
    }

    @Test
    void bindRulesAndUnboundReceive()
    {
        final int first = bound("taken");
        final int second = socket();

        assertResult(-EINVAL, sockets.bind(first, abstractName("another")));
        assertResult(-EADDRINUSE, sockets.bind(second, abstractName("taken")));
        assertResult(-EAGAIN, sockets.recvfrom(second, buffer, 0, buffer.length, 0, null));
        assertResult(-EOPNOTSUPP, sockets.listen(first, 5));
        assertResult(-EOPNOTSUPP, sockets.accept(first, null));

        final SockAddr local = new SockAddr();
        sockets.getsockname(first, local);
        assertEquals("\0taken", local.path());
    }

    @Test
    void manySendersShareOneQueue()
    {
        final Sockets roomy = LocalTestSockets.create(LocalSockets.DEFAULT_STREAM_BUFFER_CAPACITY, 64 * 1024);
        final int senders = 4;
        final int perSender = 20_000;
        final int receiver = roomy.socket(AF_UNIX, NONBLOCKING_DGRAM, 0);
        roomy.bind(receiver, abstractName("shared"));

        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final CountDownLatch start = new CountDownLatch(1);
            final Thread[] threads = new Thread[senders];
            for (int s = 0; s < senders; s++)
            {
                final int id = s;
                final int fd = roomy.socket(AF_UNIX, NONBLOCKING_DGRAM, 0);
                roomy.bind(fd, abstractName("sender" + id));
                threads[s] = new Thread(() ->
                {
                    final byte[] message = new byte[8];
                    awaitQuietly(start);
                    for (int i = 0; i < perSender; i++)
                    {
                        message[0] = (byte)id;
                        message[4] = (byte)(i >>> 8);
                        message[5] = (byte)i;
                        while (roomy.sendto(fd, message, 0, message.length, 0, abstractName("shared")) == -EAGAIN)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }, "sender-" + s);
                threads[s].start();
            }
            start.countDown();

            final int[] next = new int[senders];
            final SockAddr from = new SockAddr();
            for (int received = 0; received < senders * perSender; )
            {
                final int length = roomy.recvfrom(receiver, buffer, 0, buffer.length, 0, from);
                if (length == -EAGAIN)
                {
                    Thread.onSpinWait();
                    continue;
                }
                assertEquals(8, length);
                final int id = buffer[0];
                assertEquals("\0sender" + id, from.path());
                assertEquals(next[id] & 0xFFFF, ((buffer[4] & 0xFF) << 8) | (buffer[5] & 0xFF));
                next[id]++;
                received++;
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            for (int s = 0; s < senders; s++)
            {
                assertEquals(perSender, next[s]);
            }
        });
    }

    private int socket()
    {
        final int fd = sockets.socket(AF_UNIX, NONBLOCKING_DGRAM, 0);
        assertTrue(fd >= 3, () -> "socket returned " + fd);
        return fd;
    }

    private int bound(final String name)
    {
        final int fd = socket();
        assertEquals(0, sockets.bind(fd, abstractName(name)));
        return fd;
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
