package io.ringstack.alloc;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that the frame path allocates nothing on the heap: an embedded engine is fed the same pre-built 64-byte
 * Ethernet/IPv4/UDP frame a million times through its device and its duty cycle, and the heap bytes the test
 * thread allocated are read by an {@link AllocationMeter} before and after. Embedded mode runs the whole engine on
 * the test thread, so every allocation on the frame path (device receive, dispatch, delivery into the socket ring,
 * the {@code recvfrom} that drains it, the ICMP answer a drop provokes and its transmission) would land in that
 * thread's count.
 * <p>
 * The frame is 64 bytes without FCS: Ethernet (14) + IPv4 (20) + UDP (8) + 22 bytes of payload, addressed to the
 * engine's MAC and 10.0.2.15 from a peer at 10.0.2.2, with valid IPv4 and UDP checksums.
 * <p>
 * The warm-up has to wait for the JIT rather than count frames. When this thread asks for a C2 compile of a method,
 * HotSpot resolves every string literal of that method's class ({@code CompileBroker::compile_method} →
 * {@code ConstantPool::resolve_string_constants}) and allocates those {@code String}s on this thread: a one-time
 * cost of 50-800 bytes per class ({@code DeadlineTimerWheel}, {@code AgentInvoker}, {@code Engine}, ...), seen
 * here as 328-408 byte blips in otherwise silent batches. Methods that run once per duty cycle ({@code doWork},
 * {@code invoke}, the timer poll, the {@code recvfrom} that finds the socket empty) reach C2 last, later still on a
 * busy 2-core machine where the tiered policy raises its thresholds while the compile queue is long. With
 * {@code -Xint} or {@code -XX:-TieredCompilation} the very first measured run allocates zero bytes. So the warm-up
 * first runs 50,000 duty cycles of one frame each, to push the once-per-cycle methods to C2, then runs
 * 200k-frame batches until two in a row allocate nothing while the JIT finishes no compilation. Only then comes
 * the measured run, which must allocate nothing; a compile can still land in it on a loaded machine, and a run the
 * JIT finished a compilation during is run again, up to five runs in all. The frame loop lives in
 * {@link FrameDriver}, which has no string literals of its own.
 */
class DispatcherAllocationTest
{
    private static final long ENGINE_MAC = 0x5254_0012_3456L;
    private static final long PEER_MAC = 0x5255_0A00_0202L;
    /** 10.0.2.15 */
    private static final int ENGINE_ADDRESS = 0x0A00_020F;
    /** 10.0.2.2 */
    private static final int PEER_ADDRESS = 0x0A00_0202;
    private static final int PEER_PORT = 40000;
    private static final int BOUND_PORT = 7777;
    private static final int UNBOUND_PORT = 9999;

    private static final int FRAME_LENGTH = 64;
    private static final int PAYLOAD_LENGTH =
        FRAME_LENGTH - EthernetFrame.HEADER_LENGTH - Ipv4Packet.HEADER_LENGTH - UdpDatagram.HEADER_LENGTH;
    private static final int IP_OFFSET = EthernetFrame.HEADER_LENGTH;
    private static final int UDP_OFFSET = IP_OFFSET + Ipv4Packet.HEADER_LENGTH;

    private static final int WARMUP_SINGLE_FRAME_CYCLES = 50_000;
    private static final int WARMUP_BATCH_FRAMES = 200_000;
    private static final int WARMUP_QUIET_BATCHES = 2;
    private static final int WARMUP_MAX_BATCHES = 50;
    /** A multiple of the engine's default frame budget (64), so every measured duty cycle is a full one. */
    private static final int MEASURED_FRAMES = 1_000_000;
    /** A measurement the JIT compiled during is repeated: a tier-up on this thread can cost a few hundred bytes. */
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final ReplayDevice device = new ReplayDevice(ENGINE_MAC);
    private Ringstack stack;
    private EngineCounters counters;
    private FrameDriver driver;
    private int warmupFrames;

    @BeforeEach
    void launchEmbeddedEngineWithBoundSocket()
    {
        // Every port unreachable is sent, so that the whole answering path is measured.
        launch(0);
    }

