package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.phy.Cable;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static io.ringstack.drivers.e1000.E1000Registers.GPTC;
import static io.ringstack.drivers.e1000.E1000Registers.TDBAH;
import static io.ringstack.drivers.e1000.E1000Registers.TDBAL;
import static io.ringstack.drivers.e1000.TcpFrames.HEADERS;
import static io.ringstack.drivers.e1000.TcpFrames.IP;
import static io.ringstack.drivers.e1000.TcpFrames.TCP;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP segmentation offload through the driver and the device (8254x SDM 3.3.6, 3.3.7, 3.5, 3.6): the descriptors the
 * driver writes, byte for byte in the manual's layout; the segments the device cuts from a frame of three MSS, each
 * checked with the engine's own {@link InternetChecksum}; and the whole frame a wire that cuts segments itself is
 * handed instead.
 */
class E1000SegmentationOffloadTest
{
    private static final int MSS = 1448;
    private static final int SEQUENCE = 0xFFFF_F000;
    private static final int IDENTIFICATION = 0xFFFE;
    private static final int FIN_PSH_ACK = TcpSegment.FLAG_FIN | TcpSegment.FLAG_PSH | TcpSegment.FLAG_ACK;
    /**
     * The header bytes the device copies unchanged into every segment: Ethernet, IP version to type of service,
     * flags to protocol, addresses and ports, acknowledgment number and data offset, window and urgent pointer.
     */
    private static final int[][] UNCHANGED = {
        {0, IP + Ipv4Packet.TOTAL_LENGTH_OFFSET},
        {IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, IP + Ipv4Packet.CHECKSUM_OFFSET},
        {IP + Ipv4Packet.SOURCE_OFFSET, TCP + TcpSegment.SEQUENCE_NUMBER_OFFSET},
        {TCP + TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET, TCP + TcpSegment.FLAGS_OFFSET},
        {TCP + TcpSegment.WINDOW_OFFSET, TCP + TcpSegment.CHECKSUM_OFFSET},
        {TCP + TcpSegment.URGENT_POINTER_OFFSET, HEADERS}};

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception
    {
        for (final AutoCloseable resource : closing)
        {
            resource.close();
        }
    }

