package io.ringstack.seed;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.util.List;

import static io.ringstack.seed.SeedChecks.ascii;
import static io.ringstack.seed.SeedChecks.check;
import static io.ringstack.seed.SeedChecks.equalsBytes;
import static io.ringstack.seed.SeedChecks.fails;
import static io.ringstack.seed.SeedChecks.succeeds;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.F_GETFL;
import static io.ringstack.socket.SocketConstants.F_SETFL;
import static io.ringstack.socket.SocketConstants.INADDR_ANY;
import static io.ringstack.socket.SocketConstants.INADDR_LOOPBACK;
import static io.ringstack.socket.SocketConstants.O_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SHUT_RD;
import static io.ringstack.socket.SocketConstants.SHUT_RDWR;
import static io.ringstack.socket.SocketConstants.SHUT_WR;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;

/**
 * The seed's {@code tcp_socket_test}: its 25 checks (inventory section 1.3), same ports, payloads and buffer
 * sizes, servers on 0.0.0.0 and clients to 127.0.0.1. Where the seed accepted several outcomes this port wants
 * Linux's one:
 * <ul>
 *   <li>14: a read after {@code SHUT_RD} returns 0 (end of stream);</li>
 *   <li>15: the write after {@code SHUT_WR} fails with {@code EPIPE}, and the server reads end of stream;</li>
 *   <li>18: {@code listen(2)} admits three connections (Linux queues backlog + 1): three connects, three accepts,
 *       then {@code EAGAIN};</li>
 *   <li>19: {@code ECONNREFUSED}, not {@code ETIMEDOUT};</li>
 *   <li>22: the peer of a connect to 127.0.0.1 is 127.0.0.1;</li>
 *   <li>23: both shutdowns succeed.</li>
 * </ul>
 * Each check closes what it opened, so the program can run again in the same world once TIME-WAIT has passed.
 */
public final class TcpSocketProgram implements SeedProgram
{
    private static final int RETRIES = 10;

    private int server;
    private int client;
    private int accepted;

    public String name()
    {
        return "tcp_socket_test";
    }

    public List<SeedPhase> phases()
    {
        return List.of(
            new SeedPhase("1 socket", this::createServer),
            new SeedPhase("2 bind 8080", this::bindServer),
            new SeedPhase("3 listen(128)", this::listenServer),
            new SeedPhase("4 client socket", this::createClient),
            new SeedPhase("5 blocking connect", this::connectClient),
            new SeedPhase("6 accept", this::acceptClient),
            new SeedPhase("7 shutdown connected", this::shutdownConnected),
            new SeedPhase("8 shutdown unconnected ENOTCONN", TcpSocketProgram::shutdownUnconnected),
            new SeedPhase("9 EADDRINUSE", TcpSocketProgram::addressInUse),
            new SeedPhase("10 listen unbound EINVAL", TcpSocketProgram::listenUnbound),
            new SeedPhase("11 accept non-listener EOPNOTSUPP", TcpSocketProgram::acceptNonListener),
            new SeedPhase("12 data before accept", TcpSocketProgram::dataBeforeAccept),
            new SeedPhase("13 write after SHUT_WR EPIPE", TcpSocketProgram::writeAfterShutdownWrite),
            new SeedPhase("14 SHUT_RD", TcpSocketProgram::shutdownRead),
            new SeedPhase("15 SHUT_WR", TcpSocketProgram::shutdownWrite),
            new SeedPhase("16 server to client", TcpSocketProgram::serverToClient),
            new SeedPhase("17 256 bytes", TcpSocketProgram::twoHundredFiftySixBytes),
            new SeedPhase("18 backlog", TcpSocketProgram::backlog),
            new SeedPhase("19 refused", TcpSocketProgram::refused),
            new SeedPhase("20 larger than MSS", TcpSocketProgram::largerThanMss),
            new SeedPhase("21 round trips", TcpSocketProgram::roundTrips),
            new SeedPhase("22 peer address", TcpSocketProgram::peerAddress),
            new SeedPhase("23 both sides close", TcpSocketProgram::bothSidesClose),
            new SeedPhase("24 half-close", TcpSocketProgram::halfClose),
            new SeedPhase("25 first-call accept", TcpSocketProgram::firstCallAccept));
    }

