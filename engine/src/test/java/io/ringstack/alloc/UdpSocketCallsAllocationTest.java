package io.ringstack.alloc;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that the application's UDP data calls allocate nothing on the heap: {@code sendto} posting a datagram to the
 * command ring, and {@code recvfrom} reading it from the socket's receive ring (or {@code recvmmsg} reading 32 at a
 * time), a million datagrams each. The engine
 * runs embedded on the test thread (each post runs the duty cycle that carries the datagram through the loopback
 * ring to the receiving socket), so every allocation of the calls and of the engine's part lands in that thread's
 * count. The warm-up and the measurement repeat of {@link DispatcherAllocationTest} apply, for its reasons.
 */
class UdpSocketCallsAllocationTest
{
    private static final int ENGINE_ADDRESS = 0x0A00_020F;
    private static final long ENGINE_MAC = 0x5254_0012_3456L;
    private static final int RECEIVER_PORT = 7300;
    private static final int PAYLOAD_LENGTH = 64;
    private static final int WARMUP_BATCH_DATAGRAMS = 200_000;
    private static final int WARMUP_QUIET_BATCHES = 2;
    private static final int WARMUP_MAX_BATCHES = 50;
    private static final int MEASURED_DATAGRAMS = 1_000_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;
    private static final int BATCH = 32;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final Ringstack stack = Ringstack.launch(new EngineContext()
        .name("alloc-udp-calls")
        .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, 0, ENGINE_MAC)), false, null);

    @AfterEach
    void closeEngine()
    {
        stack.close();
    }

    @Test
    void sendtoAndRecvfromOverTheLoopbackRingAllocateNothing()
    {
        assertCallsAllocateNothing(1);
    }

    @Test
    void sendtoAndRecvmmsgOverTheLoopbackRingAllocateNothing()
    {
        assertCallsAllocateNothing(BATCH);
    }

    /**
     * @param batch datagrams sent before one {@code recvmmsg} takes them all, or 1 for one {@code recvfrom} each.
     */
    private void assertCallsAllocateNothing(final int batch)
    {
        final Sockets sockets = stack.sockets();
        final CallDriver driver =
            new CallDriver(sockets, boundSocket(sockets, 0), boundSocket(sockets, RECEIVER_PORT), batch);
        final String history = meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(driver, WARMUP_BATCH_DATAGRAMS), stack::diagnostics);
        System.out.println("warm-up, per " + WARMUP_BATCH_DATAGRAMS + "-datagram batch (heap bytes/JIT time): " +
            history);
        final long datagramsBefore = driver.datagrams;

        final AllocationMeter.Measurement measurement =
            meter.measure(driver, MEASURED_DATAGRAMS, MEASUREMENT_ATTEMPTS);

        assertEquals(measurement.baselineBytes(), measurement.bytes(), () -> "heap bytes allocated by " +
            MEASURED_DATAGRAMS + " datagrams sent and received: " + measurement.workBytes() + " (JIT compiled for " +
            measurement.jitMillis() + " ms meanwhile, run " + measurement.runs() + ")");
        assertEquals(roundedUp(MEASURED_DATAGRAMS, batch) * measurement.runs(), driver.datagrams - datagramsBefore,
            "every datagram sent was received whole");
        assertEquals(0, driver.failures, () -> "calls that failed, the last with " + driver.lastFailure);
        assertEquals(0, stack.engine().counters().totalDrops(DropReason.Direction.RX), stack::diagnostics);
        assertEquals(0, stack.engine().counters().totalDrops(DropReason.Direction.TX), stack::diagnostics);
    }

    private static long roundedUp(final int count, final int batch)
    {
        return (count + batch - 1) / batch * (long)batch;
    }

    private static int boundSocket(final Sockets sockets, final int port)
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, "socket");
        assertEquals(0, sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, port)), "bind");
        return fd;
    }

    /**
     * The measured loop: {@code batch} sends to the receiver, then one {@code recvmmsg(MSG_DONTWAIT)} of as many, or
     * one {@code recvfrom(MSG_DONTWAIT)} for a batch of 1, that must return them all. The count is rounded up to
     * whole batches. Kept free of string literals (see {@link DispatcherAllocationTest}).
     */
    private static final class CallDriver implements IntConsumer
    {
        private final Sockets sockets;
        private final int sender;
        private final int receiver;
        private final int batch;
        private final byte[] payload = new byte[PAYLOAD_LENGTH];
        private final byte[][] received;
        private final int[] lengths;
        private final SockAddr[] sources;
        private final SockAddr destination = SockAddr.inet(SocketConstants.INADDR_LOOPBACK, RECEIVER_PORT);
        private long datagrams;
        private long failures;
        private int lastFailure;

        CallDriver(final Sockets sockets, final int sender, final int receiver, final int batch)
        {
            this.sockets = sockets;
            this.sender = sender;
            this.receiver = receiver;
            this.batch = batch;
            received = new byte[batch][PAYLOAD_LENGTH];
            lengths = new int[batch];
            sources = new SockAddr[batch];
            for (int i = 0; i < batch; i++)
            {
                sources[i] = SockAddr.inet(0, 0);
            }
        }

        public void accept(final int count)
        {
            for (int done = 0; done < count; done += batch)
            {
                int result = 0;
                for (int i = 0; i < batch && result >= 0; i++)
                {
                    result = sockets.sendto(sender, payload, 0, PAYLOAD_LENGTH, 0, destination);
                }
                if (result >= 0)
                {
                    result = batch == 1 ?
                        sockets.recvfrom(receiver, received[0], 0, PAYLOAD_LENGTH, SocketConstants.MSG_DONTWAIT,
                            sources[0]) :
                        sockets.recvmmsg(receiver, received, lengths, sources, batch, SocketConstants.MSG_DONTWAIT);
                }
                if (result == (batch == 1 ? PAYLOAD_LENGTH : batch))
                {
                    datagrams += batch;
                }
                else
                {
                    failures++;
                    lastFailure = result;
                }
            }
        }
    }
}
