package io.ringstack.seed;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.util.Arrays;
import java.util.List;

import static io.ringstack.errno.Errno.EADDRINUSE;
import static io.ringstack.errno.Errno.EAFNOSUPPORT;
import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.ECONNREFUSED;
import static io.ringstack.errno.Errno.EFAULT;
import static io.ringstack.errno.Errno.EINVAL;
import static io.ringstack.errno.Errno.EISCONN;
import static io.ringstack.errno.Errno.EOPNOTSUPP;
import static io.ringstack.errno.Errno.EPIPE;
import static io.ringstack.seed.SeedChecks.ascii;
import static io.ringstack.seed.SeedChecks.check;
import static io.ringstack.seed.SeedChecks.equalsBytes;
import static io.ringstack.seed.SeedChecks.fails;
import static io.ringstack.seed.SeedChecks.succeeds;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.AF_UNIX;
import static io.ringstack.socket.SocketConstants.FD_CLOEXEC;
import static io.ringstack.socket.SocketConstants.F_GETFD;
import static io.ringstack.socket.SocketConstants.SOCK_CLOEXEC;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;

/**
 * The seed's {@code unix_socket_test}: phases 1-12 on {@code socketpair}, phases 13-18 on named sockets in the
 * abstract namespace. Phase 1 makes the pair that phases 2-5 use and close; every other phase closes what it
 * opens, whether it passes or not, so that the program can run again against the same sockets. As in the seed,
 * the results of {@code close} are not checked.
 */
public final class UnixSocketProgram implements SeedProgram
{
    /** The seed kernel's {@code UNIX_SOCKET_BUFFER_SIZE}: bytes a stream direction holds. */
    private static final int UNIX_SOCKET_BUFFER_SIZE = 65536;
    private static final int CHUNK_SIZE = 4096;
    private static final int PAIR_BUFFER_SIZE = 32;
    private static final int NAMED_BUFFER_SIZE = 64;

    private static final byte[] FORWARD = ascii("Hello from sv[0]!");
    private static final byte[] REVERSE = ascii("Reply from sv[1]!");
    private static final byte[] BROKEN_PIPE = ascii("This should fail");
    private static final byte[] CLIENT_HELLO = ascii("Hello from client!");
    private static final byte[] SERVER_HELLO = ascii("Hello from server!");

    private final int[] pair = new int[2];
    private final List<SeedPhase> phases = List.of(
        new SeedPhase("1 create pair", this::createPair),
        new SeedPhase("2 forward I/O", (context) -> exchange(
            context.sockets(), pair[0], pair[1], FORWARD, PAIR_BUFFER_SIZE, "sv[0] -> sv[1]")),
        new SeedPhase("3 reverse I/O", (context) -> exchange(
            context.sockets(), pair[1], pair[0], REVERSE, PAIR_BUFFER_SIZE, "sv[1] -> sv[0]")),
        new SeedPhase("4 EOF on peer close", this::eofOnPeerClose),
        new SeedPhase("5 close", (context) -> context.sockets().close(pair[1])),
        new SeedPhase("6 non-blocking empty read", UnixSocketProgram::nonBlockingEmptyRead),
        new SeedPhase("7 EPIPE", UnixSocketProgram::brokenPipe),
        new SeedPhase("8 bad domain/type", UnixSocketProgram::badDomainOrType),
        new SeedPhase("9 buffer full", UnixSocketProgram::bufferFull),
        new SeedPhase("10 NULL result pointer", (context) -> fails(
            context.sockets().socketpair(AF_UNIX, SOCK_STREAM, 0, null), EFAULT, "socketpair(sv=NULL)")),
        new SeedPhase("11 non-zero protocol", (context) -> pairFails(
            context.sockets(), AF_UNIX, SOCK_STREAM, 1, EINVAL, "socketpair(AF_UNIX, SOCK_STREAM, 1)")),
        new SeedPhase("12 SOCK_CLOEXEC", UnixSocketProgram::closeOnExec),
        new SeedPhase("13 named server/client", UnixSocketProgram::namedServerClient),
        new SeedPhase("14 ECONNREFUSED", UnixSocketProgram::connectionRefused),
        new SeedPhase("15 EADDRINUSE", UnixSocketProgram::addressInUse),
        new SeedPhase("16 non-blocking accept", UnixSocketProgram::nonBlockingAccept),
        new SeedPhase("17 EISCONN", UnixSocketProgram::alreadyConnected),
        new SeedPhase("18 accept on non-listener", UnixSocketProgram::acceptOnNonListener));

