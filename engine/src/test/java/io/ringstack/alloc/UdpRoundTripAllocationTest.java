package io.ringstack.alloc;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that blocking UDP round trips through an engine on its own thread allocate nothing on any of the three
 * threads involved: the client (this thread: {@code sendto}, then a blocking {@code recvfrom}), an echo thread (a
 * blocking {@code recvfrom}, then {@code sendto} back) and the engine's thread. With busy polling on, the two
 * application threads run the engine's duty cycles themselves while its thread sleeps, so the engine's work lands
 * on all three; with it off, their waits spin, yield and park and their posts wake the engine's thread. The client
 * is measured by {@link AllocationMeter}, the other two by their allocation counters over the same runs; a run in
 * which either of them allocated (a JIT compile asked for on that thread) is measured again, five runs at most.
 */
class UdpRoundTripAllocationTest
{
    private static final int ENGINE_ADDRESS = 0x0A00_020F;
    private static final long ENGINE_MAC = 0x5254_0012_3456L;
    private static final String ENGINE_NAME = "alloc-round-trip";
    private static final int ECHO_PORT = 7400;
    private static final int CLIENT_PORT = 7401;
    private static final int PAYLOAD_LENGTH = 64;
    private static final int WARMUP_BATCH_ROUND_TRIPS = 10_000;
    private static final int WARMUP_QUIET_BATCHES = 2;
    private static final int WARMUP_MAX_BATCHES = 100;
    private static final int MEASURED_ROUND_TRIPS = 50_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;
    private static final long ECHO_RECEIVE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private Ringstack stack;
    private Echo echo;

    @AfterEach
    void stop() throws InterruptedException
    {
        if (echo != null)
        {
            echo.running = false;
            echo.thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (stack != null)
        {
            stack.close();
        }
    }

    @ParameterizedTest(name = "busyPollNs = {0}")
    @ValueSource(longs = { 50_000, 0 })
    void blockingRoundTripsThroughAnEngineOnItsOwnThreadAllocateNothingOnAnyThread(final long busyPollNs)
    {
        stack = Ringstack.launch(new EngineContext()
            .name(ENGINE_NAME)
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, 0, ENGINE_MAC))
            .set(Setting.BUSY_POLL_NS, busyPollNs), true, null);
        final Sockets sockets = stack.sockets();
        echo = new Echo(sockets, boundSocket(sockets, ECHO_PORT, ECHO_RECEIVE_TIMEOUT_NS));
        final RoundTrips client =
            new RoundTrips(sockets, boundSocket(sockets, CLIENT_PORT, TimeUnit.SECONDS.toNanos(5)));
        final Thread engineThread = threadNamed(ENGINE_NAME);
        echo.thread.start();

        final String history = meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(client, WARMUP_BATCH_ROUND_TRIPS), stack::diagnostics);
        System.out.println("warm-up, per " + WARMUP_BATCH_ROUND_TRIPS + "-round-trip batch (heap bytes/JIT time): " +
            history);

        AllocationMeter.Measurement measurement;
        long echoBytes;
        long engineBytes;
        int runs = 0;
        do
        {
            final long echoBefore = threads.getThreadAllocatedBytes(echo.thread.getId());
            final long engineBefore = threads.getThreadAllocatedBytes(engineThread.getId());
            measurement = meter.measure(client, MEASURED_ROUND_TRIPS, MEASUREMENT_ATTEMPTS);
            echoBytes = threads.getThreadAllocatedBytes(echo.thread.getId()) - echoBefore;
            engineBytes = threads.getThreadAllocatedBytes(engineThread.getId()) - engineBefore;
            runs++;
        }
        while ((echoBytes != 0 || engineBytes != 0) && runs < MEASUREMENT_ATTEMPTS);

        final AllocationMeter.Measurement last = measurement;
        assertEquals(last.baselineBytes(), last.bytes(), () -> "heap bytes the client allocated in " +
            MEASURED_ROUND_TRIPS + " round trips: " + last.workBytes() + " (JIT compiled for " + last.jitMillis() +
            " ms meanwhile, run " + last.runs() + ")");
        assertEquals(0, echoBytes, "heap bytes the echo thread allocated in the same round trips");
        assertEquals(0, engineBytes, "heap bytes the engine's thread allocated in the same round trips");
        assertEquals(0, client.failures, () -> "round trips that failed, the last with " +
            Errno.describe(client.lastFailure));
        assertEquals(0, echo.failures, () -> "echoes that failed, the last with " + Errno.describe(echo.lastFailure));
        assertEquals(0, stack.engine().counters().totalDrops(DropReason.Direction.RX), stack::diagnostics);
        assertEquals(0, stack.runner().errorCount(), "errors escaped the duty cycle");
    }

    private static Thread threadNamed(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals(name))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    private static int boundSocket(final Sockets sockets, final int port, final long receiveTimeoutNs)
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, "socket");
        assertEquals(0, sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, port)), "bind");
        assertEquals(0, sockets.setReceiveTimeout(fd, receiveTimeoutNs), "setReceiveTimeout");
        return fd;
    }

    /**
     * The measured loop: a datagram to the echo port and a blocking receive of its echo, {@code count} times. Kept
     * free of string literals (see {@link DispatcherAllocationTest}).
     */
    private static final class RoundTrips implements IntConsumer
    {
        private final Sockets sockets;
        private final int fd;
        private final byte[] request = new byte[PAYLOAD_LENGTH];
        private final byte[] reply = new byte[PAYLOAD_LENGTH];
        private final SockAddr echo = SockAddr.inet(SocketConstants.INADDR_LOOPBACK, ECHO_PORT);
        private long failures;
        private int lastFailure;

        RoundTrips(final Sockets sockets, final int fd)
        {
            this.sockets = sockets;
            this.fd = fd;
        }

        public void accept(final int count)
        {
            for (int i = 0; i < count; i++)
            {
                int result = sockets.sendto(fd, request, 0, PAYLOAD_LENGTH, 0, echo);
                if (result == PAYLOAD_LENGTH)
                {
                    result = sockets.recvfrom(fd, reply, 0, PAYLOAD_LENGTH, 0, null);
                }
                if (result != PAYLOAD_LENGTH)
                {
                    failures++;
                    lastFailure = result;
                }
            }
        }
    }

    /**
     * The echo thread: a blocking receive (100 ms timeout, to look whether to stop), then the datagram back to its
     * sender.
     */
    private static final class Echo implements Runnable
    {
        private final Sockets sockets;
        private final int fd;
        private final byte[] buffer = new byte[PAYLOAD_LENGTH];
        private final SockAddr source = SockAddr.inet(0, 0);
        private final Thread thread = new Thread(this, "alloc-round-trip-echo");
        private volatile boolean running = true;
        private volatile long failures;
        private volatile int lastFailure;

        Echo(final Sockets sockets, final int fd)
        {
            this.sockets = sockets;
            this.fd = fd;
            thread.setDaemon(true);
        }

        public void run()
        {
            while (running)
            {
                final int received = sockets.recvfrom(fd, buffer, 0, buffer.length, 0, source);
                if (received >= 0)
                {
                    final int sent = sockets.sendto(fd, buffer, 0, received, 0, source);
                    if (sent != received)
                    {
                        failures++;
                        lastFailure = sent;
                    }
                }
                else if (received != -Errno.EAGAIN)
                {
                    failures++;
                    lastFailure = received;
                }
            }
        }
    }
}