    private void launch(final int icmpMsgsPerSec)
    {
        final EngineContext context = new EngineContext()
            .name("alloc")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
            .device(device)
            // The peer stays resolved for the whole test, so port-unreachable answers go straight to the device
            // rather than waiting for ARP on a timer.
            .set(Setting.ARP_ENTRY_LIFETIME_NS, TimeUnit.HOURS.toNanos(1))
            .set(Setting.ICMP_MSGS_PER_SEC, icmpMsgsPerSec);
        stack = Ringstack.launch(context, false, null);
        counters = stack.engine().counters();

        final Sockets sockets = stack.sockets();
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> "socket: " + fd);
        assertEquals(0, sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, BOUND_PORT)), "bind");
        driver = new FrameDriver(stack.runner(), device, sockets, fd);
    }

    @AfterEach
    void closeEngine()
    {
        if (stack != null)
        {
            stack.close();
        }
    }

    @Test
    void deliveringUdpToABoundSocketAndReceivingItAllocatesNothing()
    {
        device.load(udpFrame(BOUND_PORT), FRAME_LENGTH);
        warmUp();
        assertEquals(warmupFrames, driver.datagrams, stack::diagnostics);

        final long framesBefore = counters.rxFrames.get();
        final long deliveredBefore = counters.rxDelivered.get();
        final long dropsBefore = counters.totalDrops(DropReason.Direction.RX);
        final long datagramsBefore = driver.datagrams;
        final long bytesBefore = driver.bytes;

        final AllocationMeter.Measurement measurement = meter.measure(driver, MEASURED_FRAMES, MEASUREMENT_ATTEMPTS);
        final long frames = (long)MEASURED_FRAMES * measurement.runs();

        assertAllocatedNothing(measurement);
        assertEquals(frames, counters.rxFrames.get() - framesBefore, stack::diagnostics);
        assertEquals(frames, counters.rxDelivered.get() - deliveredBefore, stack::diagnostics);
        assertEquals(dropsBefore, counters.totalDrops(DropReason.Direction.RX), stack::diagnostics);
        assertEquals(0, counters.drops(DropReason.UDP_SOCKET_RING_FULL), stack::diagnostics);
        assertTrue(counters.rxBalanced(), stack::diagnostics);
        assertEquals(frames, driver.datagrams - datagramsBefore, "datagrams read by recvfrom");
        assertEquals(frames * PAYLOAD_LENGTH, driver.bytes - bytesBefore, "bytes read by recvfrom");
        assertEquals(-Errno.EAGAIN, driver.lastReceiveResult, "the socket ends drained, without an error");
        assertEquals(0, device.transmitted(), "a delivered datagram provokes no answer");
        assertEquals(0, stack.runner().errorCount(), stack::diagnostics);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            assertEquals(payloadByte(i), driver.received[i], "payload byte " + i);
        }
    }

    @Test
    void droppingUdpForAPortWithNoSocketAndAnsweringPortUnreachableAllocatesNothing()
    {
        device.introducePeer(stack, PEER_MAC, PEER_ADDRESS, ENGINE_ADDRESS);
        device.load(udpFrame(UNBOUND_PORT), FRAME_LENGTH);
        final long transmittedBefore = device.transmitted();
        warmUp();
        assertEquals(warmupFrames, device.transmitted() - transmittedBefore, stack::diagnostics);

        final long noSocketBefore = counters.drops(DropReason.UDP_NO_SOCKET);
        final long txDropsBefore = counters.totalDrops(DropReason.Direction.TX);

        final long frames = assertDropPathAllocatesNothing(DropReason.UDP_NO_SOCKET);

        assertEquals(frames, counters.drops(DropReason.UDP_NO_SOCKET) - noSocketBefore, stack::diagnostics);
        assertEquals(warmupFrames + frames, device.transmitted() - transmittedBefore,
            "one ICMP port unreachable through the device per dropped datagram");
        assertEquals(txDropsBefore, counters.totalDrops(DropReason.Direction.TX), stack::diagnostics);
        assertTrue(counters.txBalanced(stack.engine().framesAwaitingArp()), stack::diagnostics);
        assertLastTransmittedIsPortUnreachableToPeer();
    }

    @Test
    void holdingBackPortUnreachablesPastTheIcmpRateAllocatesNothing()
    {
        stack.close();
        launch(1);
        device.introducePeer(stack, PEER_MAC, PEER_ADDRESS, ENGINE_ADDRESS);
        device.load(udpFrame(UNBOUND_PORT), FRAME_LENGTH);
        warmUp();
        final long limitedBefore = counters.drops(DropReason.ICMP_RATE_LIMITED);

        final long frames = assertDropPathAllocatesNothing(DropReason.UDP_NO_SOCKET);

        assertTrue(counters.drops(DropReason.ICMP_RATE_LIMITED) - limitedBefore >= frames - 10,
            "at 1 message a second nearly every answer is held back\n" + stack.diagnostics());
        assertTrue(counters.txBalanced(stack.engine().framesAwaitingArp()), stack::diagnostics);
    }

    @Test
    void droppingUdpWithABadChecksumAllocatesNothing()
    {
        final UnsafeBuffer frame = udpFrame(BOUND_PORT);
        frame.putByte(FRAME_LENGTH - 1, (byte)(frame.getByte(FRAME_LENGTH - 1) ^ 0x5A));
        device.load(frame, FRAME_LENGTH);
        warmUp();
        final long badChecksumBefore = counters.drops(DropReason.UDP_BAD_CHECKSUM);

        final long frames = assertDropPathAllocatesNothing(DropReason.UDP_BAD_CHECKSUM);

        assertEquals(frames, counters.drops(DropReason.UDP_BAD_CHECKSUM) - badChecksumBefore, stack::diagnostics);
        assertEquals(0, device.transmitted(), "a corrupt datagram is not answered");
    }

    @Test
    void droppingIpv4WithABadHeaderChecksumAllocatesNothing()
    {
        final UnsafeBuffer frame = udpFrame(BOUND_PORT);
        final int ttl = IP_OFFSET + Ipv4Packet.TTL_OFFSET;
        frame.putByte(ttl, (byte)(frame.getByte(ttl) - 1));
        device.load(frame, FRAME_LENGTH);
        warmUp();
        final long badChecksumBefore = counters.drops(DropReason.IPV4_BAD_CHECKSUM);

        final long frames = assertDropPathAllocatesNothing(DropReason.IPV4_BAD_CHECKSUM);

        assertEquals(frames, counters.drops(DropReason.IPV4_BAD_CHECKSUM) - badChecksumBefore, stack::diagnostics);
        assertEquals(0, device.transmitted(), "a corrupt packet is not answered");
    }

    /**
     * Drive single-frame duty cycles, then warm-up batches until {@link #WARMUP_QUIET_BATCHES} in a row allocate
     * nothing while the JIT compiles nothing. A path that allocated per frame, or every few thousand frames, never
     * gets there and fails here.
     */
    private void warmUp()
    {
        driver.runSingleFrameCycles(WARMUP_SINGLE_FRAME_CYCLES);
        warmupFrames += WARMUP_SINGLE_FRAME_CYCLES;
        final String history = meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES, () ->
        {
            warmupFrames += WARMUP_BATCH_FRAMES;
            return meter.bytesDuring(driver, WARMUP_BATCH_FRAMES);
        }, stack::diagnostics);
        System.out.println("warm-up, per " + WARMUP_BATCH_FRAMES + "-frame batch (heap bytes/JIT time): " + history);
    }

    /**
     * @return the frames measured.
     */
    private long assertDropPathAllocatesNothing(final DropReason expected)
    {
        final long framesBefore = counters.rxFrames.get();
        final long deliveredBefore = counters.rxDelivered.get();
        final long dropsBefore = counters.totalDrops(DropReason.Direction.RX);
        final long datagramsBefore = driver.datagrams;

        final AllocationMeter.Measurement measurement = meter.measure(driver, MEASURED_FRAMES, MEASUREMENT_ATTEMPTS);
        final long frames = (long)MEASURED_FRAMES * measurement.runs();

        assertAllocatedNothing(measurement);
        assertEquals(frames, counters.rxFrames.get() - framesBefore, stack::diagnostics);
        assertEquals(deliveredBefore, counters.rxDelivered.get(), stack::diagnostics);
        assertEquals(frames, counters.totalDrops(DropReason.Direction.RX) - dropsBefore,
            () -> "every frame dropped as " + expected.label() + "\n" + stack.diagnostics());
        assertTrue(counters.rxBalanced(), stack::diagnostics);
        assertEquals(datagramsBefore, driver.datagrams, "nothing reaches the socket");
        assertEquals(0, stack.runner().errorCount(), stack::diagnostics);
        return frames;
    }

    /**
     * The allocation counter is read on the same thread, the same way, around no frames: if reading it allocated (it
     * does not on JDK 17+, which answers for the current thread without boxing or arrays), that cost would appear in
     * both measurements and the comparison would still demand zero bytes from the engine.
     */
    private static void assertAllocatedNothing(final AllocationMeter.Measurement measurement)
    {
        assertEquals(measurement.baselineBytes(), measurement.bytes(), () -> "heap bytes allocated by " +
            MEASURED_FRAMES + " frames on the engine thread: " + measurement.workBytes() + " (measurement baseline " +
            measurement.baselineBytes() + ", JIT compiled for " + measurement.jitMillis() + " ms meanwhile, run " +
            measurement.runs() + " of at most " + MEASUREMENT_ATTEMPTS + ")");
    }

    private void assertLastTransmittedIsPortUnreachableToPeer()
    {
        final DirectBuffer sent = device.lastTransmitted();
        final EthernetFrame ethernet = new EthernetFrame();
        assertTrue(ethernet.wrap(sent, 0, device.lastTransmittedLength()));
        assertEquals(PEER_MAC, ethernet.destination(), "to the peer's MAC");
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, ethernet.etherType());
        final Ipv4Packet ipv4 = new Ipv4Packet();
        assertEquals(Ipv4Packet.VALID, ipv4.wrap(sent, ethernet.payloadOffset(), ethernet.payloadLength()));
        assertTrue(ipv4.isChecksumValid());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ipv4.protocol());
        assertEquals(ENGINE_ADDRESS, ipv4.source());
        assertEquals(PEER_ADDRESS, ipv4.destination());
        final IcmpPacket icmp = new IcmpPacket();
        assertEquals(IcmpPacket.VALID, icmp.wrap(sent, ipv4.payloadOffset(), ipv4.payloadLength()));
        assertTrue(icmp.isChecksumValid());
        assertEquals(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpPacket.CODE_PORT_UNREACHABLE, icmp.code());
    }

    /**
     * A 64-byte frame from the peer (10.0.2.2:40000) to 10.0.2.15:{@code port}, both checksums valid.
     */
    private static UnsafeBuffer udpFrame(final int port)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FRAME_LENGTH, 64));
        final int ip = EthernetFrame.writeHeader(frame, 0, ENGINE_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
        final int udpLength = UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH;
        final int udp = Ipv4Packet.writeHeader(
            frame, ip, udpLength, 0x1234, 64, Ipv4Packet.PROTOCOL_UDP, PEER_ADDRESS, ENGINE_ADDRESS);
        final int payload = UdpDatagram.writeHeader(frame, udp, PEER_PORT, port, PAYLOAD_LENGTH);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            frame.putByte(payload + i, payloadByte(i));
        }
        UdpDatagram.writeChecksum(frame, udp, udpLength, PEER_ADDRESS, ENGINE_ADDRESS);

        assertEquals(UDP_OFFSET, udp);
        assertEquals(FRAME_LENGTH, payload + PAYLOAD_LENGTH);
        assertTrue(frame.getShort(udp + UdpDatagram.CHECKSUM_OFFSET) != 0, "a real UDP checksum, not 'none'");
        return frame;
    }

    private static byte payloadByte(final int i)
    {
        return (byte)('a' + i);
    }

    /**
     * The measured loop: duty cycles until the device has handed over the frames, draining the socket after each
     * so that its ring never fills. Kept free of string literals (see the class comment).
     * <p>
     * The socket counts as drained after two {@code -EAGAIN} in a row, not one: {@code recvfrom(MSG_DONTWAIT)}
     * returns {@code -EAGAIN} once, with datagrams still queued, when the record at the head of the socket's ring is
     * the padding that fills the ring's tail before it wraps ({@code UdpSocketFile.receiveFrom} reads with a limit of
     * one message, and Agrona's {@code read} stops after skipping the padding). The next call reads normally.
     */
    private static final class FrameDriver implements IntConsumer
    {
        private final EngineRunner runner;
        private final ReplayDevice device;
        private final Sockets sockets;
        private final int fd;
        private final byte[] received = new byte[2048];
        private long datagrams;
        private long bytes;
        private int lastReceiveResult;

        FrameDriver(final EngineRunner runner, final ReplayDevice device, final Sockets sockets, final int fd)
        {
            this.runner = runner;
            this.device = device;
            this.sockets = sockets;
            this.fd = fd;
        }

        public void accept(final int frames)
        {
            device.arm(frames);
            while (device.remaining() > 0)
            {
                runner.invoke();
                drain();
            }
        }

        void runSingleFrameCycles(final int cycles)
        {
            for (int i = 0; i < cycles; i++)
            {
                device.arm(1);
                runner.invoke();
                drain();
            }
        }

        private void drain()
        {
            int misses = 0;
            while (misses < 2)
            {
                final int result = sockets.recvfrom(
                    fd, received, 0, received.length, SocketConstants.MSG_DONTWAIT, null);
                if (result >= 0)
                {
                    datagrams++;
                    bytes += result;
                    misses = 0;
                }
                else
                {
                    lastReceiveResult = result;
                    misses++;
                }
            }
        }
    }
}
