package io.ringstack.socket.inet;

import io.ringstack.EmbeddedStack;
import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.engine.Progress;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.socket.FdTable;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.INADDR_ANY;
import static io.ringstack.socket.SocketConstants.INADDR_LOOPBACK;
import static io.ringstack.socket.SocketConstants.MSG_DONTWAIT;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's UDP data calls: what {@code sendto} and {@code recvfrom} return, which errors a send answers at
 * once and which it leaves pending for the next call or {@code SO_ERROR}, and what the calls promise when threads
 * share a socket. The first test runs the engine on its own thread; the others run it embedded on the test thread
 * ({@link PausableEngine}), where a test can hold the engine still. Every blocking call has a short timeout, and
 * each test runs within {@link #LIMIT}, so a call that hangs fails the test with a message.
 */
class UdpSocketCallsTest
{
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final long RECEIVE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int SERVER_PORT = 7200;
    private static final int CLIENT_PORT = 7201;

    private static final int LARGEST_PAYLOAD = 65_507;
    private static final long CALL_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private Ringstack stack;
    private PausableEngine engine;
    private Sockets sockets;

    @AfterEach
    void close()
    {
        if (stack != null)
        {
            stack.close();
        }
        if (engine != null)
        {
            engine.runner.close();
        }
    }

    @Test
    void twoThreadsReadingOneSocketReceiveEachDatagramExactlyOnce()
    {
        stack = Ringstack.launch(context(), true, null);
        sockets = stack.sockets();
        final int datagrams = 4000;
        final int server = boundSocket(SERVER_PORT);
        final int client = boundSocket(0);
        final BitSet seen = new BitSet(datagrams);
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();

        assertTimeoutPreemptively(LIMIT, () ->
        {
            final Runnable reader = () ->
            {
                final byte[] buffer = new byte[8];
                final UnsafeBuffer view = new UnsafeBuffer(buffer);
                while (received.get() < datagrams)
                {
                    if (sockets.recvfrom(server, buffer, 0, buffer.length, 0, null) == Integer.BYTES)
                    {
                        final int sequence = view.getInt(0);
                        synchronized (seen)
                        {
                            if (seen.get(sequence))
                            {
                                duplicates.incrementAndGet();
                            }
                            seen.set(sequence);
                        }
                        received.incrementAndGet();
                    }
                }
            };
            final Thread first = new Thread(reader, "udp-reader-1");
            final Thread second = new Thread(reader, "udp-reader-2");
            first.start();
            second.start();
            final byte[] request = new byte[Integer.BYTES];
            final UnsafeBuffer view = new UnsafeBuffer(request);
            final SockAddr destination = SockAddr.inet(INADDR_LOOPBACK, SERVER_PORT);
            for (int i = 0; i < datagrams; i++)
            {
                view.putInt(0, i);
                assertEquals(Integer.BYTES, sockets.sendto(client, request, 0, request.length, 0, destination));
            }
            first.join();
            second.join();
        });

        assertEquals(0, duplicates.get(), "datagrams read twice");
        assertEquals(datagrams, seen.cardinality(), stack::diagnostics);
    }

    @Test
    void sendReturnsTheLengthAtOnceAndTheDatagramArrivesWhole()
    {
        embedded(context());
        final int server = boundSocket(SERVER_PORT);
        final int client = boundSocket(0);
        final byte[] largest = new byte[LARGEST_PAYLOAD];
        largest[LARGEST_PAYLOAD - 1] = 42;

        assertEquals(LARGEST_PAYLOAD, sockets.sendto(client, largest, 0, largest.length, 0, serverAddress()));
        final byte[] received = new byte[LARGEST_PAYLOAD + 1];
        assertEquals(LARGEST_PAYLOAD, sockets.recvfrom(server, received, 0, received.length, 0, null));
        assertEquals(42, received[LARGEST_PAYLOAD - 1]);
        assertEquals(0, sockets.socketError(client), "no error pending");
    }

    @Test
    void callerSideErrorsAreAnsweredAtOnceAndPostNothing()
    {
        embedded(new EngineContext()
            .name("udp-calls-no-device")
            .interfaceConfig(new InterfaceConfig(Ipv4Text.parse("10.0.2.15"), 24, 0, 0x0200_0000_0001L)));
        final int client = boundSocket(0);
        final long commandsBefore = engine.engine.counters().commands.get();

        assertEquals(-Errno.EMSGSIZE,
            sockets.sendto(client, new byte[LARGEST_PAYLOAD + 1], 0, LARGEST_PAYLOAD + 1, 0, serverAddress()),
            "more than an IPv4 datagram holds");
        assertEquals(-Errno.EDESTADDRREQ, sockets.send(client, new byte[8], 0, 8, 0), "no destination, no peer");
        assertEquals(-Errno.ENETUNREACH,
            sockets.sendto(client, new byte[8], 0, 8, 0, SockAddr.inet(Ipv4Text.parse("10.0.2.2"), SERVER_PORT)),
            "no device to reach the LAN through");
        assertEquals(commandsBefore, engine.engine.counters().commands.get(), "nothing reached the engine");
        assertEquals(0, sockets.socketError(client), "an error answered at once is not also pending");
    }

    @Test
    void aFullCommandRingIsEagainAtOnceWithoutBlockingAndEveryDatagramPostedBeforeArrives()
    {
        embedded(context().set(Setting.COMMAND_RING_CAPACITY, 4096));
        final int server = boundSocket(SERVER_PORT);
        final int client = boundSocket(0);
        final byte[] datagram = new byte[Integer.BYTES];
        final UnsafeBuffer view = new UnsafeBuffer(datagram);

        engine.paused = true;
        int posted = 0;
        int result;
        while ((result = sockets.sendto(client, datagram, 0, datagram.length, MSG_DONTWAIT, serverAddress())) > 0)
        {
            view.putInt(0, ++posted);
        }
        assertEquals(-Errno.EAGAIN, result, "the send that found the ring full");
        final int fitted = posted;
        assertTrue(fitted > 50, () -> fitted + " datagrams fit a 4 KiB command ring");
        assertEquals(0, sockets.setSendTimeout(client, CALL_TIMEOUT_NS));
        final long startNs = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () -> assertEquals(-Errno.EAGAIN,
            sockets.sendto(client, datagram, 0, datagram.length, 0, serverAddress()), "blocking, after its timeout"));
        final long waitedNs = System.nanoTime() - startNs;
        assertTrue(waitedNs >= CALL_TIMEOUT_NS, () -> "gave up after " + waitedNs + " ns");
        engine.paused = false;

        for (int i = 0; i < posted; i++)
        {
            assertEquals(Integer.BYTES, sockets.recvfrom(server, datagram, 0, datagram.length, 0, null));
            assertEquals(i, view.getInt(0), "datagrams arrive in the order posted");
        }
        assertEquals(-Errno.EAGAIN, sockets.recvfrom(server, datagram, 0, datagram.length, MSG_DONTWAIT, null));
        assertEquals(0, sockets.socketError(client), "a full ring was answered, not left pending");
    }

    @Test
    void aSendTheEngineCannotCarryOutLeavesItsErrorPendingForTheNextCallOnce()
    {
        embedded(context().set(Setting.LOOPBACK_RING_CAPACITY, 16 * 1024).set(Setting.LOOPBACK_MTU, Ipv4Output.MTU));
        final int server = boundSocket(SERVER_PORT);
        final int client = boundSocket(0);
        final byte[] tooManyFragments = new byte[60_000];
        final byte[] small = new byte[8];

        assertEquals(tooManyFragments.length,
            sockets.sendto(client, tooManyFragments, 0, tooManyFragments.length, 0, serverAddress()),
            "the caller cannot know that 41 fragments will not fit the 16 KiB loopback ring");
        assertEquals(1, engine.engine.counters().drops(DropReason.LOOPBACK_RING_FULL), engine::diagnostics);
        assertEquals(Errno.ENOBUFS, sockets.socketError(client), "SO_ERROR takes the pending error");
        assertEquals(0, sockets.socketError(client), "and leaves none");

        assertEquals(tooManyFragments.length,
            sockets.sendto(client, tooManyFragments, 0, tooManyFragments.length, 0, serverAddress()));
        assertEquals(-Errno.ENOBUFS, sockets.sendto(client, small, 0, small.length, 0, serverAddress()),
            "the next send returns the pending error and sends nothing");
        assertEquals(small.length, sockets.sendto(client, small, 0, small.length, 0, serverAddress()));
        assertEquals(small.length, sockets.recvfrom(server, small, 0, small.length, 0, null), "only the third");

        assertEquals(tooManyFragments.length,
            sockets.sendto(client, tooManyFragments, 0, tooManyFragments.length, 0, serverAddress()));
        assertEquals(-Errno.ENOBUFS, sockets.recvfrom(client, small, 0, small.length, MSG_DONTWAIT, null),
            "a receive returns the pending error before looking for data");
        assertEquals(-Errno.EAGAIN, sockets.recvfrom(client, small, 0, small.length, MSG_DONTWAIT, null));
    }

    @Test
    void aCallTheEngineDoesNotAnswerBeforeTheDeadlineIsEtimedout()
    {
        embedded(context().set(Setting.CALL_TIMEOUT_NS, CALL_TIMEOUT_NS));
        final int fd = sockets.socket(AF_INET, SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> "socket: " + Errno.describe(fd));
        engine.paused = true;

        final long startNs = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () ->
            assertEquals(-Errno.ETIMEDOUT, sockets.bind(fd, SockAddr.inet(INADDR_ANY, SERVER_PORT))));
        final long waitedNs = System.nanoTime() - startNs;

        assertTrue(waitedNs >= CALL_TIMEOUT_NS, () -> "gave up after " + waitedNs + " ns");
    }

    @Test
    void aBlockingReceiveThatTimesOutIsEagainAsWithSoRcvtimeo()
    {
        embedded(context());
        final int server = boundSocket(SERVER_PORT);

        final long startNs = System.nanoTime();
        assertTimeoutPreemptively(LIMIT, () ->
            assertEquals(-Errno.EAGAIN, sockets.recvfrom(server, new byte[8], 0, 8, 0, null)));
        final long waitedNs = System.nanoTime() - startNs;

        assertTrue(waitedNs >= RECEIVE_TIMEOUT_NS, () -> "gave up after " + waitedNs + " ns");
    }

    @Test
    void recvmmsgTakesTheDatagramsThereUpToItsCountEachWithLengthAndSender()
    {
        embedded(context());
        final int server = boundSocket(SERVER_PORT);
        final int client = boundSocket(CLIENT_PORT);
        for (int i = 1; i <= 3; i++)
        {
            assertEquals(i, sockets.sendto(client, new byte[i], 0, i, 0, serverAddress()));
        }
        final byte[][] buffers = { new byte[8], new byte[2], new byte[8], new byte[8] };
        final int[] lengths = new int[buffers.length];
        final SockAddr[] sources = { SockAddr.inet(0, 0), SockAddr.inet(0, 0), SockAddr.inet(0, 0), null };

        assertEquals(2, sockets.recvmmsg(server, buffers, lengths, sources, 2, MSG_DONTWAIT), "count bounds it");
        assertEquals(1, lengths[0]);
        assertEquals(2, lengths[1]);
        assertEquals(CLIENT_PORT, sources[1].port());
        assertEquals(INADDR_LOOPBACK, sources[1].ipv4());
        assertEquals(1, sockets.recvmmsg(server, buffers, lengths, sources, 3, MSG_DONTWAIT), "what is there");
        assertEquals(3, lengths[0]);

        assertEquals(5, sockets.sendto(client, new byte[5], 0, 5, 0, serverAddress()));
        assertEquals(1, sockets.recvmmsg(server, new byte[][] { new byte[2] }, lengths, null, 1, MSG_DONTWAIT));
        assertEquals(2, lengths[0], "truncated to the buffer, as recvfrom does");
        assertEquals(-Errno.EAGAIN, sockets.recvmmsg(server, buffers, lengths, null, 4, MSG_DONTWAIT));
    }

    @Test
    void recvmmsgRefusesBadArgumentsAndTimesOutLikeRecvfrom()
    {
        embedded(context());
        final int server = boundSocket(SERVER_PORT);
        final byte[][] buffers = { new byte[8], new byte[8] };
        final int[] lengths = new int[2];

        assertEquals(-Errno.EINVAL, sockets.recvmmsg(server, buffers, lengths, null, 0, 0), "count 0");
        assertEquals(-Errno.EFAULT, sockets.recvmmsg(server, buffers, lengths, null, 3, 0), "fewer buffers than count");
        assertEquals(-Errno.EFAULT, sockets.recvmmsg(server, new byte[][] { null }, lengths, null, 1, 0), "no buffer");
        assertEquals(-Errno.EFAULT, sockets.recvmmsg(server, buffers, lengths, new SockAddr[2], 2, 0), "no address");
        assertEquals(-Errno.EBADF, sockets.recvmmsg(server + 100, buffers, lengths, null, 2, 0));

        final long startNs = System.nanoTime();
        assertTimeoutPreemptively(LIMIT,
            () -> assertEquals(-Errno.EAGAIN, sockets.recvmmsg(server, buffers, lengths, null, 2, 0)));
        final long waitedNs = System.nanoTime() - startNs;
        assertTrue(waitedNs >= RECEIVE_TIMEOUT_NS, () -> "gave up after " + waitedNs + " ns");
    }

    private static EngineContext context()
    {
        return new EngineContext()
            .name("udp-calls")
            .interfaceConfig(new InterfaceConfig(Ipv4Text.parse("10.0.2.15"), 24, 0, 0x0200_0000_0001L))
            .set(Setting.CALL_TIMEOUT_NS, TimeUnit.SECONDS.toNanos(5));
    }

    private void embedded(final EngineContext context)
    {
        engine = new PausableEngine(context);
        sockets = engine.sockets;
    }

    private static SockAddr serverAddress()
    {
        return SockAddr.inet(INADDR_LOOPBACK, SERVER_PORT);
    }

    /**
     * An embedded engine whose duty cycles the test can hold back: while {@link #paused}, neither a posted command
     * nor a blocking call runs the engine.
     */
    static final class PausableEngine implements Progress
    {
        final Engine engine;
        final EngineRunner runner;
        final Sockets sockets;
        volatile boolean paused;

        PausableEngine(final EngineContext context)
        {
            if (context.countersManager() == null)
            {
                context.countersManager(EmbeddedStack.newCountersManager());
            }
            engine = new Engine(context);
            runner = EngineRunner.invoker(engine);
            final long timeoutNs = context.settings().longValue(Setting.CALL_TIMEOUT_NS);
            sockets = new Sockets(new FdTable(16), null, new InetSockets(engine.newClient(this), null,
                context.settings().intValue(Setting.UDP_RECEIVE_RING_CAPACITY), timeoutNs), this);
        }

        public void await(final int attempt, final long sinceNs, final long deadlineNs)
        {
            if (paused || runner.invoke() == 0)
            {
                EngineRunner.backOff(attempt, deadlineNs);
            }
        }

        public void posted()
        {
            if (!paused)
            {
                runner.invoke();
            }
        }

        String diagnostics()
        {
            return engine.counters().describeNonZero();
        }
    }

    private int boundSocket(final int port)
    {
        final int fd = sockets.socket(AF_INET, SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> "socket: " + Errno.describe(fd));
        assertEquals(0, sockets.bind(fd, SockAddr.inet(INADDR_ANY, port)), "bind");
        assertEquals(0, sockets.setReceiveTimeout(fd, RECEIVE_TIMEOUT_NS), "setReceiveTimeout");
        return fd;
    }
}
