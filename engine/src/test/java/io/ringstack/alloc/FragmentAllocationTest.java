package io.ringstack.alloc;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.errno.Errno;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.testkit.AllocationMeter;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.Ipv4Text;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.INADDR_LOOPBACK;
import static io.ringstack.socket.SocketConstants.MSG_DONTWAIT;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves that fragmenting a datagram on send and reassembling it on receive allocate nothing on the heap, the
 * engine embedded on the test thread so that every allocation would be counted by the {@link AllocationMeter}:
 * <ul>
 *   <li>8000-byte UDP datagrams over the engine's loopback: the send command, six fragments written in place in
 *       the build buffer and into the loopback ring, their dispatch, their pages, the datagram laid out whole, its
 *       delivery to the socket ring, the {@code recvfrom};</li>
 *   <li>3000-byte echo requests from a device in three fragments, each answered with a reply in three fragments
 *       through ARP's cache to the device.</li>
 * </ul>
 * Warm-up runs until three batches in a row allocate nothing while the JIT compiles nothing, then
 * {@link #MEASURED_DATAGRAMS} more must allocate 0 bytes; a run the JIT finished a compilation during is run again,
 * up to five runs in all.
 */
class FragmentAllocationTest
{
    private static final int PORT = 7777;
    /** Six fragments over the 1500-byte MTU: five of 1480 bytes and one of 608. */
    private static final int PAYLOAD_LENGTH = 8000;
    private static final int FRAGMENTS_PER_DATAGRAM = 6;
    private static final int WARMUP_BATCH_DATAGRAMS = 20_000;
    private static final int WARMUP_MAX_BATCHES = 60;
    private static final int WARMUP_QUIET_BATCHES = 3;
    private static final int MEASURED_DATAGRAMS = 100_000;
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private static final long ENGINE_MAC = 0x5254_0012_3456L;
    private static final long PEER_MAC = 0x5255_0A00_0202L;
    private static final int ENGINE_ADDRESS = Ipv4Text.parse("10.0.2.15");
    private static final int PEER_ADDRESS = Ipv4Text.parse("10.0.2.2");
    /** An echo request of 3000 bytes of data: 3008 bytes of ICMP, fragments of 1480, 1480 and 48. */
    private static final int ECHO_LENGTH = IcmpPacket.HEADER_LENGTH + 3000;
    private static final int FRAGMENT_DATA = 1480;
    private static final int ECHO_FRAGMENTS = 3;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private final byte[] payload = new byte[PAYLOAD_LENGTH];
    private final byte[] received = new byte[PAYLOAD_LENGTH];
    private final SockAddr destination = SockAddr.inet(INADDR_LOOPBACK, PORT);
    private final ReplayDevice device = new ReplayDevice(ENGINE_MAC);
    private Ringstack stack;
    private EngineRunner runner;
    private Sockets sockets;
    private int sender;
    private int receiver;
    private long sent;
    private long delivered;

    @AfterEach
    void close()
    {
        stack.close();
    }

    @Test
    void fragmentingAndReassemblingUdpDatagramsOverLoopbackAllocatesNothing()
    {
        stack = Ringstack.launch(new EngineContext()
            .name("fragment-alloc")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, 0, ENGINE_MAC))
            .set(Setting.LOOPBACK_MTU, Ipv4Output.MTU), false, null);
        runner = stack.runner();
        sockets = stack.sockets();
        receiver = sockets.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, sockets.bind(receiver, SockAddr.inet(0, PORT)));
        sender = sockets.socket(AF_INET, SOCK_DGRAM, 0);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            payload[i] = (byte)(i * 7);
        }

        meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(this::transfer, WARMUP_BATCH_DATAGRAMS), stack::diagnostics);
        final EngineCounters counters = stack.engine().counters();
        final long fragmentsBefore = counters.rxIpv4Fragments.get();
        final long reassembledBefore = counters.ipv4Reassembled.get();
        final long sentBefore = sent;

        final AllocationMeter.Measurement measurement =
            meter.measure(this::transfer, MEASURED_DATAGRAMS, MEASUREMENT_ATTEMPTS);

        assertEquals(0, measurement.bytes(), () -> "heap bytes allocated by " + MEASURED_DATAGRAMS +
            " datagrams of " + PAYLOAD_LENGTH + " bytes (JIT compiled for " + measurement.jitMillis() +
            " ms meanwhile, run " + measurement.runs() + " of at most " + MEASUREMENT_ATTEMPTS + ")\n" +
            stack.diagnostics());
        final long datagrams = sent - sentBefore;
        assertEquals(datagrams * FRAGMENTS_PER_DATAGRAM, counters.rxIpv4Fragments.get() - fragmentsBefore,
            stack::diagnostics);
        assertEquals(datagrams, counters.ipv4Reassembled.get() - reassembledBefore, stack::diagnostics);
        assertEquals(sent, delivered, "every datagram sent was received whole");
        assertEquals(0, counters.ipv4FragmentsHeld.get(), stack::diagnostics);
        assertTrue(counters.rxBalanced(), stack::diagnostics);
        for (int i = 0; i < PAYLOAD_LENGTH; i++)
        {
            assertEquals(payload[i], received[i], "byte " + i);
        }
    }

    @Test
    void reassemblingAnEchoRequestFromTheDeviceAndAnsweringItInFragmentsAllocatesNothing()
    {
        stack = Ringstack.launch(new EngineContext()
            .name("fragment-alloc")
            .interfaceConfig(new InterfaceConfig(ENGINE_ADDRESS, 24, PEER_ADDRESS, ENGINE_MAC))
            .device(device)
            .set(Setting.ARP_ENTRY_LIFETIME_NS, TimeUnit.HOURS.toNanos(1)), false, null);
        runner = stack.runner();
        device.introducePeer(stack, PEER_MAC, PEER_ADDRESS, ENGINE_ADDRESS);
        loadEchoRequestFragments();

        meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(this::echo, WARMUP_BATCH_DATAGRAMS), stack::diagnostics);
        final EngineCounters counters = stack.engine().counters();
        final long reassembledBefore = counters.ipv4Reassembled.get();
        final long transmittedBefore = device.transmitted();

        final AllocationMeter.Measurement measurement =
            meter.measure(this::echo, MEASURED_DATAGRAMS, MEASUREMENT_ATTEMPTS);

        assertEquals(0, measurement.bytes(), () -> "heap bytes allocated by " + MEASURED_DATAGRAMS +
            " echo requests in fragments (JIT compiled for " + measurement.jitMillis() + " ms meanwhile, run " +
            measurement.runs() + " of at most " + MEASUREMENT_ATTEMPTS + ")\n" + stack.diagnostics());
        final long datagrams = (long)MEASURED_DATAGRAMS * measurement.runs();
        assertEquals(datagrams, counters.ipv4Reassembled.get() - reassembledBefore, stack::diagnostics);
        assertEquals(datagrams * ECHO_FRAGMENTS, device.transmitted() - transmittedBefore,
            "every reply in three fragments");
        final Ipv4Packet last = new Ipv4Packet();
        assertEquals(Ipv4Packet.VALID, last.wrap(device.lastTransmitted(), EthernetFrame.HEADER_LENGTH,
            device.lastTransmittedLength() - EthernetFrame.HEADER_LENGTH));
        assertEquals(2 * FRAGMENT_DATA, last.fragmentByteOffset(), "the last fragment of the reply");
        assertEquals(ECHO_LENGTH - 2 * FRAGMENT_DATA, last.payloadLength());
        assertTrue(counters.rxBalanced(), stack::diagnostics);
        assertTrue(counters.txBalanced(0), stack::diagnostics);
    }

    private void echo(final int datagrams)
    {
        device.arm((long)datagrams * ECHO_FRAGMENTS);
        while (device.remaining() > 0)
        {
            runner.invoke();
        }
    }

    /**
     * Put the three fragments of a 3000-byte echo request from the peer on the device's wire.
     */
    private void loadEchoRequestFragments()
    {
        final UnsafeBuffer icmp = new UnsafeBuffer(BufferUtil.allocateDirectAligned(ECHO_LENGTH, 64));
        final int data = IcmpPacket.writeEchoHeader(icmp, 0, IcmpPacket.TYPE_ECHO_REQUEST, 0x0E5F, 1);
        for (int i = data; i < ECHO_LENGTH; i++)
        {
            icmp.putByte(i, (byte)i);
        }
        IcmpPacket.writeChecksum(icmp, 0, ECHO_LENGTH);
        final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
        for (int start = 0; start < ECHO_LENGTH; start += FRAGMENT_DATA)
        {
            final int length = Math.min(FRAGMENT_DATA, ECHO_LENGTH - start);
            final int more = start + length < ECHO_LENGTH ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0;
            final int ip = EthernetFrame.writeHeader(frame, 0, ENGINE_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV4);
            final int payload = Ipv4Packet.writeHeader(frame, ip, 0, length, 0x4242, more | (start >> 3), 64,
                Ipv4Packet.PROTOCOL_ICMP, PEER_ADDRESS, ENGINE_ADDRESS);
            frame.putBytes(payload, icmp, start, length);
            device.append(frame, payload + length);
        }
    }

    private void transfer(final int datagrams)
    {
        for (int i = 0; i < datagrams; i++)
        {
            final int result = sockets.sendto(sender, payload, 0, PAYLOAD_LENGTH, 0, destination);
            if (result != PAYLOAD_LENGTH)
            {
                throw new AssertionError(Errno.describe(result));
            }
            sent++;
            runner.invoke();
            drain();
        }
    }

    /**
     * Read until two {@code -EAGAIN} in a row: one comes, with datagrams still queued, when the head of the
     * socket's ring is the padding before its wrap (see {@code DispatcherAllocationTest}).
     */
    private void drain()
    {
        for (int misses = 0; misses < 2; )
        {
            if (sockets.recvfrom(receiver, received, 0, PAYLOAD_LENGTH, MSG_DONTWAIT, null) == PAYLOAD_LENGTH)
            {
                delivered++;
                misses = 0;
            }
            else
            {
                misses++;
            }
        }
    }
}
