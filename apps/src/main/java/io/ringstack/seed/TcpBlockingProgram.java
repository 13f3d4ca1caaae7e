package io.ringstack.seed;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.ringstack.seed.SeedChecks.ascii;
import static io.ringstack.seed.SeedChecks.check;
import static io.ringstack.seed.SeedChecks.equalsBytes;
import static io.ringstack.seed.SeedChecks.fails;
import static io.ringstack.seed.SeedChecks.succeeds;
import static io.ringstack.seed.TcpSocketProgram.loopback;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.F_GETFL;
import static io.ringstack.socket.SocketConstants.F_SETFL;
import static io.ringstack.socket.SocketConstants.INADDR_ANY;
import static io.ringstack.socket.SocketConstants.O_NONBLOCK;
import static io.ringstack.socket.SocketConstants.SOCK_STREAM;

/**
 * The seed's {@code tcp_blocking_test} (inventory section 1.4): blocking calls block and non-blocking ones do not,
 * with no retry loops. The original forks; here the child is a thread, and instead of the child killing a hung
 * parent every wait is bounded: the parent joins the child with a deadline and the runner bounds each phase.
 * Phase 4b is the timing proof: a blocking read waits for data sent 300 ms later (at least 100 ms), and a
 * non-blocking read with nothing to read fails with {@code EAGAIN} in under 100 ms.
 */
public final class TcpBlockingProgram implements SeedProgram
{
    private static final long CHILD_JOIN_MS = 10_000;
    private static final long SENDER_DELAY_MS = 300;
    private static final long MIN_BLOCKING_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_NON_BLOCKING_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private int listener = -1;
    private int accepted = -1;
    private Thread child;
    private final AtomicReference<String> childFailure = new AtomicReference<>();

    public String name()
    {
        return "tcp_blocking_test";
    }

    public List<SeedPhase> phases()
    {
        return List.of(
            new SeedPhase("1 blocking accept", this::blockingAccept),
            new SeedPhase("2 blocking read", this::blockingRead),
            new SeedPhase("3 non-blocking connect EINPROGRESS", TcpBlockingProgram::nonBlockingConnect),
            new SeedPhase("4 non-blocking accept EAGAIN", TcpBlockingProgram::nonBlockingAccept),
            new SeedPhase("4b timing proof", TcpBlockingProgram::timingProof),
            new SeedPhase("5 EBADF", TcpBlockingProgram::badDescriptor),
            new SeedPhase("6 EISCONN", TcpBlockingProgram::alreadyConnected));
    }