    private void createServer(final SeedContext context) throws SeedFailure
    {
        server = succeeds(context.sockets().socket(AF_INET, SOCK_STREAM, 0), "socket(AF_INET, SOCK_STREAM)");
    }

    private void bindServer(final SeedContext context) throws SeedFailure
    {
        succeeds(context.sockets().bind(server, SockAddr.inet(INADDR_ANY, 8080)), "bind 0.0.0.0:8080");
    }

    private void listenServer(final SeedContext context) throws SeedFailure
    {
        succeeds(context.sockets().listen(server, 128), "listen(128)");
    }

    private void createClient(final SeedContext context) throws SeedFailure
    {
        client = succeeds(context.sockets().socket(AF_INET, SOCK_STREAM, 0), "client socket");
    }

    private void connectClient(final SeedContext context) throws SeedFailure
    {
        succeeds(context.sockets().connect(client, loopback(8080)), "connect 127.0.0.1:8080");
    }

    private void acceptClient(final SeedContext context) throws SeedFailure
    {
        accepted = acceptWithRetry(context.sockets(), server, null);
    }

    private void shutdownConnected(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        try
        {
            succeeds(sockets.shutdown(client, SHUT_RDWR), "shutdown(client, SHUT_RDWR)");
        }
        finally
        {
            sockets.close(client);
            sockets.close(accepted);
            sockets.close(server);
        }
    }

