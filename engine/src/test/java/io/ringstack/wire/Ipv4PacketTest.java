package io.ringstack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.ringstack.wire.GoldenFrames.HOST_A;
import static io.ringstack.wire.GoldenFrames.HOST_B;
import static io.ringstack.wire.GoldenFrames.ICMP_ECHO_REQUEST_RECORD_ROUTE;
import static io.ringstack.wire.GoldenFrames.IPV4_FIRST_FRAGMENT;
import static io.ringstack.wire.GoldenFrames.IPV4_LAST_FRAGMENT;
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

class Ipv4PacketTest
{
    private static final int IP = EthernetFrame.HEADER_LENGTH;

    private final Ipv4Packet ip = new Ipv4Packet();

    @Test
    void parsesLinuxUdpPacketHeaderAndReEmitsItByteForByte()
    {
        final UnsafeBuffer golden = frame(UDP_RINGSTACK);

        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.dscpEcn());
        assertEquals(37, ip.totalLength());
        assertEquals(0x352F, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Packet.PROTOCOL_UDP, ip.protocol());
        assertEquals(0xF0D0, ip.headerChecksum());
        assertEquals(HOST_A, ip.source());
        assertEquals(HOST_B, ip.destination());
        assertTrue(ip.isChecksumValid());
        assertEquals(IP + 20, ip.payloadOffset());
        assertEquals(17, ip.payloadLength());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[Ipv4Packet.HEADER_LENGTH]);
        final int end = Ipv4Packet.writeHeader(built, 0, 17, 0x352F, 64, Ipv4Packet.PROTOCOL_UDP, HOST_A, HOST_B);

        assertEquals(Ipv4Packet.HEADER_LENGTH, end);
        assertSameBytes(golden, IP, built, 0, Ipv4Packet.HEADER_LENGTH);
    }

    @Test
    void recordRouteOptionsAreSkippedAndCoveredByTheHeaderChecksum()
    {
        final UnsafeBuffer golden = frame(ICMP_ECHO_REQUEST_RECORD_ROUTE);

        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertEquals(60, ip.headerLength());
        assertEquals(124, ip.totalLength());
        assertEquals(0xFBE3, ip.headerChecksum());
        assertTrue(ip.isChecksumValid());
        assertNotEquals(0, InternetChecksum.compute(golden, IP, Ipv4Packet.HEADER_LENGTH), "options are summed");
        assertEquals(IP + 60, ip.payloadOffset());
        assertEquals(64, ip.payloadLength());

        // The payload begins after the 40 bytes of options: it is the echo request, which re-emits byte for byte.
        final UnsafeBuffer built = new UnsafeBuffer(new byte[ip.payloadLength()]);
        final int payloadOffset = IcmpPacket.writeEchoHeader(built, 0, IcmpPacket.TYPE_ECHO_REQUEST, 0x0E60, 1);
        built.putBytes(payloadOffset, golden, ip.payloadOffset() + payloadOffset, ip.payloadLength() - payloadOffset);
        IcmpPacket.writeChecksum(built, 0, ip.payloadLength());

        assertSameBytes(golden, ip.payloadOffset(), built, 0, ip.payloadLength());
    }

    @Test
    void firstFragmentHasMoreFragmentsAndOffsetZero()
    {
        final UnsafeBuffer golden = frame(IPV4_FIRST_FRAGMENT);

        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertFalse(ip.dontFragment());
        assertTrue(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertTrue(ip.isChecksumValid());
        assertEquals(48, ip.payloadLength());
    }

    @Test
    void lastFragmentHasNoMoreFragmentsButANonZeroOffset()
    {
        final UnsafeBuffer golden = frame(IPV4_LAST_FRAGMENT);

        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertFalse(ip.moreFragments());
        assertEquals(6, ip.fragmentOffset(), "48 bytes in 8-byte units");
        assertTrue(ip.isFragment());
        assertTrue(ip.isChecksumValid());
        assertEquals(0x7FF3, ip.identification());
        assertEquals(16, ip.payloadLength());
    }

    @Test
    void ethernetPaddingPastTotalLengthIsNotPayload()
    {
        final UnsafeBuffer padded = new UnsafeBuffer(new byte[60]);
        padded.setMemory(0, 60, (byte)0xAA);
        padded.putBytes(0, frame(UDP_RINGSTACK), 0, 51);

        assertEquals(Ipv4Packet.VALID, ip.wrap(padded, IP, 60 - IP));
        assertEquals(46, ip.length());
        assertEquals(37, ip.totalLength());
        assertEquals(17, ip.payloadLength());
    }

    @Test
    void writtenHeaderAtAnOffsetParsesBackWithDontFragmentAndAValidChecksum()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[7 + 20 + 100]);
        final int payloadOffset = Ipv4Packet.writeHeader(
            buffer, 7, 100, 0xBEEF, 1, Ipv4Packet.PROTOCOL_TCP, 0xC0A8_0001, 0xFFFF_FFFF);

        assertEquals(7 + 20, payloadOffset);
        assertEquals(Ipv4Packet.VALID, ip.wrap(buffer, 7, 120));
        assertEquals(120, ip.totalLength());
        assertEquals(0xBEEF, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        assertEquals(1, ip.ttl());
        assertEquals(Ipv4Packet.PROTOCOL_TCP, ip.protocol());
        assertEquals(0xC0A8_0001, ip.source());
        assertEquals(0xFFFF_FFFF, ip.destination());
        assertTrue(ip.isChecksumValid());
    }

    @Test
    void corruptedHeaderFailsTheChecksum()
    {
        final UnsafeBuffer corrupted = frameWith(UDP_RINGSTACK, IP + Ipv4Packet.TTL_OFFSET, "3f");

        assertEquals(Ipv4Packet.VALID, ip.wrap(corrupted, IP, corrupted.capacity() - IP));
        assertFalse(ip.isChecksumValid());
    }

    static Stream<Arguments> malformedPackets()
    {
        // The captured UDP packet: 37 bytes, IHL 5, Total Length 37.
        return Stream.of(
            arguments("empty", 0, "", 0, Ipv4Packet.TRUNCATED),
            arguments("19 bytes", 0, "", 19, Ipv4Packet.TRUNCATED),
            arguments("version 6", 0, "65", 37, Ipv4Packet.BAD_VERSION),
            arguments("version 0", 0, "05", 37, Ipv4Packet.BAD_VERSION),
            arguments("IHL 0", 0, "40", 37, Ipv4Packet.BAD_HEADER_LENGTH),
            arguments("IHL 4", 0, "44", 37, Ipv4Packet.BAD_HEADER_LENGTH),
            arguments("IHL 15 in 37 bytes", 0, "4f", 37, Ipv4Packet.BAD_HEADER_LENGTH),
            arguments("IHL 6 in 20 bytes", 0, "46", 20, Ipv4Packet.BAD_HEADER_LENGTH),
            arguments("total length 0", 2, "0000", 37, Ipv4Packet.BAD_TOTAL_LENGTH),
            arguments("total length 19, inside the header", 2, "0013", 37, Ipv4Packet.BAD_TOTAL_LENGTH),
            arguments("total length 38, past the buffer", 2, "0026", 37, Ipv4Packet.BAD_TOTAL_LENGTH),
            arguments("total length cut by the buffer", 0, "", 36, Ipv4Packet.BAD_TOTAL_LENGTH),
            arguments("total length 20, empty payload", 2, "0014", 37, Ipv4Packet.VALID),
            arguments("as captured", 0, "", 37, Ipv4Packet.VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPackets")
    void wrapReportsWhyAPacketIsUnusable(
        final String description, final int index, final String replacement, final int length, final int expected)
    {
        final UnsafeBuffer packet = cut(frameWith(UDP_RINGSTACK, IP + index, replacement), IP + length);

        assertEquals(expected, ip.wrap(packet, IP, length));
    }
}
