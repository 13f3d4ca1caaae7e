package io.ringstack.wire;

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
import static io.ringstack.wire.GoldenFrames.UDP_RINGSTACK;
import static io.ringstack.wire.GoldenFrames.assertSameBytes;
import static io.ringstack.wire.GoldenFrames.cut;
import static io.ringstack.wire.GoldenFrames.frame;
import static io.ringstack.wire.GoldenFrames.frameWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class UdpDatagramTest
{
    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private static final int UDP = IP + Ipv4Packet.HEADER_LENGTH;
    private static final byte[] RINGSTACK = "ringstack".getBytes(StandardCharsets.US_ASCII);

    private final Ipv4Packet ip = new Ipv4Packet();
    private final UdpDatagram udp = new UdpDatagram();

    @Test
    void parsesLinuxDatagramAndReEmitsTheWholeFrame()
    {
        final UnsafeBuffer golden = frame(UDP_RINGSTACK);
        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));

        assertEquals(UdpDatagram.VALID, udp.wrap(golden, ip.payloadOffset(), ip.payloadLength()));
        assertEquals(40000, udp.sourcePort());
        assertEquals(7777, udp.destinationPort());
        assertEquals(17, udp.udpLength());
        assertEquals(0x0FB9, udp.checksum());
        assertTrue(udp.isChecksumValid(HOST_A, HOST_B));
        assertEquals(UDP + 8, udp.payloadOffset());
        assertEquals(RINGSTACK.length, udp.payloadLength());
        assertSameBytes(new UnsafeBuffer(RINGSTACK), 0, golden, udp.payloadOffset(), RINGSTACK.length);

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int ipOffset = EthernetFrame.writeHeader(built, 0, MAC_B, MAC_A, EthernetFrame.ETHER_TYPE_IPV4);
        final int udpOffset = Ipv4Packet.writeHeader(
            built, ipOffset, 8 + RINGSTACK.length, 0x352F, 64, Ipv4Packet.PROTOCOL_UDP, HOST_A, HOST_B);
        final int payloadOffset = UdpDatagram.writeHeader(built, udpOffset, 40000, 7777, RINGSTACK.length);
        built.putBytes(payloadOffset, RINGSTACK);
        UdpDatagram.writeChecksum(built, udpOffset, 8 + RINGSTACK.length, HOST_A, HOST_B);

        assertEquals(UDP + 8, payloadOffset);
        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void checksumCoversThePseudoHeaderAddresses()
    {
        final UnsafeBuffer golden = frame(UDP_RINGSTACK);

        assertEquals(UdpDatagram.VALID, udp.wrap(golden, UDP, 17));
        assertFalse(udp.isChecksumValid(HOST_A, 0x0A63_0003));
        assertFalse(udp.isChecksumValid(HOST_B, HOST_A + 1));
    }

    @Test
    void zeroChecksumMeansNoneAndIsAccepted()
    {
        final UnsafeBuffer unchecked = frameWith(UDP_RINGSTACK, UDP + UdpDatagram.CHECKSUM_OFFSET, "0000");

        assertEquals(UdpDatagram.VALID, udp.wrap(unchecked, UDP, 17));
        assertEquals(UdpDatagram.NO_CHECKSUM, udp.checksum());
        assertTrue(udp.isChecksumValid(HOST_A, 0x0A63_0003));
    }

    @Test
    void computedZeroChecksumIsSentAsFfff()
    {
        final UnsafeBuffer datagram = new UnsafeBuffer(new byte[10]);
        final int payloadOffset = UdpDatagram.writeHeader(datagram, 0, 1234, 5678, 2);
        UdpDatagram.writeChecksum(datagram, 0, 10, HOST_A, HOST_B);
        final int checksumOfZeroPayload = datagram.getShort(UdpDatagram.CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        assertNotEquals(0xFFFF, checksumOfZeroPayload);

        // A payload word equal to that checksum makes the one's complement sum 0xFFFF, so the checksum computes to 0.
        datagram.putShort(payloadOffset, (short)checksumOfZeroPayload, ByteOrder.BIG_ENDIAN);
        UdpDatagram.writeChecksum(datagram, 0, 10, HOST_A, HOST_B);

        assertEquals(UdpDatagram.VALID, udp.wrap(datagram, 0, 10));
        assertEquals(0xFFFF, udp.checksum());
        assertTrue(udp.isChecksumValid(HOST_A, HOST_B));
    }

    @Test
    void payloadAndChecksumStopAtTheLengthFieldNotTheBuffer()
    {
        final UnsafeBuffer padded = new UnsafeBuffer(new byte[UDP + 26]);
        padded.setMemory(0, padded.capacity(), (byte)0xAA);
        padded.putBytes(0, frame(UDP_RINGSTACK), 0, UDP + 17);

        assertEquals(UdpDatagram.VALID, udp.wrap(padded, UDP, 26));
        assertEquals(26, udp.length());
        assertEquals(RINGSTACK.length, udp.payloadLength());
        assertTrue(udp.isChecksumValid(HOST_A, HOST_B));
    }

    static Stream<Arguments> malformedDatagrams()
    {
        // The captured datagram: 17 bytes, Length field 17.
        return Stream.of(
            arguments("empty", 0, "", 0, UdpDatagram.TRUNCATED),
            arguments("7 bytes", 0, "", 7, UdpDatagram.TRUNCATED),
            arguments("length field 0", 4, "0000", 17, UdpDatagram.BAD_LENGTH),
            arguments("length field 7, inside the header", 4, "0007", 17, UdpDatagram.BAD_LENGTH),
            arguments("length field 18, past the buffer", 4, "0012", 17, UdpDatagram.BAD_LENGTH),
            arguments("length field 17 cut by the buffer", 0, "", 16, UdpDatagram.BAD_LENGTH),
            arguments("length field 8, empty payload", 4, "0008", 17, UdpDatagram.VALID),
            arguments("as captured", 0, "", 17, UdpDatagram.VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDatagrams")
    void wrapReportsWhyADatagramIsUnusable(
        final String description, final int index, final String replacement, final int length, final int expected)
    {
        final UnsafeBuffer datagram = cut(frameWith(UDP_RINGSTACK, UDP + index, replacement), UDP + length);

        assertEquals(expected, udp.wrap(datagram, UDP, length));
    }
}
