package io.ringstack.socket.local;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static io.ringstack.errno.Errno.EADDRINUSE;
import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.ECONNREFUSED;
import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.errno.Errno.EISCONN;
import static io.ringstack.errno.Errno.ENOTCONN;
import static io.ringstack.errno.Errno.EOPNOTSUPP;
import static io.ringstack.errno.Errno.EPIPE;
import static io.ringstack.errno.Errno.EPROTONOSUPPORT;
import static io.ringstack.errno.Errno.EPROTOTYPE;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.FD_CLOEXEC;
import static io.ringstack.socket.SocketConstants.F_GETFD;
import static io.ringstack.socket.SocketConstants.F_GETFL;
import static io.ringstack.socket.SocketConstants.F_SETFL;
import static io.ringstack.socket.SocketConstants.O_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SHUT_RD;
import static io.ringstack.socket.SocketConstants.SHUT_RDWR;
import static io.ringstack.socket.SocketConstants.SHUT_WR;
import static io.ringstack.socket.SocketConstants.SOCK_CLOEXEC;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;
import static io.ringstack.socket.local.LocalTestSockets.SMALL_STREAM_BUFFER;
import static io.ringstack.socket.local.LocalTestSockets.abstractName;
import static io.ringstack.socket.local.LocalTestSockets.ascii;
import static io.ringstack.socket.local.LocalTestSockets.assertResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStreamSocketTest
{
    private static final int NONBLOCKING_STREAM = SOCK_STREAM | SOCK_NONBLOCK;

    private final Sockets sockets = LocalTestSockets.small();
    private final byte[] buffer = new byte[4 * SMALL_STREAM_BUFFER];

    @Test
    void pairCarriesBytesBothWays()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);

        assertEquals(5, sockets.write(sv[0], ascii("hello"), 0, 5));
        assertEquals(5, sockets.read(sv[1], buffer, 0, buffer.length));
        assertArrayEquals(ascii("hello"), Arrays.copyOf(buffer, 5));
        assertEquals(3, sockets.write(sv[1], ascii("abc"), 0, 3));
        assertEquals(3, sockets.read(sv[0], buffer, 0, buffer.length));
    }

    @Test
    void readTakesWhatFitsAndLeavesTheRest()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);
        sockets.write(sv[0], ascii("abcdefgh"), 0, 8);

        assertEquals(3, sockets.read(sv[1], buffer, 0, 3));
        assertEquals(5, sockets.read(sv[1], buffer, 3, 100));
        assertArrayEquals(ascii("abcdefgh"), Arrays.copyOf(buffer, 8));
    }

    @Test
    void emptyNonBlockingReadIsEagain()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);

        assertResult(-EAGAIN, sockets.read(sv[0], buffer, 0, 16));
    }

    @Test
    void writeIntoFullRingIsPartialThenEagain()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);

        assertEquals(1000, sockets.write(sv[0], buffer, 0, 1000));
        assertEquals(SMALL_STREAM_BUFFER - 1000, sockets.write(sv[0], buffer, 0, 100));
        assertResult(-EAGAIN, sockets.write(sv[0], buffer, 0, 1));

        assertEquals(10, sockets.read(sv[1], buffer, 0, 10));
        assertEquals(10, sockets.write(sv[0], buffer, 0, 100));
    }

    @Test
    void peerCloseIsEndOfStreamOnceDrained()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);
        sockets.write(sv[0], ascii("last"), 0, 4);
        sockets.close(sv[0]);

        assertEquals(4, sockets.read(sv[1], buffer, 0, buffer.length));
        assertEquals(0, sockets.read(sv[1], buffer, 0, buffer.length));
        assertEquals(0, sockets.read(sv[1], buffer, 0, buffer.length));
    }

    @Test
    void writeAfterPeerCloseIsEpipe()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);
        sockets.close(sv[1]);

        assertResult(-EPIPE, sockets.write(sv[0], ascii("x"), 0, 1));
    }

    @Test
    void shutWriteEndsThePeersStreamButNotTheReverseDirection()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);
        sockets.write(sv[0], ascii("bye"), 0, 3);

        assertEquals(0, sockets.shutdown(sv[0], SHUT_WR));
        assertResult(-EPIPE, sockets.write(sv[0], ascii("x"), 0, 1));
        assertEquals(3, sockets.read(sv[1], buffer, 0, buffer.length));
        assertEquals(0, sockets.read(sv[1], buffer, 0, buffer.length));

        assertEquals(2, sockets.write(sv[1], ascii("ok"), 0, 2));
        assertEquals(2, sockets.read(sv[0], buffer, 0, buffer.length));
    }

    @Test
    void shutReadDeliversWhatIsQueuedThenZeroAndStopsThePeersWrites()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);
        sockets.write(sv[0], ascii("queued"), 0, 6);

        assertEquals(0, sockets.shutdown(sv[1], SHUT_RD));
        assertEquals(6, sockets.read(sv[1], buffer, 0, buffer.length));
        assertEquals(0, sockets.read(sv[1], buffer, 0, buffer.length));
        assertResult(-EPIPE, sockets.write(sv[0], ascii("x"), 0, 1));
    }

    @Test
    void shutRdwrStopsBothDirections()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);

        assertEquals(0, sockets.shutdown(sv[0], SHUT_RDWR));
        assertEquals(0, sockets.read(sv[0], buffer, 0, 1));
        assertResult(-EPIPE, sockets.write(sv[0], ascii("x"), 0, 1));
        assertEquals(0, sockets.read(sv[1], buffer, 0, 1));
        assertResult(-EPIPE, sockets.write(sv[1], ascii("x"), 0, 1));
    }

    @Test
    void unconnectedSocketRefusesDataAndShutdown()
    {
        final int fd = socket(NONBLOCKING_STREAM);

        assertResult(-EINVAL, sockets.read(fd, buffer, 0, 1));
        assertResult(-ENOTCONN, sockets.write(fd, ascii("x"), 0, 1));
        assertResult(-EOPNOTSUPP, sockets.sendto(fd, ascii("x"), 0, 1, 0, abstractName("anywhere")));
        assertResult(-ENOTCONN, sockets.shutdown(fd, SHUT_WR));
        assertResult(-EINVAL, sockets.shutdown(fd, 3));
    }

    @Test
    void connectedSocketRefusesAnExplicitDestination()
    {
        final int[] sv = pair(NONBLOCKING_STREAM);

        assertResult(-EISCONN, sockets.sendto(sv[0], ascii("x"), 0, 1, 0, abstractName("anywhere")));
    }

    @Test
    void recvfromNamesThePeer()
    {
        final int server = listener("recvfrom_peer", 5);
        final int client = socket(NONBLOCKING_STREAM);
        assertEquals(0, sockets.bind(client, abstractName("recvfrom_client")));
        assertEquals(0, sockets.connect(client, abstractName("recvfrom_peer")));
        final int accepted = sockets.accept(server, null);
        sockets.write(accepted, ascii("hi"), 0, 2);
        sockets.write(client, ascii("yo"), 0, 2);

        final SockAddr source = new SockAddr();
        assertEquals(2, sockets.recvfrom(client, buffer, 0, buffer.length, 0, source));
        assertEquals("\0recvfrom_peer", source.path());
        assertEquals(2, sockets.recvfrom(accepted, buffer, 0, buffer.length, 0, source));
        assertEquals("\0recvfrom_client", source.path());
    }

    @Test
    void bindTakesAFreeNameOnce()
    {
        final int first = socket(SOCK_STREAM);
        final int second = socket(SOCK_STREAM);

        assertEquals(0, sockets.bind(first, SockAddr.local("/tmp/plain.sock")));
        assertResult(-EINVAL, sockets.bind(first, SockAddr.local("/tmp/other.sock")));
        assertResult(-EADDRINUSE, sockets.bind(second, SockAddr.local("/tmp/plain.sock")));
        assertResult(-EINVAL, sockets.bind(second, SockAddr.inet("127.0.0.1", 80)));
        assertResult(-EINVAL, sockets.bind(second, SockAddr.local("")));
        assertResult(-EINVAL, sockets.bind(second, SockAddr.local("x".repeat(LocalNames.MAX_NAME_LENGTH + 1))));
        assertEquals(0, sockets.bind(second, SockAddr.local("x".repeat(LocalNames.MAX_NAME_LENGTH))));
    }

    @Test
    void closingABoundSocketFreesItsName()
    {
        final int first = socket(SOCK_STREAM);
        sockets.bind(first, abstractName("reusable"));
        sockets.close(first);

        assertEquals(0, sockets.bind(socket(SOCK_STREAM), abstractName("reusable")));
    }

    @Test
    void localAddressIsTheBoundName()
    {
        final SockAddr address = new SockAddr();
        final int fd = socket(SOCK_STREAM);

        assertEquals(0, sockets.getsockname(fd, address));
        assertEquals(AF_UNIX, address.family());
        assertNull(address.path());
        sockets.bind(fd, abstractName("named"));
        assertEquals(0, sockets.getsockname(fd, address));
        assertEquals("\0named", address.path());
    }

    @Test
    void listenNeedsABoundUnconnectedSocket()
    {
        assertResult(-EINVAL, sockets.listen(socket(SOCK_STREAM), 5));
        assertResult(-EINVAL, sockets.listen(pair(SOCK_STREAM)[0], 5));
        final int fd = socket(SOCK_STREAM);
        sockets.bind(fd, abstractName("relisten"));
        assertEquals(0, sockets.listen(fd, 5));
        assertEquals(0, sockets.listen(fd, 1));
    }

    @Test
    void connectCompletesBeforeAcceptAndOnlyOnce()
    {
        final int server = listener("eisconn", 5);
        final int client = socket(SOCK_STREAM);

        assertEquals(0, sockets.connect(client, abstractName("eisconn")));
        assertResult(-EISCONN, sockets.connect(client, abstractName("eisconn")));
        assertEquals(2, sockets.write(client, ascii("hi"), 0, 2));

        final int accepted = sockets.accept(server, null);
        assertTrue(accepted >= 3);
        assertEquals(2, sockets.read(accepted, buffer, 0, buffer.length));
    }

    @Test
    void connectRefusals()
    {
        final int client = socket(SOCK_STREAM);
        final int boundOnly = socket(SOCK_STREAM);
        sockets.bind(boundOnly, abstractName("bound_only"));
        final int datagram = socket(SOCK_DGRAM);
        sockets.bind(datagram, abstractName("datagram_name"));
        final int server = listener("listening", 5);

        assertResult(-ECONNREFUSED, sockets.connect(client, abstractName("missing")));
        assertResult(-ECONNREFUSED, sockets.connect(client, abstractName("bound_only")));
        assertResult(-EPROTOTYPE, sockets.connect(client, abstractName("datagram_name")));
        assertResult(-EINVAL, sockets.connect(client, SockAddr.inet("127.0.0.1", 80)));
        assertResult(-EINVAL, sockets.connect(server, abstractName("listening")));
    }

    @Test
    void fullBacklogRefusesUntilAnAcceptMakesRoom()
    {
        final int server = listener("backlog_full", 1);
        final int first = socket(SOCK_STREAM);
        final int second = socket(SOCK_STREAM);

        assertEquals(0, sockets.connect(first, abstractName("backlog_full")));
        assertResult(-ECONNREFUSED, sockets.connect(second, abstractName("backlog_full")));
        assertTrue(sockets.accept(server, null) >= 3);
        assertEquals(0, sockets.connect(second, abstractName("backlog_full")));
    }

    @Test
    void acceptResults()
    {
        final int plain = socket(SOCK_STREAM);
        assertResult(-EOPNOTSUPP, sockets.accept(plain, null));
        assertResult(-EOPNOTSUPP, sockets.accept(pair(SOCK_STREAM)[0], null));

        final int server = listener("accept_results", 5);
        sockets.fcntl(server, F_SETFL, O_NONBLOCK);
        assertResult(-EAGAIN, sockets.accept(server, null));

        final int client = socket(SOCK_STREAM);
        sockets.connect(client, abstractName("accept_results"));
        assertResult(-EINVAL, sockets.accept4(server, null, 0x1));

        final SockAddr peer = SockAddr.inet("10.0.2.2", 7);
        final int accepted = sockets.accept4(server, peer, SOCK_NONBLOCK | SOCK_CLOEXEC);
        assertTrue(accepted >= 3);
        assertEquals(AF_UNIX, peer.family());
        assertNull(peer.path());
        assertEquals(O_NONBLOCK, sockets.fcntl(accepted, F_GETFL, 0));
        assertEquals(FD_CLOEXEC, sockets.fcntl(accepted, F_GETFD, 0));

        final SockAddr local = new SockAddr();
        sockets.getsockname(accepted, local);
        assertEquals("\0accept_results", local.path());
    }

    @Test
    void acceptReportsABoundClientsName()
    {
        final int server = listener("named_client", 5);
        final int client = socket(SOCK_STREAM);
        sockets.bind(client, abstractName("the_client"));
        sockets.connect(client, abstractName("named_client"));

        final SockAddr peer = new SockAddr();
        assertTrue(sockets.accept(server, peer) >= 3);
        assertEquals("\0the_client", peer.path());
    }

    @Test
    void closingAListenerFreesItsNameAndEndsPendingConnections()
    {
        final int server = listener("closing", 5);
        final int client = socket(SOCK_STREAM | SOCK_NONBLOCK);
        sockets.connect(client, abstractName("closing"));

        assertEquals(0, sockets.close(server));
        assertEquals(0, sockets.read(client, buffer, 0, buffer.length));
        assertResult(-EPIPE, sockets.write(client, ascii("x"), 0, 1));
        assertResult(-ECONNREFUSED, sockets.connect(socket(SOCK_STREAM), abstractName("closing")));
        assertEquals(0, sockets.bind(socket(SOCK_STREAM), abstractName("closing")));
    }

    @Test
    void readinessFollowsDataEndOfStreamAndPendingConnections()
    {
        final int[] sv = pair(SOCK_STREAM);
        final LocalSocket reader = (LocalSocket)sockets.descriptors().get(sv[1]);
        assertFalse(reader.isReadable());
        sockets.write(sv[0], ascii("x"), 0, 1);
        assertTrue(reader.isReadable());
        sockets.read(sv[1], buffer, 0, 1);
        assertFalse(reader.isReadable());
        sockets.shutdown(sv[0], SHUT_WR);
        assertTrue(reader.isReadable());

        final int server = listener("readiness", 5);
        final LocalSocket listening = (LocalSocket)sockets.descriptors().get(server);
        assertFalse(listening.isReadable());
        sockets.connect(socket(SOCK_STREAM), abstractName("readiness"));
        assertTrue(listening.isReadable());
    }

    @Test
    void pairAndSocketArgumentChecks()
    {
        final int[] sv = {-1, -1};

        assertResult(-EINVAL, sockets.socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
        assertResult(-EINVAL, sockets.socketpair(AF_UNIX, SOCK_STREAM, 1, sv));
        assertResult(-EINVAL, sockets.socketpair(AF_UNIX, 5, 0, sv));
        assertArrayEquals(new int[]{-1, -1}, sv);
        assertResult(-EPROTONOSUPPORT, sockets.socket(AF_UNIX, SOCK_STREAM, 1));
        assertResult(-EINVAL, sockets.socket(AF_UNIX, 5, 0));
        assertEquals(0, sockets.descriptors().openCount());
    }

    @Test
    void closeReleasesEveryDescriptor()
    {
        final int[] sv = pair(SOCK_STREAM | SOCK_CLOEXEC);

        assertEquals(2, sockets.descriptors().openCount());
        assertEquals(0, sockets.close(sv[0]));
        assertEquals(0, sockets.close(sv[1]));
        assertEquals(0, sockets.descriptors().openCount());
    }

    private int[] pair(final int type)
    {
        final int[] sv = new int[2];
        assertEquals(0, sockets.socketpair(AF_UNIX, type, 0, sv));
        return sv;
    }

    private int socket(final int type)
    {
        final int fd = sockets.socket(AF_UNIX, type, 0);
        assertTrue(fd >= 3, () -> "socket returned " + fd);
        return fd;
    }

    private int listener(final String name, final int backlog)
    {
        final int fd = socket(SOCK_STREAM);
        assertEquals(0, sockets.bind(fd, abstractName(name)));
        assertEquals(0, sockets.listen(fd, backlog));
        return fd;
    }
}