    private void blockingAccept(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        listener = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "socket");
        succeeds(sockets.bind(listener, SockAddr.inet(INADDR_ANY, 9100)), "bind 9100");
        succeeds(sockets.listen(listener, 128), "listen(128)");
        child = new Thread(() -> childConnectsAndWrites(sockets), "tcp_blocking_test-child");
        child.setDaemon(true);
        child.start();
        accepted = sockets.accept(listener, null);
        if (accepted < 0)
        {
            SeedThreads.join(child, CHILD_JOIN_MS);
            sockets.close(listener);
        }
        check(accepted >= 0, "blocking accept returned " + Errno.describe(accepted));
    }

    private void childConnectsAndWrites(final Sockets sockets)
    {
        for (int i = 0; i < 50; i++)
        {
            Thread.yield();
        }
        final int fd = sockets.socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
        {
            childFailure.set("child socket: " + Errno.describe(fd));
            return;
        }
        try
        {
            final int connected = sockets.connect(fd, loopback(9100));
            if (connected < 0)
            {
                childFailure.set("child connect: " + Errno.describe(connected));
                return;
            }
            for (int i = 0; i < 30; i++)
            {
                Thread.yield();
            }
            final byte[] data = ascii("BLOCKING_TEST_DATA");
            final int written = sockets.write(fd, data, 0, data.length);
            if (written != data.length)
            {
                childFailure.set("child write: " + Errno.describe(written));
            }
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private void blockingRead(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        try
        {
            final byte[] buffer = new byte[64];
            final int read = sockets.read(accepted, buffer, 0, buffer.length);
            check(SeedThreads.join(child, CHILD_JOIN_MS), "child did not finish");
            check(childFailure.get() == null, String.valueOf(childFailure.get()));
            equalsBytes(ascii("BLOCKING_TEST_DATA"), buffer, read, "single blocking read");
        }
        finally
        {
            sockets.close(accepted);
            sockets.close(listener);
        }
    }

    private static void nonBlockingConnect(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int server = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "server socket");
        final int client = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "client socket");
        try
        {
            succeeds(sockets.bind(server, SockAddr.inet(INADDR_ANY, 9101)), "bind 9101");
            succeeds(sockets.listen(server, 128), "listen");
            final int flags = succeeds(sockets.fcntl(client, F_GETFL, 0), "fcntl(F_GETFL)");
            succeeds(sockets.fcntl(client, F_SETFL, flags | O_NONBLOCK), "fcntl(F_SETFL, O_NONBLOCK)");
            fails(sockets.connect(client, loopback(9101)), Errno.EINPROGRESS, "non-blocking connect");
        }
        finally
        {
            sockets.close(client);
            sockets.close(server);
        }
    }

    private static void nonBlockingAccept(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int server = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "socket");
        try
        {
            final int flags = succeeds(sockets.fcntl(server, F_GETFL, 0), "fcntl(F_GETFL)");
            succeeds(sockets.fcntl(server, F_SETFL, flags | O_NONBLOCK), "fcntl(F_SETFL, O_NONBLOCK)");
            succeeds(sockets.bind(server, SockAddr.inet(INADDR_ANY, 9103)), "bind 9103");
            succeeds(sockets.listen(server, 128), "listen");
            fails(sockets.accept(server, null), Errno.EAGAIN, "non-blocking accept with nothing pending");
        }
        finally
        {
            sockets.close(server);
        }
    }

    private static void timingProof(final SeedContext context) throws SeedFailure
    {
        blockingReadWaits(context.sockets());
        nonBlockingReadReturnsAtOnce(context.sockets());
    }

    /**
     * Part A: the child connects, sleeps 300 ms, sends 13 bytes; the parent's one blocking read must wait for
     * them: more than 0 bytes, at least 100 ms.
     */
    private static void blockingReadWaits(final Sockets sockets) throws SeedFailure
    {
        final int server = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "server socket");
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread sender = new Thread(() -> connectSleepAndSend(sockets, failure), "tcp_blocking_test-sender");
        sender.setDaemon(true);
        int connection = -1;
        try
        {
            succeeds(sockets.bind(server, SockAddr.inet(INADDR_ANY, 9104)), "bind 9104");
            succeeds(sockets.listen(server, 128), "listen");
            sender.start();
            connection = succeeds(sockets.accept(server, null), "accept");
            final byte[] buffer = new byte[64];
            final long startNs = System.nanoTime();
            final int read = sockets.read(connection, buffer, 0, buffer.length);
            final long elapsedNs = System.nanoTime() - startNs;
            check(read > 0, "blocking read returned " + Errno.describe(read));
            check(elapsedNs >= MIN_BLOCKING_NS, "blocking read returned after " +
                TimeUnit.NANOSECONDS.toMillis(elapsedNs) + " ms, expected at least 100 ms: it did not block");
            check(SeedThreads.join(sender, CHILD_JOIN_MS), "sender did not finish");
            check(failure.get() == null, String.valueOf(failure.get()));
        }
        finally
        {
            SeedThreads.join(sender, CHILD_JOIN_MS);
            if (connection >= 0)
            {
                sockets.close(connection);
            }
            sockets.close(server);
        }
    }

    private static void connectSleepAndSend(final Sockets sockets, final AtomicReference<String> failure)
    {
        final int fd = sockets.socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
        {
            failure.set("sender socket: " + Errno.describe(fd));
            return;
        }
        try
        {
            final int connected = sockets.connect(fd, loopback(9104));
            if (connected < 0)
            {
                failure.set("sender connect: " + Errno.describe(connected));
                return;
            }
            SeedThreads.sleep(SENDER_DELAY_MS);
            final byte[] data = ascii("BLOCKING_TEST");
            final int written = sockets.write(fd, data, 0, data.length);
            if (written != data.length)
            {
                failure.set("sender write: " + Errno.describe(written));
            }
        }
        finally
        {
            sockets.close(fd);
        }
    }

    /**
     * Part B: a non-blocking read on an accepted connection with nothing to read fails with {@code EAGAIN} in
     * under 100 ms.
     */
    private static void nonBlockingReadReturnsAtOnce(final Sockets sockets) throws SeedFailure
    {
        final int server = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "server socket");
        final int client = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "client socket");
        int connection = -1;
        try
        {
            succeeds(sockets.bind(server, SockAddr.inet(INADDR_ANY, 9105)), "bind 9105");
            succeeds(sockets.listen(server, 128), "listen");
            succeeds(sockets.connect(client, loopback(9105)), "connect");
            connection = succeeds(sockets.accept(server, null), "accept");
            final int flags = succeeds(sockets.fcntl(connection, F_GETFL, 0), "fcntl(F_GETFL)");
            succeeds(sockets.fcntl(connection, F_SETFL, flags | O_NONBLOCK), "fcntl(F_SETFL, O_NONBLOCK)");
            final byte[] buffer = new byte[64];
            final long startNs = System.nanoTime();
            final int read = sockets.read(connection, buffer, 0, buffer.length);
            final long elapsedNs = System.nanoTime() - startNs;
            fails(read, Errno.EAGAIN, "non-blocking read with no data");
            check(elapsedNs < MAX_NON_BLOCKING_NS, "non-blocking read took " +
                TimeUnit.NANOSECONDS.toMillis(elapsedNs) + " ms, expected under 100 ms");
        }
        finally
        {
            if (connection >= 0)
            {
                sockets.close(connection);
            }
            sockets.close(client);
            sockets.close(server);
        }
    }

    private static void badDescriptor(final SeedContext context) throws SeedFailure
    {
        fails(context.sockets().connect(9999, loopback(9100)), Errno.EBADF, "connect on fd 9999");
    }

    private static void alreadyConnected(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int server = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "server socket");
        final int client = succeeds(sockets.socket(AF_INET, SOCK_STREAM, 0), "client socket");
        try
        {
            succeeds(sockets.bind(server, SockAddr.inet(INADDR_ANY, 9106)), "bind 9106");
            succeeds(sockets.listen(server, 128), "listen");
            int connected = sockets.connect(client, loopback(9106));
            if (connected == -Errno.EINPROGRESS)
            {
                for (int i = 0; i < 50; i++)
                {
                    Thread.yield();
                }
                connected = 0;
            }
            succeeds(connected, "first connect");
            fails(sockets.connect(client, loopback(9106)), Errno.EISCONN, "second connect");
        }
        finally
        {
            sockets.close(client);
            sockets.close(server);
        }
    }
}
