package io.ringstack.wire;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.ringstack.wire.GoldenFrames.HOST_A;
import static io.ringstack.wire.GoldenFrames.HOST_B;
import static io.ringstack.wire.GoldenFrames.MAC_A;
import static io.ringstack.wire.GoldenFrames.MAC_B;
import static io.ringstack.wire.GoldenFrames.TCP_ACK_SACK_3;
import static io.ringstack.wire.GoldenFrames.TCP_PSH_GET;
import static io.ringstack.wire.GoldenFrames.TCP_SYN;
import static io.ringstack.wire.GoldenFrames.TCP_SYN_ACK;
import static io.ringstack.wire.GoldenFrames.assertSameBytes;
import static io.ringstack.wire.GoldenFrames.cut;
import static io.ringstack.wire.GoldenFrames.frame;
import static io.ringstack.wire.GoldenFrames.frameWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TcpSegmentTest
{
    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private static final int TCP = IP + Ipv4Packet.HEADER_LENGTH;
    private static final byte[] GET = "GET".getBytes(StandardCharsets.US_ASCII);

    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();
    private final TcpOptions options = new TcpOptions();

    @Test
    void parsesLinuxSynWithItsFourOptionsAndReEmitsTheWholeFrame()
    {
        final UnsafeBuffer golden = frame(TCP_SYN);
        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertEquals(Ipv4Packet.PROTOCOL_TCP, ip.protocol());

        assertEquals(TcpSegment.VALID, tcp.wrap(golden, ip.payloadOffset(), ip.payloadLength()));
        assertEquals(40002, tcp.sourcePort());
        assertEquals(8080, tcp.destinationPort());
        assertEquals(264821541, tcp.sequenceNumber());
        assertEquals(0, tcp.acknowledgmentNumber());
        assertEquals(40, tcp.dataOffset());
        assertEquals(TcpSegment.FLAG_SYN, tcp.flags());
        assertTrue(tcp.isSyn());
        assertFalse(tcp.isAck());
        assertEquals(64240, tcp.window());
        assertEquals(0x4761, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());
        assertTrue(tcp.isChecksumValid(HOST_A, HOST_B));
        assertEquals(TCP + 20, tcp.optionsOffset());
        assertEquals(20, tcp.optionsLength());
        assertEquals(TCP + 40, tcp.payloadOffset());
        assertEquals(0, tcp.payloadLength());

        assertEquals(TcpOptions.VALID, options.wrap(golden, tcp.optionsOffset(), tcp.optionsLength()));
        assertTrue(options.hasMss());
        assertEquals(1460, options.mss());
        assertTrue(options.isSackPermitted());
        assertTrue(options.hasTimestamps());
        assertEquals(1077479913, options.timestampValue());
        assertEquals(0, options.timestampEcho());
        assertTrue(options.hasWindowScale());
        assertEquals(10, options.windowScale());
        assertEquals(0, options.sackBlockCount());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int tcpOffset = writeEthernetAndIpv4(built, MAC_B, MAC_A, 0x48E6, HOST_A, HOST_B, 40);
        int position = TcpSegment.writeHeader(
            built, tcpOffset, 40002, 8080, 264821541, 0, 40, TcpSegment.FLAG_SYN, 64240);
        position = TcpOptions.writeMss(built, position, 1460);
        position = TcpOptions.writeSackPermitted(built, position);
        position = TcpOptions.writeTimestamps(built, position, 1077479913, 0);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeWindowScale(built, position, 10);
        TcpSegment.writeChecksum(built, tcpOffset, 40, HOST_A, HOST_B);

        assertEquals(TCP + 40, position);
        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void parsesLinuxSynAckWhoseNumbersExceedTheSignedIntRange()
    {
        final UnsafeBuffer golden = frame(TCP_SYN_ACK);

        assertEquals(TcpSegment.VALID, tcp.wrap(golden, TCP, 40));
        assertEquals(TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK, tcp.flags());
        assertEquals(2688903419L, Integer.toUnsignedLong(tcp.sequenceNumber()));
        assertEquals(264821541 + 1, tcp.acknowledgmentNumber());
        assertEquals(65160, tcp.window());
        assertTrue(tcp.isChecksumValid(HOST_B, HOST_A));

        assertEquals(TcpOptions.VALID, options.wrap(golden, tcp.optionsOffset(), tcp.optionsLength()));
        assertEquals(0x504D4532, options.timestampValue());
        assertEquals(1077479913, options.timestampEcho());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int tcpOffset = writeEthernetAndIpv4(built, MAC_A, MAC_B, 0, HOST_B, HOST_A, 40);
        int position = TcpSegment.writeHeader(built, tcpOffset, 8080, 40002, (int)2688903419L, 264821542, 40,
            TcpSegment.FLAG_SYN | TcpSegment.FLAG_ACK, 65160);
        position = TcpOptions.writeMss(built, position, 1460);
        position = TcpOptions.writeSackPermitted(built, position);
        position = TcpOptions.writeTimestamps(built, position, 0x504D4532, 1077479913);
        position = TcpOptions.writeNop(built, position);
        TcpOptions.writeWindowScale(built, position, 10);
        TcpSegment.writeChecksum(built, tcpOffset, 40, HOST_B, HOST_A);

        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void parsesLinuxDataSegmentPayloadAfterTheOptionsAndReEmitsIt()
    {
        final UnsafeBuffer golden = frame(TCP_PSH_GET);
        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));

        assertEquals(TcpSegment.VALID, tcp.wrap(golden, ip.payloadOffset(), ip.payloadLength()));
        assertEquals(TcpSegment.FLAG_PSH | TcpSegment.FLAG_ACK, tcp.flags());
        assertTrue(tcp.isPsh());
        assertTrue(tcp.isAck());
        assertFalse(tcp.isSyn());
        assertFalse(tcp.isFin());
        assertEquals(32, tcp.dataOffset());
        assertEquals(63, tcp.window());
        assertTrue(tcp.isChecksumValid(HOST_A, HOST_B));
        assertEquals(TCP + 32, tcp.payloadOffset());
        assertEquals(GET.length, tcp.payloadLength());
        assertSameBytes(new UnsafeBuffer(GET), 0, golden, tcp.payloadOffset(), GET.length);

        assertEquals(TcpOptions.VALID, options.wrap(golden, tcp.optionsOffset(), tcp.optionsLength()));
        assertFalse(options.hasMss());
        assertFalse(options.hasWindowScale());
        assertFalse(options.isSackPermitted());
        assertTrue(options.hasTimestamps());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int tcpOffset = writeEthernetAndIpv4(built, MAC_B, MAC_A, 0x48E8, HOST_A, HOST_B, 32 + GET.length);
        int position = TcpSegment.writeHeader(built, tcpOffset, 40002, 8080, 264821542, 0xA04568FC, 32,
            TcpSegment.FLAG_PSH | TcpSegment.FLAG_ACK, 63);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeTimestamps(built, position, 0x403909E9, 0x504D4532);
        built.putBytes(position, GET);
        TcpSegment.writeChecksum(built, tcpOffset, 32 + GET.length, HOST_A, HOST_B);

        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void parsesLinuxAckCarryingThreeSackBlocksAndReEmitsIt()
    {
        final UnsafeBuffer golden = frame(TCP_ACK_SACK_3);
        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));

        assertEquals(TcpSegment.VALID, tcp.wrap(golden, ip.payloadOffset(), ip.payloadLength()));
        assertEquals(TcpSegment.MAX_HEADER_LENGTH, tcp.dataOffset());
        assertEquals(TcpSegment.FLAG_ACK, tcp.flags());
        assertTrue(tcp.isChecksumValid(HOST_B, HOST_A));
        assertEquals(0, tcp.payloadLength());

        assertEquals(TcpOptions.VALID, options.wrap(golden, tcp.optionsOffset(), tcp.optionsLength()));
        assertTrue(options.hasTimestamps());
        assertEquals(3, options.sackBlockCount());
        assertEquals(0xA4CA022E, options.sackLeft(0));
        assertEquals(0xA4CA07D6, options.sackRight(0));
        assertEquals(0xA4C9EB8E, options.sackLeft(1));
        assertEquals(0xA4C9FC86, options.sackRight(1));
        assertEquals(0xA4C9D4EE, options.sackLeft(2));
        assertEquals(0xA4C9E5E6, options.sackRight(2));

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int tcpOffset = writeEthernetAndIpv4(built, MAC_A, MAC_B, 0x4B02, HOST_B, HOST_A, 60);
        int position = TcpSegment.writeHeader(
            built, tcpOffset, 8081, 40003, 0x9EC824B5, 0xA4C9CF46, 60, TcpSegment.FLAG_ACK, 75);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeTimestamps(built, position, 0xD8BFA54C, 0xDE487F48);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeNop(built, position);
        position = TcpOptions.writeSackHeader(built, position, 3);
        position = TcpOptions.writeSackBlock(built, position, 0xA4CA022E, 0xA4CA07D6);
        position = TcpOptions.writeSackBlock(built, position, 0xA4C9EB8E, 0xA4C9FC86);
        position = TcpOptions.writeSackBlock(built, position, 0xA4C9D4EE, 0xA4C9E5E6);
        TcpSegment.writeChecksum(built, tcpOffset, 60, HOST_B, HOST_A);

        assertEquals(golden.capacity(), position);
        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void everyFlagHasItsOwnBit()
    {
        final UnsafeBuffer segment = new UnsafeBuffer(new byte[20]);
        final int[] flags =
        {
            TcpSegment.FLAG_FIN, TcpSegment.FLAG_SYN, TcpSegment.FLAG_RST, TcpSegment.FLAG_PSH,
            TcpSegment.FLAG_ACK, TcpSegment.FLAG_URG, TcpSegment.FLAG_ECE, TcpSegment.FLAG_CWR,
        };
        for (final int flag : flags)
        {
            TcpSegment.writeHeader(segment, 0, 1, 2, 3, 4, 20, flag, 5);
            assertEquals(TcpSegment.VALID, tcp.wrap(segment, 0, 20));
            assertEquals(flag, tcp.flags());
            final boolean[] set =
            {
                tcp.isFin(), tcp.isSyn(), tcp.isRst(), tcp.isPsh(), tcp.isAck(), tcp.isUrg(), tcp.isEce(), tcp.isCwr(),
            };
            for (int bit = 0; bit < set.length; bit++)
            {
                assertEquals(flag == 1 << bit, set[bit], "flag 0x" + Integer.toHexString(flag) + " bit " + bit);
            }
        }
    }

    @Test
    void checksumCoversThePseudoHeaderAndThePayload()
    {
        final UnsafeBuffer golden = frame(TCP_PSH_GET);
        assertEquals(TcpSegment.VALID, tcp.wrap(golden, TCP, 35));
        assertFalse(tcp.isChecksumValid(HOST_B, HOST_A + 2));

        final UnsafeBuffer corrupted = frameWith(TCP_PSH_GET, TCP + 34, "55");
        assertEquals(TcpSegment.VALID, tcp.wrap(corrupted, TCP, 35));
        assertFalse(tcp.isChecksumValid(HOST_A, HOST_B));
    }

    /**
     * The partial checksum Linux leaves for a device with checksum offload ({@code CHECKSUM_PARTIAL}): the folded
     * pseudo-header sum, 0a63 + 0001 + 0a63 + 0002 + 0006 + 0023 = 14f2, not complemented; a device that sums the
     * segment from its first byte over it and stores the complement writes the captured checksum, 36c0.
     */
    @Test
    void thePseudoHeaderChecksumIsWhatADeviceFinishesIntoTheWholeOne()
    {
        final UnsafeBuffer frame = frame(TCP_PSH_GET);

        TcpSegment.writePseudoHeaderChecksum(frame, TCP, 35, HOST_A, HOST_B);
        assertEquals(0x14F2, frame.getShort(TCP + TcpSegment.CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF);

        final int finished = InternetChecksum.fold(InternetChecksum.sum(frame, TCP, 35, 0));
        assertEquals(0x36C0, finished);
    }

    static Stream<Arguments> malformedSegments()
    {
        // The captured SYN: 40 bytes, Data Offset 10 words.
        return Stream.of(
            arguments("empty", 0, "", 0, TcpSegment.TRUNCATED),
            arguments("19 bytes", 0, "", 19, TcpSegment.TRUNCATED),
            arguments("data offset 0", 12, "00", 40, TcpSegment.BAD_DATA_OFFSET),
            arguments("data offset 4 words", 12, "40", 40, TcpSegment.BAD_DATA_OFFSET),
            arguments("data offset 11 words in 40 bytes", 12, "b0", 40, TcpSegment.BAD_DATA_OFFSET),
            arguments("data offset 10 words cut by the buffer", 0, "", 39, TcpSegment.BAD_DATA_OFFSET),
            arguments("data offset 5 words, options become payload", 12, "50", 40, TcpSegment.VALID),
            arguments("as captured", 0, "", 40, TcpSegment.VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedSegments")
    void wrapReportsWhyASegmentIsUnusable(
        final String description, final int index, final String replacement, final int length, final int expected)
    {
        final UnsafeBuffer segment = cut(frameWith(TCP_SYN, TCP + index, replacement), TCP + length);

        assertEquals(expected, tcp.wrap(segment, TCP, length));
    }

    private static int writeEthernetAndIpv4(
        final MutableDirectBuffer buffer,
        final long destinationMac,
        final long sourceMac,
        final int identification,
        final int source,
        final int destination,
        final int segmentLength)
    {
        final int ipOffset = EthernetFrame.writeHeader(
            buffer, 0, destinationMac, sourceMac, EthernetFrame.ETHER_TYPE_IPV4);
        return Ipv4Packet.writeHeader(
            buffer, ipOffset, segmentLength, identification, 64, Ipv4Packet.PROTOCOL_TCP, source, destination);
    }
}
