package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection exhaustion between two engines on a virtual clock, A the client and B the server, whose descriptor
 * table is small ({@link Setting#MAX_DESCRIPTORS}):
 * <ul>
 *   <li>the table full, {@code socket}, {@code socketpair} and {@code accept} give {@code -EMFILE}; an accept takes
 *       no connection it has no descriptor for, so the connection stays queued, as on Linux, and is accepted with its
 *       bytes once a descriptor is closed;</li>
 *   <li>the listener's backlog full as well (backlog 1 queues two connections, as on Linux), a further SYN and its
 *       retransmissions are dropped as {@link DropReason#TCP_ACCEPT_QUEUE_FULL}, and the next retransmission after
 *       the queue drains gets in;</li>
 *   <li>the engines' connection tables full ({@link Setting#TCP_MAX_CONNECTIONS}), a {@code connect} gives
 *       {@code -ENOBUFS} and a handshake whose final ACK finds no slot is dropped as
 *       {@link DropReason#TCP_NO_CONNECTION_SLOT}, its half-open entry kept, so that the client's next segment makes
 *       the connection once a slot is free.</li>
 * </ul>
 */
class TcpConnectionExhaustionTest
{
    private static final int PORT = 7000;
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LIMIT_NS = TimeUnit.SECONDS.toNanos(60);

    private WiredEngines engines;

    @AfterEach
    void close()
    {
        engines.close();
    }

    @Test
    void aFullDescriptorTableGivesEmfileAndTheConnectionWaitsQueuedUntilADescriptorIsFree()
    {
        engines = new WiredEngines(UnaryOperator.identity(), b -> b.set(Setting.MAX_DESCRIPTORS, 6));
        final Sockets server = engines.socketsB();
        final int listener = listen(server, 4);
        final int filler = server.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(5, server.socket(AF_INET, SOCK_STREAM, 0), "the last descriptor");

        assertResult(-Errno.EMFILE, server.socket(AF_INET, SOCK_STREAM, 0));
        assertResult(-Errno.EMFILE, server.socket(AF_INET, SOCK_DGRAM, 0));
        assertResult(-Errno.EMFILE, server.socketpair(AF_UNIX, SOCK_STREAM, 0, new int[2]));
        assertResult(-Errno.EMFILE, server.accept4(listener, null, SOCK_NONBLOCK));

        final Sockets client = engines.socketsA();
        final int fd = connect(client);
        write(client, fd, "sent while the server had no descriptor");
        for (int second = 0; second < 5; second++)
        {
            engines.stepFor(TimeUnit.SECONDS.toNanos(1), STEP_NS);
            assertResult(-Errno.EMFILE, server.accept4(listener, null, SOCK_NONBLOCK));
        }
        assertEquals(0, engines.b.engine().counters().tcpResetsSent.get(), engines::diagnostics);

        assertEquals(0, server.close(filler));
        final SockAddr peer = SockAddr.inet(0, 0);
        final int accepted = server.accept4(listener, peer, SOCK_NONBLOCK);

        assertEquals(filler, accepted, () -> "accept: " + Errno.describe(accepted));
        assertEquals(Ipv4Text.parse(WiredEngines.ADDRESS_A), peer.ipv4());
        assertEquals("sent while the server had no descriptor", read(server, accepted, 39));
        write(server, accepted, "answered");
        assertEquals("answered", read(client, fd, 8));
        assertResult(-Errno.EMFILE, server.accept4(listener, null, SOCK_NONBLOCK));
        assertHealthy();
    }

    @Test
    void synsPastAFullBacklogAreCountedAndGetInOnceTheQueueDrains()
    {
        engines = new WiredEngines(UnaryOperator.identity(), b -> b.set(Setting.MAX_DESCRIPTORS, 5));
        final Sockets server = engines.socketsB();
        final int listener = listen(server, 1);
        final int filler = server.socket(AF_INET, SOCK_DGRAM, 0);
        final Sockets client = engines.socketsA();
        final int[] fds = { connect(client), connect(client), client.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0) };

        assertResult(-Errno.EINPROGRESS, client.connect(fds[2], serverAddress()));
        engines.stepFor(TimeUnit.SECONDS.toNanos(5), STEP_NS);

        assertResult(-Errno.EALREADY, client.connect(fds[2], serverAddress()));
        final long dropped = engines.b.engine().counters().drops(DropReason.TCP_ACCEPT_QUEUE_FULL);
        assertTrue(dropped >= 3, () -> "the SYN and its retransmissions at 1 and 3 s: " + dropped);
        assertResult(-Errno.EMFILE, server.accept4(listener, null, SOCK_NONBLOCK));

        assertEquals(0, server.close(filler));
        for (int i = 0; i < fds.length; i++)
        {
            final int index = i;
            final int[] accepted = new int[1];
            engines.stepUntil(() -> (accepted[0] = server.accept4(listener, null, SOCK_NONBLOCK)) >= 0, STEP_NS,
                LIMIT_NS, "accept of connection " + index);
            assertTrue(isConnected(client, fds[i]), "connection " + i);
            write(client, fds[i], "connection " + i);
            assertEquals("connection " + i, read(server, accepted[0], 12));
            assertEquals(0, server.close(accepted[0]));
        }
        assertEquals(dropped, engines.b.engine().counters().drops(DropReason.TCP_ACCEPT_QUEUE_FULL),
            "the retransmission at 7 s found room");
        assertHealthy();
    }

    @Test
    void fullConnectionTablesRefuseConnectWithEnobufsAndCountHandshakesPastThem()
    {
        engines = new WiredEngines(a -> a.set(Setting.TCP_MAX_CONNECTIONS, 2),
            b -> b.set(Setting.TCP_MAX_CONNECTIONS, 1));
        final Sockets server = engines.socketsB();
        final int listener = listen(server, 4);
        final Sockets client = engines.socketsA();
        final int first = connect(client);
        final int second = connect(client);
        final int third = client.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

        assertResult(-Errno.ENOBUFS, client.connect(third, serverAddress()));
        final long refused = engines.b.engine().counters().drops(DropReason.TCP_NO_CONNECTION_SLOT);
        assertTrue(refused >= 1, "the second handshake's ACK found no slot on the server: " + refused);

        final int[] accepted = { -1 };
        engines.stepUntil(() -> (accepted[0] = server.accept4(listener, null, SOCK_NONBLOCK)) >= 0, STEP_NS,
            LIMIT_NS, "accept of the first connection");
        write(client, first, "first");
        assertEquals("first", read(server, accepted[0], 5));
        assertEquals(0, server.close(accepted[0]));
        assertEquals("", read(client, first, 0));
        assertEquals(0, client.close(first), "the server's slot goes once both have closed: TIME-WAIT is kept apart");
        write(client, second, "second");
        engines.stepUntil(() -> (accepted[0] = server.accept4(listener, null, SOCK_NONBLOCK)) >= 0, STEP_NS,
            LIMIT_NS, "accept of the second connection, made by its next segment once a slot is free");
        assertEquals("second", read(server, accepted[0], 6));
        assertHealthy();
    }

    private SockAddr serverAddress()
    {
        return SockAddr.inet(engines.addressB(), PORT);
    }

    private static int listen(final Sockets sockets, final int backlog)
    {
        final int listener = sockets.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(3, listener);
        assertEquals(0, sockets.bind(listener, SockAddr.inet(0, PORT)), "bind");
        assertEquals(0, sockets.listen(listener, backlog), "listen");
        return listener;
    }

    private int connect(final Sockets client)
    {
        final int fd = client.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertResult(-Errno.EINPROGRESS, client.connect(fd, serverAddress()));
        engines.stepUntil(() -> isConnected(client, fd), STEP_NS, LIMIT_NS, "connect");
        return fd;
    }

    private boolean isConnected(final Sockets client, final int fd)
    {
        final int result = client.connect(fd, serverAddress());
        return result == 0 || result == -Errno.EISCONN;
    }

    private static void write(final Sockets sockets, final int fd, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        assertEquals(bytes.length, sockets.write(fd, bytes, 0, bytes.length), "write");
    }

    /**
     * @return the next {@code length} bytes of the stream, read as they arrive; for 0, wait for the end of the
     * stream.
     */
    private String read(final Sockets sockets, final int fd, final int length)
    {
        final byte[] bytes = new byte[Math.max(length, 1)];
        final int[] total = new int[1];
        engines.stepUntil(() ->
        {
            final int read = sockets.read(fd, bytes, total[0], bytes.length - total[0]);
            assertTrue(read > 0 || read == -Errno.EAGAIN || (read == 0 && length == 0),
                () -> "read: " + Errno.describe(read));
            total[0] += Math.max(read, 0);
            return length == 0 ? read == 0 : total[0] == length;
        }, STEP_NS, LIMIT_NS, length == 0 ? "end of stream" : "read of " + length + " bytes");
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    private void assertHealthy()
    {
        assertTrue(engines.a.engine().counters().rxBalanced(), engines::diagnostics);
        assertTrue(engines.b.engine().counters().rxBalanced(), engines::diagnostics);
        assertEquals(0, engines.a.runner().errorCount() + engines.b.runner().errorCount(), engines::diagnostics);
    }

    /**
     * Compare results by their names, so that a failure reads {@code expected: <-EMFILE> but was: <-EAGAIN>}.
     */
    private static void assertResult(final int expected, final int actual)
    {
        assertEquals(Errno.describe(expected), Errno.describe(actual));
    }
}