    private static void shutdownUnconnected(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int fd = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "socket");
        try
        {
            fails(sockets.shutdown(fd, SHUT_RDWR), Errno.ENOTCONN, "shutdown(SHUT_RDWR) on an unconnected socket");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void addressInUse(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int first = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "first socket");
        final int second = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "second socket");
        try
        {
            succeeds(sockets.bind(first, SockAddr.inet(INADDR_ANY, 8081)), "bind first to 8081");
            succeeds(sockets.listen(first, 128), "listen first");
            fails(sockets.bind(second, SockAddr.inet(INADDR_ANY, 8081)), Errno.EADDRINUSE, "bind second to 8081");
        }
        finally
        {
            sockets.close(first);
            sockets.close(second);
        }
    }

    private static void listenUnbound(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int fd = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "socket");
        try
        {
            fails(sockets.listen(fd, 128), Errno.EINVAL, "listen on an unbound socket");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void acceptNonListener(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int fd = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "socket");
        try
        {
            succeeds(sockets.bind(fd, SockAddr.inet(INADDR_ANY, 8083)), "bind 8083");
            fails(sockets.accept(fd, null), Errno.EOPNOTSUPP, "accept on a socket that is not listening");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void dataBeforeAccept(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8082, false))
        {
            final byte[] hello = ascii("HELLO");
            check(pair.sockets.write(pair.client, hello, 0, hello.length) == hello.length, "write HELLO");
            pair.accept();
            final byte[] buffer = new byte[16];
            equalsBytes(hello, buffer, readWithRetry(pair.sockets, pair.accepted, buffer), "read after accept");
        }
    }

    private static void writeAfterShutdownWrite(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8084, true))
        {
            succeeds(pair.sockets.shutdown(pair.client, SHUT_WR), "shutdown(SHUT_WR)");
            final byte[] test = ascii("TEST");
            fails(pair.sockets.write(pair.client, test, 0, test.length), Errno.EPIPE, "write after SHUT_WR");
        }
    }

    private static void shutdownRead(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8085, true))
        {
            succeeds(pair.sockets.shutdown(pair.client, SHUT_RD), "shutdown(SHUT_RD)");
            final byte[] buffer = new byte[16];
            final int read = pair.sockets.read(pair.client, buffer, 0, buffer.length);
            check(read == 0, "read after SHUT_RD returned " + Errno.describe(read) + ", expected 0 (end of stream)");
        }
    }

    private static void shutdownWrite(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8086, true))
        {
            succeeds(pair.sockets.shutdown(pair.client, SHUT_WR), "shutdown(SHUT_WR)");
            final byte[] data = ascii("AFTER");
            fails(pair.sockets.write(pair.client, data, 0, data.length), Errno.EPIPE, "write after SHUT_WR");
            final byte[] buffer = new byte[16];
            final int read = pair.sockets.read(pair.accepted, buffer, 0, buffer.length);
            check(read == 0, "server read returned " + Errno.describe(read) + ", expected 0: it saw the FIN");
        }
    }

    private static void serverToClient(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8087, true))
        {
            final byte[] world = ascii("WORLD");
            check(pair.sockets.write(pair.accepted, world, 0, world.length) == world.length, "server write WORLD");
            final byte[] buffer = new byte[16];
            equalsBytes(world, buffer, readWithRetry(pair.sockets, pair.client, buffer), "client read");
        }
    }

    private static void twoHundredFiftySixBytes(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8088, true))
        {
            final byte[] pattern = pattern(256);
            check(pair.sockets.write(pair.client, pattern, 0, pattern.length) == pattern.length, "write 256 bytes");
            final byte[] buffer = new byte[512];
            equalsBytes(pattern, buffer, readAll(pair.sockets, pair.accepted, buffer, pattern.length, RETRIES),
                "server read");
        }
    }

    private static void backlog(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int listener = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "server socket");
        final int[] clients = { -1, -1, -1 };
        final int[] accepted = { -1, -1, -1, -1 };
        try
        {
            succeeds(sockets.bind(listener, SockAddr.inet(INADDR_ANY, 8089)), "bind 8089");
            succeeds(sockets.listen(listener, 2), "listen(2)");
            for (int i = 0; i < clients.length; i++)
            {
                clients[i] = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "client " + (i + 1));
                succeeds(sockets.connect(clients[i], loopback(8089)), "connect " + (i + 1));
            }
            final int flags = succeeds(sockets.fcntl(listener, F_GETFL, 0), "fcntl(F_GETFL)");
            succeeds(sockets.fcntl(listener, F_SETFL, flags | O_NONBLOCK), "fcntl(F_SETFL, O_NONBLOCK)");
            for (int i = 0; i < clients.length; i++)
            {
                accepted[i] = acceptWithRetry(sockets, listener, null);
            }
            fails(sockets.accept(listener, null), Errno.EAGAIN, "fourth accept");
        }
        finally
        {
            closeAll(sockets, accepted);
            closeAll(sockets, clients);
            sockets.close(listener);
        }
    }

    private static void refused(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int fd = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "socket");
        try
        {
            fails(sockets.connect(fd, loopback(9999)), Errno.ECONNREFUSED, "connect 127.0.0.1:9999");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void largerThanMss(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8090, true))
        {
            final byte[] pattern = pattern(2000);
            int written = 0;
            for (int attempt = 0; attempt < RETRIES && written < pattern.length; attempt++)
            {
                written += succeeds(pair.sockets.write(pair.client, pattern, written, pattern.length - written),
                    "write at " + written);
            }
            check(written == pattern.length, "wrote " + written + " of 2000 bytes in " + RETRIES + " calls");
            final byte[] buffer = new byte[2500];
            equalsBytes(pattern, buffer, readAll(pair.sockets, pair.accepted, buffer, pattern.length, 2 * RETRIES),
                "server read");
        }
    }

    private static void roundTrips(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8091, true))
        {
            for (final String message : new String[]{ "MSG1", "MSG2", "MSG3" })
            {
                final byte[] bytes = ascii(message);
                check(pair.sockets.write(pair.client, bytes, 0, bytes.length) == bytes.length, "write " + message);
                final byte[] buffer = new byte[16];
                equalsBytes(bytes, buffer, readWithRetry(pair.sockets, pair.accepted, buffer), "read " + message);
            }
        }
    }

    private static void peerAddress(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8092, false))
        {
            final SockAddr peer = new SockAddr();
            pair.accepted = acceptWithRetry(pair.sockets, pair.server, peer);
            check(peer.ipv4() == INADDR_LOOPBACK,
                "accept gave peer " + Ipv4Text.format(peer.ipv4()) + ", expected 127.0.0.1");
            final SockAddr local = new SockAddr();
            succeeds(pair.sockets.getsockname(pair.client, local), "getsockname(client)");
            check(peer.port() == local.port(), "peer port " + peer.port() + " is not the client's " + local.port());
        }
    }

    private static void bothSidesClose(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8093, true))
        {
            succeeds(pair.sockets.shutdown(pair.client, SHUT_RDWR), "shutdown(client, SHUT_RDWR)");
            succeeds(pair.sockets.shutdown(pair.accepted, SHUT_RDWR), "shutdown(accepted, SHUT_RDWR)");
        }
    }

    private static void halfClose(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 8094, true))
        {
            succeeds(pair.sockets.shutdown(pair.client, SHUT_WR), "shutdown(client, SHUT_WR)");
            final byte[] data = ascii("HALFCLOSE_DATA");
            check(pair.sockets.write(pair.accepted, data, 0, data.length) == data.length, "server write");
            final byte[] buffer = new byte[64];
            equalsBytes(data, buffer, readAll(pair.sockets, pair.client, buffer, data.length, RETRIES),
                "client read after its SHUT_WR");
        }
    }

    private static void firstCallAccept(final SeedContext context) throws SeedFailure
    {
        try (Pair pair = Pair.connect(context.sockets(), 9090, false))
        {
            pair.accepted = pair.sockets.accept(pair.server, null);
            check(pair.accepted >= 0, "first accept returned " + Errno.describe(pair.accepted));
        }
    }

    static SockAddr loopback(final int port)
    {
        return SockAddr.inet(INADDR_LOOPBACK, port);
    }

    static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)i;
        }
        return bytes;
    }

    /**
     * The seed's accept helper: up to 10 attempts while the result is {@code EAGAIN}.
     */
    static int acceptWithRetry(final Sockets sockets, final int listener, final SockAddr peer) throws SeedFailure
    {
        int result = -Errno.EAGAIN;
        for (int attempt = 0; attempt < RETRIES && result == -Errno.EAGAIN; attempt++)
        {
            result = sockets.accept(listener, peer);
            if (result == -Errno.EAGAIN)
            {
                SeedThreads.sleep(1);
            }
        }
        return succeeds(result, "accept");
    }

    /**
     * The seed's read helper: up to 10 attempts while the result is {@code EAGAIN} or 0.
     */
    static int readWithRetry(final Sockets sockets, final int fd, final byte[] buffer)
    {
        int result = -Errno.EAGAIN;
        for (int attempt = 0; attempt < RETRIES && (result == -Errno.EAGAIN || result == 0); attempt++)
        {
            result = sockets.read(fd, buffer, 0, buffer.length);
            if (result == -Errno.EAGAIN || result == 0)
            {
                SeedThreads.sleep(1);
            }
        }
        return result;
    }

    /**
     * Read until {@code expected} bytes or {@code attempts} reads.
     *
     * @return bytes read in all, or the error of the first read that failed.
     */
    static int readAll(final Sockets sockets, final int fd, final byte[] buffer, final int expected, final int attempts)
    {
        int total = 0;
        for (int attempt = 0; attempt < attempts && total < expected; attempt++)
        {
            final int read = sockets.read(fd, buffer, total, buffer.length - total);
            if (read < 0 && read != -Errno.EAGAIN)
            {
                return total > 0 ? total : read;
            }
            total += Math.max(read, 0);
        }
        return total;
    }

    private static void closeAll(final Sockets sockets, final int[] fds)
    {
        for (final int fd : fds)
        {
            if (fd >= 0)
            {
                sockets.close(fd);
            }
        }
    }

    /**
     * A server on 0.0.0.0:port, a client connected to it over 127.0.0.1 and, once accepted, the server's side;
     * closing closes all three.
     */
    static final class Pair implements AutoCloseable
    {
        final Sockets sockets;
        int server = -1;
        int client = -1;
        int accepted = -1;

        private Pair(final Sockets sockets)
        {
            this.sockets = sockets;
        }

        static Pair connect(final Sockets sockets, final int port, final boolean accept) throws SeedFailure
        {
            final Pair pair = new Pair(sockets);
            try
            {
                pair.server = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "server socket");
                succeeds(sockets.bind(pair.server, SockAddr.inet(INADDR_ANY, port)), "bind " + port);
                succeeds(sockets.listen(pair.server, 128), "listen on " + port);
                pair.client = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "client socket");
                succeeds(sockets.connect(pair.client, loopback(port)), "connect 127.0.0.1:" + port);
                if (accept)
                {
                    pair.accept();
                }
                return pair;
            }
            catch (final SeedFailure | RuntimeException ex)
            {
                pair.close();
                throw ex;
            }
        }

        void accept() throws SeedFailure
        {
            accepted = acceptWithRetry(sockets, server, null);
        }

        public void close()
        {
            for (final int fd : new int[]{ client, accepted, server })
            {
                if (fd >= 0)
                {
                    sockets.close(fd);
                }
            }
        }
    }
}
