package io.ringstack.iface;

import io.ringstack.EmbeddedStack;
import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.engine.EngineTap;
import io.ringstack.engine.EngineTimers;
import io.ringstack.phy.CapturingDevice;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.ip;
import static io.ringstack.iface.TestFrames.ipDestination;
import static io.ringstack.iface.TestFrames.ipSource;
import static io.ringstack.iface.TestFrames.isIpv4HeaderChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static io.ringstack.iface.TestFrames.u16;
import static io.ringstack.iface.TestFrames.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routes out of {@link Ipv4Output}: the loopback ring for our own addresses, with backpressure instead of
 * eviction when it is full (the seed's loopback dropped the oldest frame without a trace), and no route at all
 * when there is no device or no gateway.
 */
class Ipv4OutputTest
{
    private static final int RING_CAPACITY = 1024;
    private static final int PAYLOAD_LENGTH = 22;
    /** 14 + 20 + 8 + 22 = 64-byte frames in 72-byte ring records: 14 fit in 1024 bytes. */
    private static final int FRAME_LENGTH = Ipv4Output.TRANSPORT_OFFSET + UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH;
    private static final int FRAMES_THAT_FIT = RING_CAPACITY /
        BitUtil.align(RecordDescriptor.HEADER_LENGTH + FRAME_LENGTH, RecordDescriptor.ALIGNMENT);
    private static final int SEQUENCE_OFFSET = Ipv4Output.TRANSPORT_OFFSET + UdpDatagram.HEADER_LENGTH;
    private static final int IDENTIFICATION_OFFSET = Ipv4Output.IP_OFFSET + 4;
    private static final int IP_CHECKSUM_OFFSET = Ipv4Output.IP_OFFSET + 10;

    private final InterfaceConfig config = new InterfaceConfig(OUR_ADDRESS, 24, ip("10.0.2.2"), OUR_MAC);
    private final EngineCounters counters = new EngineCounters(EmbeddedStack.newCountersManager(), "output");
    private final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(
        BufferUtil.allocateDirectAligned(RING_CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    private final List<Integer> tapResults = new ArrayList<>();
    private final EngineTap tap = new EngineTap()
    {
        public void onTxFrame(final int interfaceId, final DirectBuffer buffer, final int offset, final int length,
            final int result)
        {
            tapResults.add(result);
        }
    };

    @AfterEach
    void closeCounters()
    {
        counters.close();
    }

    @Test
    void fullLoopbackRingRefusesWithNoBufferOncePerFrameAndEvictsNothing()
    {
        final Ipv4Output output = new Ipv4Output(config, counters, tap, ring, null, Ipv4Output.MTU);

        int accepted = 0;
        while (send(output, OUR_ADDRESS, accepted) == TxResult.SENT)
        {
            accepted++;
            assertTrue(accepted <= FRAMES_THAT_FIT, "the ring holds no more than its capacity");
        }
        assertEquals(FRAMES_THAT_FIT, accepted, "sends succeed until the ring is full");
        assertEquals(1, counters.drops(DropReason.LOOPBACK_RING_FULL));

        assertEquals(TxResult.NO_BUFFER, send(output, OUR_ADDRESS, 100));
        assertEquals(TxResult.NO_BUFFER, send(output, OUR_ADDRESS, 101));
        assertEquals(3, counters.drops(DropReason.LOOPBACK_RING_FULL), "one drop per refused frame");
        assertEquals(3, tapResults.stream().filter(result -> result == TxResult.NO_BUFFER).count(),
            "the journal tap sees every refusal");
        assertEquals(accepted, counters.txFrames.get());
        assertTrue(counters.txBalanced(0), counters::describeNonZero);

        final List<byte[]> frames = drain();
        assertEquals(FRAMES_THAT_FIT, frames.size(), "nothing evicted");
        for (int i = 0; i < frames.size(); i++)
        {
            final byte[] frame = frames.get(i);
            assertEquals(FRAME_LENGTH, frame.length);
            assertTrue(isIpv4HeaderChecksumValid(frame), "frame " + i + " intact");
            assertEquals(i, u32(frame, SEQUENCE_OFFSET), "frames in the order they were sent");
        }
    }

    @Test
    void drainedLoopbackRingAcceptsAgain()
    {
        final Ipv4Output output = new Ipv4Output(config, counters, tap, ring, null, Ipv4Output.MTU);
        int sequence = 0;
        while (send(output, OUR_ADDRESS, sequence) == TxResult.SENT)
        {
            sequence++;
        }

        assertEquals(FRAMES_THAT_FIT, drain().size());

        assertEquals(TxResult.SENT, send(output, OUR_ADDRESS, 7));
        assertEquals(7, u32(drain().get(0), SEQUENCE_OFFSET));
    }

    @Test
    void loopbackAddressesAndOurOwnAddressGoToTheRing()
    {
        final CapturingDevice device = new CapturingDevice("unused0", OUR_MAC);
        final Ipv4Output output = new Ipv4Output(
            config, counters, tap, ring, resolverFor(device, config), Ipv4Output.MTU);

        assertEquals(TxResult.SENT, send(output, ip("127.0.0.5"), 1));
        assertEquals(TxResult.SENT, send(output, OUR_ADDRESS, 2));

        final List<byte[]> frames = drain();
        assertEquals(2, frames.size());
        assertEquals(ip("127.0.0.5"), ipDestination(frames.get(0)));
        assertEquals(ip("127.0.0.1"), ipSource(frames.get(0)));
        assertEquals(OUR_ADDRESS, ipDestination(frames.get(1)));
        assertEquals(OUR_ADDRESS, ipSource(frames.get(1)));
        for (final byte[] frame : frames)
        {
            assertEquals(OUR_MAC, mac(frame, EthernetFrame.DESTINATION_OFFSET));
            assertEquals(OUR_MAC, mac(frame, EthernetFrame.SOURCE_OFFSET));
            assertTrue(isIpv4HeaderChecksumValid(frame));
        }
        assertEquals(0, device.takeTransmitted().size(), "nothing for ourselves goes on the wire");
        assertEquals(2, counters.loopbackFrames.get());
    }

    @Test
    void withoutADeviceNothingButLoopbackIsReachable()
    {
        final Ipv4Output output = new Ipv4Output(config, counters, tap, ring, null, Ipv4Output.MTU);

        assertEquals(TxResult.NO_ROUTE, send(output, ip("192.0.2.1"), 1), "off-link");
        assertEquals(TxResult.NO_ROUTE, send(output, ip("10.0.2.20"), 2), "on-link");
        assertEquals(TxResult.NO_ROUTE, send(output, ip("10.0.2.255"), 3), "broadcast");

        assertEquals(3, counters.drops(DropReason.NO_ROUTE));
        assertEquals(0, ring.size(), "nothing reached the ring");
        assertTrue(counters.txBalanced(0), counters::describeNonZero);
    }

    @Test
    void offLinkDestinationWithoutAGatewayHasNoRoute()
    {
        final InterfaceConfig noGateway = new InterfaceConfig(OUR_ADDRESS, 24, 0, OUR_MAC);
        final CapturingDevice device = new CapturingDevice("wire0", OUR_MAC);
        final Ipv4Output output = new Ipv4Output(
            noGateway, counters, tap, ring, resolverFor(device, noGateway), Ipv4Output.MTU);

        assertEquals(TxResult.NO_ROUTE, send(output, ip("192.0.2.1"), 1));

        assertEquals(1, counters.drops(DropReason.NO_ROUTE));
        assertEquals(0, device.takeTransmitted().size(), "no ARP for a route that does not exist");
        assertTrue(counters.txBalanced(0), counters::describeNonZero);
    }

    @Test
    void frameLongerThanTheLoopbackRingCanHoldIsRefusedAndCountedNotThrown()
    {
        final Ipv4Output output = new Ipv4Output(config, counters, tap, ring, null, Ipv4Output.MTU);
        final int transportLength = ring.maxMsgLength();

        final int result = output.send(Ipv4Packet.PROTOCOL_UDP, OUR_ADDRESS, OUR_ADDRESS, transportLength, 0);

        assertEquals(TxResult.NO_BUFFER, result, () -> TxResult.name(result));
        assertTrue(counters.txBalanced(0), counters::describeNonZero);
    }

    @Test
    void aSegmentWrittenInPlaceInTheLoopbackRingLeavesAsTheSameFrameAsOneSentFromTheBuilder()
    {
        final Ipv4Output output = new Ipv4Output(config, counters, tap, ring, null, Ipv4Output.MTU);

        assertEquals(TxResult.SENT, send(output, OUR_ADDRESS, 1));
        final int udp = output.claimLoopback(OUR_ADDRESS, UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH);
        assertTrue(udp >= 0, "room claimed");
        writeDatagram(output.loopbackBuffer(), udp, OUR_ADDRESS, OUR_ADDRESS, 1);
        output.commitLoopback(
            udp, Ipv4Packet.PROTOCOL_UDP, 0, OUR_ADDRESS, OUR_ADDRESS, UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH);

        final List<byte[]> frames = drain();
        assertEquals(2, frames.size());
        final byte[] built = frames.get(0);
        final byte[] inPlace = frames.get(1);
        assertEquals(u16(built, IDENTIFICATION_OFFSET) + 1, u16(inPlace, IDENTIFICATION_OFFSET),
            "the next identification");
        assertTrue(isIpv4HeaderChecksumValid(inPlace));
        for (final byte[] frame : frames)
        {
            frame[IDENTIFICATION_OFFSET] = 0;
            frame[IDENTIFICATION_OFFSET + 1] = 0;
            frame[IP_CHECKSUM_OFFSET] = 0;
            frame[IP_CHECKSUM_OFFSET + 1] = 0;
        }
        assertArrayEquals(built, inPlace, "the same frame but for its identification");
        assertEquals(List.of(TxResult.SENT, TxResult.SENT), tapResults, "tapped as sent, each once");
        assertEquals(2, counters.loopbackFrames.get());
        assertEquals(2, counters.txUdp.get());
        assertTrue(counters.txBalanced(0), counters::describeNonZero);
    }

    @Test
    void noRoomIsClaimedForAnotherRouteASegmentPastTheLoopbackMtuOrAFullRing()
    {
        final CapturingDevice device = new CapturingDevice("wire0", OUR_MAC);
        final Ipv4Output output = new Ipv4Output(config, counters, tap, ring, resolverFor(device, config), 576);

        assertEquals(-1, output.claimLoopback(ip("10.0.2.20"), 100), "on-link: the device's route");
        assertEquals(-1, output.claimLoopback(OUR_ADDRESS, 576 - Ipv4Packet.HEADER_LENGTH + 1), "past the MTU");
        while (send(output, OUR_ADDRESS, 0) == TxResult.SENT)
        {
            assertTrue(ring.size() <= RING_CAPACITY);
        }
        assertEquals(-1, output.claimLoopback(OUR_ADDRESS, UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH), "full ring");
        assertEquals(FRAMES_THAT_FIT, drain().size(), "nothing claimed, nothing written");
    }

    private int send(final Ipv4Output output, final int destination, final int sequence)
    {
        final int source = output.sourceFor(0, destination);
        writeDatagram(output.frame(), Ipv4Output.TRANSPORT_OFFSET, source, destination, sequence);
        return output.send(
            Ipv4Packet.PROTOCOL_UDP, source, destination, UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH, 0);
    }

    /**
     * A datagram from port 40000 to 7 whose payload starts with {@code sequence}, at {@code offset} of {@code buffer}.
     */
    private static void writeDatagram(
        final MutableDirectBuffer buffer, final int offset, final int source, final int destination, final int sequence)
    {
        final int payload = UdpDatagram.writeHeader(buffer, offset, 40000, 7, PAYLOAD_LENGTH);
        buffer.setMemory(payload, PAYLOAD_LENGTH, (byte)0);
        buffer.putInt(payload, sequence, ByteOrder.BIG_ENDIAN);
        UdpDatagram.writeChecksum(buffer, offset, UdpDatagram.HEADER_LENGTH + PAYLOAD_LENGTH, source, destination);
    }

    /**
     * Read the ring empty: a read stops at the end of the buffer, so a ring that has wrapped takes two.
     */
    private List<byte[]> drain()
    {
        final List<byte[]> frames = new ArrayList<>();
        for (int reads = 0; reads < 2 && ring.size() > 0; reads++)
        {
            ring.read((msgTypeId, buffer, index, length) ->
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(index, frame);
                frames.add(frame);
            });
        }
        assertEquals(0, ring.size(), "ring drained");
        return frames;
    }

    private ArpResolver resolverFor(final CapturingDevice device, final InterfaceConfig interfaceConfig)
    {
        return new ArpResolver(interfaceConfig, device, counters, tap, new EngineTimers(0), new Settings()
            .set(Setting.ARP_CACHE_CAPACITY, 4).set(Setting.ARP_PENDING_CAPACITY, 4));
    }
}
