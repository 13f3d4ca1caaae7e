package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.ringstack.drivers.e1000.E1000Registers.TDH;
import static io.ringstack.drivers.e1000.E1000Registers.TDT;
import static io.ringstack.drivers.e1000.TcpFrames.HEADERS;
import static io.ringstack.drivers.e1000.TcpFrames.IP;
import static io.ringstack.drivers.e1000.TcpFrames.TCP;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device's offload context driven by hand (8254x SDM 3.3.5-3.3.7): checksum insertion for a frame that is not
 * segmented, and every context that does not fit its frame counted as {@link DeviceDrop#TX_BAD_OFFLOAD}, its
 * descriptors completed, nothing sent and nothing thrown.
 */
class E1000TxOffloadContextTest
{
    private static final int RING = 16;
    private static final int[] IP_CHECKSUM = {IP, IP + Ipv4Packet.CHECKSUM_OFFSET, TCP - 1};
    private static final int[] TCP_CHECKSUM = {TCP, TCP + TcpSegment.CHECKSUM_OFFSET, 0};
    private static final int TCP_IP = E1000TxContextDescriptor.TUCMD_TCP | E1000TxContextDescriptor.TUCMD_IP;
    private static final int TSO = TCP_IP | E1000TxContextDescriptor.TUCMD_TSE;
    private static final int BOTH = E1000TxDataDescriptor.POPTS_TXSM | E1000TxDataDescriptor.POPTS_IXSM;
    private static final int LAST = E1000TxDescriptor.CMD_EOP | E1000TxDescriptor.CMD_IFCS;
    private static final int LAST_TSO = LAST | E1000TxDataDescriptor.DCMD_TSE;
    private static final int PAYLOAD = 1000;

    private final E1000Bench bench = new E1000Bench().up();
    private final long ring = bench.transmitRing(RING);

    @AfterEach
    void close()
    {
        bench.close();
    }

    @Test
    void bothChecksumsAreInsertedIntoAFrameThatIsNotSegmented()
    {
        final byte[] frame = frame(PAYLOAD);
        new UnsafeBuffer(frame).putShort(IP + Ipv4Packet.CHECKSUM_OFFSET, (short)0);
        bench.describeContext(ring, 0, IP_CHECKSUM, TCP_CHECKSUM, 0, TCP_IP, 0, 0);
        bench.describeData(ring, 1, Arrays.copyOf(frame, 100), E1000TxDescriptor.CMD_IFCS, BOTH);
        bench.describeData(ring, 2, Arrays.copyOfRange(frame, 100, frame.length), LAST, 0);

        final List<byte[]> sent = process(3);

        assertEquals(1, sent.size());
        TcpFrames.assertChecksummed(sent.get(0), "the frame");
        assertEquals(E1000TxDescriptor.STATUS_DD,
            bench.memory.getByte(E1000Bench.txDescriptor(ring, 0) + E1000TxContextDescriptor.STATUS_OFFSET),
            "a context descriptor with RS is written back too");
    }

    @Test
    void aChecksumEndingAtTucseLeavesTheBytesAfterItOut()
    {
        final byte[] frame = frame(PAYLOAD);
        new UnsafeBuffer(frame).putShort(TCP + TcpSegment.CHECKSUM_OFFSET, (short)0);
        final int end = TCP + 100;
        bench.describeContext(ring, 0, IP_CHECKSUM, new int[]{TCP, TCP + TcpSegment.CHECKSUM_OFFSET, end}, 0, TCP_IP,
            0, 0);
        bench.describeData(ring, 1, frame, LAST, E1000TxDataDescriptor.POPTS_TXSM);

        final byte[] sent = process(2).get(0);

        final UnsafeBuffer buffer = new UnsafeBuffer(sent);
        assertEquals(0, InternetChecksum.compute(buffer, TCP, end + 1 - TCP), "the sum from TUCSS to TUCSE");
        assertTrue(InternetChecksum.compute(buffer, TCP, sent.length - TCP) != 0, "and not beyond");
    }

    @Test
    void aSegmentationContextWhoseHeaderLengthIsBeyondTheFrameIsDropped()
    {
        assertDropped(frame(PAYLOAD), new int[][]{IP_CHECKSUM, TCP_CHECKSUM}, PAYLOAD, TSO, HEADERS + PAYLOAD + 1,
            100, LAST_TSO);
    }

    @Test
    void aSegmentationContextWithMssZeroIsDropped()
    {
        assertDropped(frame(PAYLOAD), new int[][]{IP_CHECKSUM, TCP_CHECKSUM}, PAYLOAD, TSO, HEADERS, 0, LAST_TSO);
    }

    @Test
    void aTcpChecksumFieldOutsideTheHeadersIsDropped()
    {
        assertDropped(frame(PAYLOAD), new int[][]{IP_CHECKSUM, {TCP, HEADERS - 1, 0}}, PAYLOAD, TSO, HEADERS, 100,
            LAST_TSO);
    }

    @Test
    void aPayloadLengthTheFrameDoesNotHaveIsDropped()
    {
        assertDropped(frame(PAYLOAD), new int[][]{IP_CHECKSUM, TCP_CHECKSUM}, PAYLOAD + 1, TSO, HEADERS, 100,
            LAST_TSO);
    }

    @Test
    void segmentsLargerThanTheWireTakesAreOversize()
    {
        bench.describeContext(ring, 0, IP_CHECKSUM, TCP_CHECKSUM, 3000, TSO, HEADERS, 1500);
        bench.describeData(ring, 1, frame(3000), LAST_TSO, BOTH);

        assertTrue(process(2).isEmpty());
        assertEquals(1, bench.device.counters().drops(DeviceDrop.TX_OVERSIZE));
    }

    @Test
    void aChecksumFieldPastTheEndOfAFrameThatIsNotSegmentedIsDropped()
    {
        final byte[] frame = frame(10);
        assertDropped(frame, new int[][]{IP_CHECKSUM, {TCP, frame.length - 1, 0}}, 0, TCP_IP, 0, 0, LAST);
    }

    @Test
    void anOffloadBeforeAnyContextIsDropped()
    {
        bench.describeData(ring, 0, frame(PAYLOAD), LAST, BOTH);

        assertTrue(process(1).isEmpty());
        assertEquals(1, bench.device.counters().drops(DeviceDrop.TX_BAD_OFFLOAD));
    }

    @Test
    void aContextBetweenTheDataDescriptorsOfAFrameIsAMalformedChain()
    {
        final byte[] frame = frame(PAYLOAD);
        bench.describeContext(ring, 0, IP_CHECKSUM, TCP_CHECKSUM, 0, TCP_IP, 0, 0);
        bench.describeData(ring, 1, Arrays.copyOf(frame, 100), E1000TxDescriptor.CMD_IFCS, BOTH);
        bench.describeContext(ring, 2, IP_CHECKSUM, TCP_CHECKSUM, 0, TCP_IP, 0, 0);
        bench.describeData(ring, 3, Arrays.copyOfRange(frame, 100, frame.length), LAST, 0);

        assertTrue(process(4).isEmpty());
        assertEquals(1, bench.device.counters().drops(DeviceDrop.BAD_DESCRIPTOR));
    }

    /**
     * One context descriptor and one data descriptor holding the whole frame: dropped as a bad offload, both
     * descriptors done.
     */
    private void assertDropped(
        final byte[] frame,
        final int[][] checksums,
        final int payloadLength,
        final int command,
        final int headerLength,
        final int mss,
        final int dataCommand)
    {
        bench.describeContext(ring, 0, checksums[0], checksums[1], payloadLength, command, headerLength, mss);
        bench.describeData(ring, 1, frame, dataCommand, BOTH);

        assertTrue(process(2).isEmpty(), "nothing sent");
        assertEquals(1, bench.device.counters().drops(DeviceDrop.TX_BAD_OFFLOAD));
        assertEquals(2, bench.device.mmioRead(TDH));
        assertEquals(E1000TxDescriptor.STATUS_DD,
            bench.memory.getByte(E1000Bench.txDescriptor(ring, 1) + E1000TxDataDescriptor.STATUS_OFFSET));
    }

    private List<byte[]> process(final int descriptors)
    {
        bench.device.mmioWrite(TDT, descriptors);
        bench.device.service(RING);
        return bench.sentByDevice();
    }

    /**
     * A TCP frame as a driver hands it for checksum offload: the TCP field seeded with the pseudo-header's sum.
     */
    private static byte[] frame(final int payload)
    {
        final UnsafeBuffer frame = TcpFrames.segment(payload, 1, 2, TcpSegment.FLAG_ACK);
        final byte[] bytes = new byte[frame.capacity()];
        frame.getBytes(0, bytes);
        assertEquals(frame.capacity() - IP, frame.getShort(IP + Ipv4Packet.TOTAL_LENGTH_OFFSET, BIG_ENDIAN));
        return bytes;
    }
}