    public String name()
    {
        return "unix_socket_test";
    }

    public List<SeedPhase> phases()
    {
        return phases;
    }

    private void createPair(final SeedContext context) throws SeedFailure
    {
        succeeds(context.sockets().socketpair(AF_UNIX, SOCK_STREAM, 0, pair), "socketpair(AF_UNIX, SOCK_STREAM)");
        check(pair[0] >= 3 && pair[1] >= 3 && pair[0] != pair[1],
            "socketpair gave descriptors " + pair[0] + " and " + pair[1] + ", expected two distinct ones >= 3");
    }

    private void eofOnPeerClose(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        sockets.close(pair[0]);
        final int result = sockets.read(pair[1], new byte[PAIR_BUFFER_SIZE], 0, PAIR_BUFFER_SIZE);
        check(result == 0, "read(sv[1]) after the peer closed returned " + Errno.describe(result) + ", expected 0");
    }

    private static void nonBlockingEmptyRead(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] sv = openPair(sockets, SOCK_STREAM | SOCK_NONBLOCK, "SOCK_STREAM|SOCK_NONBLOCK");
        try
        {
            fails(sockets.read(sv[0], new byte[PAIR_BUFFER_SIZE], 0, PAIR_BUFFER_SIZE), EAGAIN,
                "read on an empty non-blocking pair");
        }
        finally
        {
            closeAll(sockets, sv);
        }
    }

    private static void brokenPipe(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] sv = openPair(sockets, SOCK_STREAM, "SOCK_STREAM");
        try
        {
            sockets.close(sv[1]);
            sv[1] = -1;
            fails(sockets.write(sv[0], BROKEN_PIPE, 0, BROKEN_PIPE.length), EPIPE, "write after the peer closed");
        }
        finally
        {
            closeAll(sockets, sv);
        }
    }

    private static void badDomainOrType(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        pairFails(sockets, AF_INET, SOCK_STREAM, 0, EAFNOSUPPORT, "socketpair(AF_INET, SOCK_STREAM)");
        pairFails(sockets, AF_UNIX, SOCK_DGRAM, 0, EINVAL, "socketpair(AF_UNIX, SOCK_DGRAM)");
    }

    private static void bufferFull(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] sv = openPair(sockets, SOCK_STREAM | SOCK_NONBLOCK, "SOCK_STREAM|SOCK_NONBLOCK");
        try
        {
            final byte[] chunk = new byte[CHUNK_SIZE];
            Arrays.fill(chunk, (byte)0x42);
            int total = 0;
            int result = 0;
            while (total < UNIX_SOCKET_BUFFER_SIZE + CHUNK_SIZE && result != -EAGAIN)
            {
                result = sockets.write(sv[0], chunk, 0, CHUNK_SIZE);
                check(result >= 0 || result == -EAGAIN,
                    "write after " + total + " bytes returned " + Errno.describe(result) + ", expected EAGAIN");
                total += Math.max(result, 0);
            }
            check(result == -EAGAIN, "no EAGAIN after writing " + total + " bytes to a full pair");
            check(total >= UNIX_SOCKET_BUFFER_SIZE,
                "EAGAIN after only " + total + " bytes, expected at least " + UNIX_SOCKET_BUFFER_SIZE);
        }
        finally
        {
            closeAll(sockets, sv);
        }
    }

    private static void closeOnExec(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] sv = openPair(sockets, SOCK_STREAM | SOCK_CLOEXEC, "SOCK_STREAM|SOCK_CLOEXEC");
        try
        {
            for (int i = 0; i < 2; i++)
            {
                final int flags = succeeds(sockets.fcntl(sv[i], F_GETFD, 0), "fcntl(sv[" + i + "], F_GETFD)");
                check((flags & FD_CLOEXEC) != 0, "fcntl(sv[" + i + "], F_GETFD) gave " + flags + " without FD_CLOEXEC");
            }
        }
        finally
        {
            closeAll(sockets, sv);
        }
    }

    private static void namedServerClient(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = {-1, -1, -1};
        try
        {
            fds[0] = listener(sockets, 0, "combined_test_1_std");
            fds[1] = succeeds(sockets.socket(AF_UNIX, SOCK_STREAM, 0), "socket(client)");
            succeeds(sockets.connect(fds[1], abstractName("combined_test_1_std")), "connect(client)");
            fds[2] = succeeds(sockets.accept(fds[0], null), "accept");
            exchange(sockets, fds[1], fds[2], CLIENT_HELLO, NAMED_BUFFER_SIZE, "client -> server");
            exchange(sockets, fds[2], fds[1], SERVER_HELLO, NAMED_BUFFER_SIZE, "server -> client");
        }
        finally
        {
            closeAll(sockets, fds);
        }
    }

    private static void connectionRefused(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = {-1};
        try
        {
            fds[0] = succeeds(sockets.socket(AF_UNIX, SOCK_STREAM, 0), "socket");
            fails(sockets.connect(fds[0], abstractName("nonexistent_combined_std")), ECONNREFUSED,
                "connect to a name nobody listens on");
        }
        finally
        {
            closeAll(sockets, fds);
        }
    }

    private static void addressInUse(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = {-1, -1};
        try
        {
            fds[0] = listener(sockets, 0, "combined_addrinuse_std");
            fds[1] = succeeds(sockets.socket(AF_UNIX, SOCK_STREAM, 0), "socket(second)");
            fails(sockets.bind(fds[1], abstractName("combined_addrinuse_std")), EADDRINUSE, "second bind");
        }
        finally
        {
            closeAll(sockets, fds);
        }
    }

    private static void nonBlockingAccept(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = {-1};
        try
        {
            fds[0] = listener(sockets, SOCK_NONBLOCK, "combined_nonblock_std");
            fails(sockets.accept(fds[0], null), EAGAIN, "non-blocking accept with no client");
        }
        finally
        {
            closeAll(sockets, fds);
        }
    }

    private static void alreadyConnected(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = {-1, -1};
        try
        {
            fds[0] = listener(sockets, 0, "combined_eisconn_std");
            fds[1] = succeeds(sockets.socket(AF_UNIX, SOCK_STREAM, 0), "socket(client)");
            succeeds(sockets.connect(fds[1], abstractName("combined_eisconn_std")), "first connect");
            fails(sockets.connect(fds[1], abstractName("combined_eisconn_std")), EISCONN, "second connect");
        }
        finally
        {
            closeAll(sockets, fds);
        }
    }

    private static void acceptOnNonListener(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int[] fds = {-1};
        try
        {
            fds[0] = succeeds(sockets.socket(AF_UNIX, SOCK_STREAM, 0), "socket");
            fails(sockets.accept(fds[0], null), EOPNOTSUPP, "accept on a socket that is not listening");
        }
        finally
        {
            closeAll(sockets, fds);
        }
    }

    /**
     * Write {@code message} on {@code from} and read it whole on {@code to} into a buffer of {@code bufferSize}.
     */
    private static void exchange(
        final Sockets sockets, final int from, final int to, final byte[] message, final int bufferSize,
        final String direction) throws SeedFailure
    {
        final int written = sockets.write(from, message, 0, message.length);
        check(written == message.length,
            direction + ": write returned " + Errno.describe(written) + ", expected " + message.length);
        final byte[] buffer = new byte[bufferSize];
        equalsBytes(message, buffer, sockets.read(to, buffer, 0, bufferSize), direction + ": read");
    }

    /**
     * @return a stream socket bound to the abstract {@code name} and listening with the seed's backlog of 5.
     */
    private static int listener(final Sockets sockets, final int typeFlags, final String name) throws SeedFailure
    {
        final int fd = succeeds(sockets.socket(AF_UNIX, SOCK_STREAM | typeFlags, 0), "socket(server)");
        final int bound = sockets.bind(fd, abstractName(name));
        final int listening = bound < 0 ? bound : sockets.listen(fd, 5);
        if (listening < 0)
        {
            sockets.close(fd);
            succeeds(listening, (bound < 0 ? "bind " : "listen ") + abstractName(name));
        }
        return fd;
    }

    private static int[] openPair(final Sockets sockets, final int type, final String typeName) throws SeedFailure
    {
        final int[] sv = new int[2];
        succeeds(sockets.socketpair(AF_UNIX, type, 0, sv), "socketpair(AF_UNIX, " + typeName + ")");
        return sv;
    }

    /**
     * Expect a {@code socketpair} to fail, closing the pair first should it succeed after all.
     */
    private static void pairFails(
        final Sockets sockets, final int domain, final int type, final int protocol, final int errno,
        final String call) throws SeedFailure
    {
        final int[] sv = {-1, -1};
        final int result = sockets.socketpair(domain, type, protocol, sv);
        if (result >= 0)
        {
            closeAll(sockets, sv);
        }
        fails(result, errno, call);
    }

    private static SockAddr abstractName(final String name)
    {
        return SockAddr.local("\0" + name);
    }

    /**
     * Close every descriptor in {@code fds} that is open ({@code >= 0}).
     */
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
}