    @Test
    void aSegmentOfThreeMssGoesAsOneContextDescriptorAndDataDescriptorsOf2048Bytes()
    {
        final E1000Station station = station(Cable.ends(1 << 20)[0]);
        final UnsafeBuffer frame = TcpFrames.segment(3 * MSS, IDENTIFICATION, SEQUENCE, FIN_PSH_ACK);

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));

        final long ring = ring(station);
        // IPCSS 14, IPCSO 24, IPCSE 33; TUCSS 34, TUCSO 50, TUCSE 0; PAYLEN 4344, DTYP 0,
        // TUCMD DEXT|RS|TSE|IP|TCP; STA 0, HDRLEN 54, MSS 1448.
        assertEquals("0e182100" + "22320000" + "f810002f" + "0036a805", hex(station, ring, 0));
        // DTALEN 2048, DTYP 1, DCMD DEXT|RS|TSE|IFCS, POPTS TXSM|IXSM; the last 302 bytes with EOP.
        assertEquals("0008102e00030000", hex(station, ring + 16 + 8, 8));
        assertEquals("0008102e00030000", hex(station, ring + 32 + 8, 8));
        assertEquals("2e01102f00030000", hex(station, ring + 48 + 8, 8));

        final int copy = station.memory.offsetOf(station.memory.getLong(ring + 16));
        final UnsafeBuffer guest = station.memory.buffer();
        assertEquals(0, guest.getShort(copy + IP + Ipv4Packet.TOTAL_LENGTH_OFFSET),
            "IP total length left to the device");
        assertEquals(0, guest.getShort(copy + IP + Ipv4Packet.CHECKSUM_OFFSET), "IP checksum left to the device");
        assertEquals(InternetChecksum.foldWithoutComplement(InternetChecksum.pseudoHeaderSum(
            TcpFrames.SOURCE, TcpFrames.DESTINATION, Ipv4Packet.PROTOCOL_TCP, 0)),
            guest.getShort(copy + TCP + TcpSegment.CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF,
            "the TCP checksum field holds the pseudo-header's sum without the TCP length");

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
        assertEquals(E1000TxDataDescriptor.DTYP_DATA,
            station.memory.getByte(ring + 4 * 16 + E1000TxDataDescriptor.TYPE_OFFSET) >>> 4,
            "the same layout reuses the context: the next descriptor is data");
        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity() - 100, MSS));
        assertEquals(E1000TxContextDescriptor.DTYP_CONTEXT,
            station.memory.getByte(ring + 7 * 16 + E1000TxDataDescriptor.TYPE_OFFSET) >>> 4,
            "another payload length needs a new context");
    }

    @Test
    void theDeviceCutsAFrameOfThreeMssIntoThreeSegmentsAsTheManualSays()
    {
        final Link[] cable = Cable.ends(1 << 20);
        final E1000Station station = station(cable[0]);
        final UnsafeBuffer frame = TcpFrames.segment(3 * MSS, IDENTIFICATION, SEQUENCE, FIN_PSH_ACK);
        assertEquals(0, station.driver.segmentOffloadBytes(), "a cable does not cut: the engine is offered nothing");

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
        station.driver.receive(IGNORE, 16);

        final List<byte[]> sent = polled(cable[1]);
        assertEquals(3, sent.size());
        for (int i = 0; i < 3; i++)
        {
            final byte[] segment = sent.get(i);
            assertEquals(HEADERS + MSS, segment.length);
            TcpFrames.assertChecksummed(segment, "segment " + i);
            assertEquals((IDENTIFICATION + i) & 0xFFFF, TcpFrames.identification(segment), "IP identification");
            assertEquals(SEQUENCE + i * MSS, TcpFrames.sequence(segment), "sequence number, wrapping past 2^32");
            assertEquals(i == 2 ? FIN_PSH_ACK : TcpSegment.FLAG_ACK, TcpFrames.flags(segment), "FIN and PSH last");
            for (final int[] range : UNCHANGED)
            {
                assertArrayEquals(bytes(frame, range[0], range[1] - range[0]),
                    Arrays.copyOfRange(segment, range[0], range[1]), "header bytes " + Arrays.toString(range));
            }
            assertArrayEquals(bytes(frame, HEADERS + i * MSS, MSS), Arrays.copyOfRange(segment, HEADERS,
                segment.length), "payload " + i);
        }
        assertEquals(3, station.device.mmioRead(GPTC));
        assertEquals(3, station.device.counters().txFrames.get());
    }

    @Test
    void segmentsMoreThanTheRingHoldsAtOnceGoOutAsTheDeviceCatchesUp()
    {
        final Link[] cable = Cable.ends(1 << 23);
        final E1000Station station = station(cable[0]);
        final UnsafeBuffer frame = TcpFrames.segment(45 * MSS, 1, 0, TcpSegment.FLAG_ACK);
        final int frames = 3 * E1000Driver.TX_RING_SIZE / descriptorsFor(frame);

        for (int i = 0; i < frames; i++)
        {
            assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS),
                "segment " + i + ": a full ring is published and reclaimed");
        }
        station.driver.receive(IGNORE, 16);

        assertEquals(frames * 45, polled(cable[1]).size());
        assertEquals(0, station.device.counters().drops(DeviceDrop.TX_RING_FULL));
    }

    @Test
    void aSegmentTheRingHasNoRoomForIsRefusedWhole()
    {
        final Link[] cable = Cable.ends(1 << 23);
        final E1000Station station = station(cable[0]);
        final UnsafeBuffer frame = TcpFrames.segment(45 * MSS, 1, 0, TcpSegment.FLAG_ACK);
        station.driver.faults().hangTx();

        int sent = 0;
        while (station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS) == NetworkDevice.TX_OK)
        {
            sent++;
        }

        final int data = descriptorsFor(frame);
        assertEquals(1 + (E1000Driver.TX_RING_SIZE - 1 - (1 + data)) / data, sent,
            "of the ring's 255 free descriptors, the first segment takes a context and its data descriptors, the " +
                "others their data descriptors only");
        assertEquals(1, station.device.counters().drops(DeviceDrop.TX_RING_FULL));
        assertEquals(NetworkDevice.TX_OK, station.driver.transmit(frame, 0, 1514), "a frame still fits");
    }

    @Test
    void aShorterLastSegmentCarriesTheRest()
    {
        final Link[] cable = Cable.ends(1 << 20);
        final E1000Station station = station(cable[0]);
        final UnsafeBuffer frame = TcpFrames.segment(2 * MSS + 10, 7, 1000, TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH);

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
        station.driver.receive(IGNORE, 16);

        final List<byte[]> sent = polled(cable[1]);
        assertEquals(List.of(HEADERS + MSS, HEADERS + MSS, HEADERS + 10), sent.stream().map(s -> s.length).toList());
        TcpFrames.assertChecksummed(sent.get(2), "last segment");
        assertEquals(1000 + 2 * MSS, TcpFrames.sequence(sent.get(2)));
        assertEquals(TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH, TcpFrames.flags(sent.get(2)));
        assertEquals(TcpSegment.FLAG_ACK, TcpFrames.flags(sent.get(0)));
    }

    /**
     * RFC 3168 6.1.2: CWR marks one window reduction, so of the segments cut from one it goes on the first only, as
     * Linux's {@code tcp_gso_segment} cuts; every segment keeps the IP header's ECN field, ECT(0) here.
     */
    @Test
    void cwrGoesOnTheFirstSegmentOnlyAndEverySegmentKeepsItsEcnField()
    {
        final Link[] cable = Cable.ends(1 << 20);
        final E1000Station station = station(cable[0]);
        final int cwrPshAck = TcpSegment.FLAG_CWR | TcpSegment.FLAG_PSH | TcpSegment.FLAG_ACK;
        final UnsafeBuffer frame = TcpFrames.segment(3 * MSS, IDENTIFICATION, SEQUENCE, cwrPshAck);
        frame.putByte(IP + Ipv4Packet.DSCP_ECN_OFFSET, (byte)Ipv4Packet.ECN_ECT_0);

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
        station.driver.receive(IGNORE, 16);

        final List<byte[]> sent = polled(cable[1]);
        assertEquals(List.of(TcpSegment.FLAG_CWR | TcpSegment.FLAG_ACK, TcpSegment.FLAG_ACK,
            TcpSegment.FLAG_PSH | TcpSegment.FLAG_ACK), sent.stream().map(TcpFrames::flags).toList());
        for (final byte[] segment : sent)
        {
            assertEquals(0x02, segment[IP + Ipv4Packet.DSCP_ECN_OFFSET], "ECT(0)");
            TcpFrames.assertChecksummed(segment, "segment");
        }
    }

    @Test
    void aShortLastSegmentIsPaddedTo60BytesBehindItsOwnHeaders()
    {
        final Link[] cable = Cable.ends(1 << 20);
        final E1000Station station = station(cable[0]);
        final UnsafeBuffer frame = TcpFrames.segment(2 * MSS + 1, 7, 1000, TcpSegment.FLAG_ACK);

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
        station.driver.receive(IGNORE, 16);

        final byte[] last = polled(cable[1]).get(2);
        assertEquals(60, last.length);
        TcpFrames.assertChecksummed(Arrays.copyOf(last, HEADERS + 1), "last segment, without its padding");
        assertEquals(TcpFrames.payloadByte(2 * MSS), last[HEADERS]);
        assertArrayEquals(new byte[60 - HEADERS - 1], Arrays.copyOfRange(last, HEADERS + 1, 60));
    }

    @Test
    void aWireThatCutsSegmentsGetsTheWholeFrameAsTheEngineBuiltIt()
    {
        final CuttingWire wire = new CuttingWire();
        final E1000Station station = station(wire);
        final UnsafeBuffer frame = TcpFrames.segment(3 * MSS, IDENTIFICATION, SEQUENCE, FIN_PSH_ACK);
        assertEquals(E1000Driver.MAX_SEGMENT_OFFLOAD_BYTES, station.driver.segmentOffloadBytes());

        assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
        station.driver.receive(IGNORE, 16);

        assertEquals(1, wire.frames);
        assertEquals(1, wire.gathered, "its headers rewritten in a copy, its payload straight from guest memory");
        assertEquals(MSS, wire.segmentSize);
        assertArrayEquals(bytes(frame, 0, frame.capacity()), wire.lastFrame(),
            "total length, IP checksum and the pseudo-header's sum with the whole TCP length, as the engine left them");
        assertEquals(3, station.device.mmioRead(GPTC), "the wire sends three segments");
    }

    @Test
    void aSegmentWrittenInPlaceInTheLentBuffersReachesTheWireAsTheEngineBuiltIt()
    {
        final CuttingWire wire = new CuttingWire();
        final E1000Station station = station(wire);
        final UnsafeBuffer frame = TcpFrames.segment(3 * MSS, IDENTIFICATION, SEQUENCE, FIN_PSH_ACK);

        final int claimed = station.driver.claimSegmented(frame.capacity());
        station.driver.transmitBuffer().putBytes(claimed, frame, 0, frame.capacity());
        assertEquals(NetworkDevice.TX_OK, station.driver.commitSegmented(claimed, frame.capacity(), MSS));
        station.driver.receive(IGNORE, 16);

        assertEquals(1, wire.frames);
        assertEquals(MSS, wire.segmentSize);
        assertArrayEquals(bytes(frame, 0, frame.capacity()), wire.lastFrame());
    }

    /**
     * Segments of 45 MSS, 32 buffers each behind a context descriptor, go round the ring three times, written in place
     * and by copy in turn: every one reaches the wire as built, its buffers in one piece of guest memory where its
     * slots wrap to the ring's start as anywhere else, so the device hands every one on from there.
     */
    @Test
    void segmentsGoInOnePieceOfGuestMemoryAcrossTheRingsEnd()
    {
        final CuttingWire wire = new CuttingWire();
        final E1000Station station = station(wire);
        final int segments = 3 * E1000Driver.TX_RING_SIZE / 33 + 1;
        for (int i = 0; i < segments; i++)
        {
            final UnsafeBuffer frame =
                TcpFrames.segment(TcpFrames.SEGMENTS_OF_64_KIB * MSS, i, SEQUENCE + i, TcpSegment.FLAG_ACK);
            if (i % 2 == 0)
            {
                final int claimed = station.driver.claimSegmented(frame.capacity());
                assertTrue(claimed >= 0, "#" + i);
                station.driver.transmitBuffer().putBytes(claimed, frame, 0, frame.capacity());
                assertEquals(NetworkDevice.TX_OK, station.driver.commitSegmented(claimed, frame.capacity(), MSS));
            }
            else
            {
                assertEquals(NetworkDevice.TX_OK, station.driver.transmitSegmented(frame, 0, frame.capacity(), MSS));
            }
            station.driver.receive(IGNORE, 16);

            assertEquals(i + 1, wire.frames);
            assertArrayEquals(bytes(frame, 0, frame.capacity()), wire.lastFrame(), "#" + i);
        }
        assertEquals(segments, wire.gathered, "every segment's payload handed on from guest memory");
    }

    @Test
    void noBuffersAreLentForAFrameThatFitsTheMtuOrExceeds64KiB()
    {
        final E1000Station station = station(new CuttingWire());

        assertEquals(-1, station.driver.claimSegmented(1514));
        assertEquals(-1, station.driver.claimSegmented(14 + E1000Driver.MAX_SEGMENT_OFFLOAD_BYTES + 1));
        assertTrue(station.driver.claimSegmented(14 + E1000Driver.MAX_SEGMENT_OFFLOAD_BYTES) >= 0);
    }

    private E1000Station station(final Link link)
    {
        final E1000Station station = new E1000Station("e1000.tso", E1000Bench.MAC, link);
        closing.add(station);
        return station;
    }

    /**
     * @return the data descriptors of one 2048-byte buffer each that {@code frame} takes.
     */
    private static int descriptorsFor(final UnsafeBuffer frame)
    {
        return (frame.capacity() + E1000Driver.BUFFER_SIZE - 1) / E1000Driver.BUFFER_SIZE;
    }

    private static long ring(final E1000Station station)
    {
        return (station.device.mmioRead(TDBAL) & 0xFFFF_FFFFL) | (long)station.device.mmioRead(TDBAH) << 32;
    }

    private static String hex(final E1000Station station, final long address, final int length)
    {
        final byte[] bytes = new byte[length == 0 ? E1000TxDescriptor.LENGTH : length];
        station.memory.buffer().getBytes(station.memory.offsetOf(address), bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static byte[] bytes(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    private static List<byte[]> polled(final Link end)
    {
        final List<byte[]> frames = new ArrayList<>();
        end.poll((buffer, offset, length) -> frames.add(bytes(buffer, offset, length)), Integer.MAX_VALUE);
        return frames;
    }

    private static final FrameHandler IGNORE = (buffer, offset, length) ->
    {
    };
}
