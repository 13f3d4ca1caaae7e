package io.ringstack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.ringstack.wire.GoldenFrames.ARP_REPLY;
import static io.ringstack.wire.GoldenFrames.ARP_REQUEST;
import static io.ringstack.wire.GoldenFrames.HOST_A;
import static io.ringstack.wire.GoldenFrames.HOST_B;
import static io.ringstack.wire.GoldenFrames.MAC_A;
import static io.ringstack.wire.GoldenFrames.MAC_B;
import static io.ringstack.wire.GoldenFrames.assertSameBytes;
import static io.ringstack.wire.GoldenFrames.cut;
import static io.ringstack.wire.GoldenFrames.frame;
import static io.ringstack.wire.GoldenFrames.frameWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ArpPacketTest
{
    private static final int ARP = EthernetFrame.HEADER_LENGTH;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();

    @Test
    void parsesLinuxRequestAndReEmitsItByteForByte()
    {
        final UnsafeBuffer golden = frame(ARP_REQUEST);
        assertTrue(ethernet.wrap(golden, 0, golden.capacity()));
        assertEquals(EthernetFrame.ETHER_TYPE_ARP, ethernet.etherType());

        assertEquals(ArpPacket.VALID, arp.wrap(golden, ethernet.payloadOffset(), ethernet.payloadLength()));
        assertEquals(ArpPacket.OPERATION_REQUEST, arp.operation());
        assertEquals(MAC_A, arp.senderMac());
        assertEquals(HOST_A, arp.senderAddress());
        assertEquals(0L, arp.targetMac());
        assertEquals(HOST_B, arp.targetAddress());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int arpOffset = EthernetFrame.writeHeader(
            built, 0, EthernetFrame.BROADCAST, MAC_A, EthernetFrame.ETHER_TYPE_ARP);
        final int end = ArpPacket.write(built, arpOffset, ArpPacket.OPERATION_REQUEST, MAC_A, HOST_A, 0L, HOST_B);

        assertEquals(golden.capacity(), end);
        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void parsesLinuxReplyAndReEmitsItByteForByte()
    {
        final UnsafeBuffer golden = frame(ARP_REPLY);

        assertEquals(ArpPacket.VALID, arp.wrap(golden, ARP, ArpPacket.LENGTH));
        assertEquals(ArpPacket.OPERATION_REPLY, arp.operation());
        assertEquals(MAC_B, arp.senderMac());
        assertEquals(HOST_B, arp.senderAddress());
        assertEquals(MAC_A, arp.targetMac());
        assertEquals(HOST_A, arp.targetAddress());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int arpOffset = EthernetFrame.writeHeader(built, 0, MAC_A, MAC_B, EthernetFrame.ETHER_TYPE_ARP);
        final int end = ArpPacket.write(built, arpOffset, ArpPacket.OPERATION_REPLY, MAC_B, HOST_B, MAC_A, HOST_A);

        assertEquals(golden.capacity(), end);
        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void trailingEthernetPaddingIsNotPartOfThePacket()
    {
        final UnsafeBuffer padded = new UnsafeBuffer(new byte[60]);
        padded.putBytes(0, frame(ARP_REQUEST), 0, 42);

        assertEquals(ArpPacket.VALID, arp.wrap(padded, ARP, 60 - ARP));
        assertEquals(HOST_B, arp.targetAddress());
    }

    static Stream<Arguments> malformedPackets()
    {
        return Stream.of(
            arguments("empty", 0, "", 0, ArpPacket.TRUNCATED),
            arguments("one byte short of 28", 0, "", 27, ArpPacket.TRUNCATED),
            arguments("hardware type IEEE 802 (6)", 0, "0006", 28, ArpPacket.UNSUPPORTED),
            arguments("protocol type IPv6", 2, "86dd", 28, ArpPacket.UNSUPPORTED),
            arguments("hardware length 8", 4, "08", 28, ArpPacket.UNSUPPORTED),
            arguments("protocol length 16", 5, "10", 28, ArpPacket.UNSUPPORTED),
            arguments("exactly 28 bytes", 0, "", 28, ArpPacket.VALID));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPackets")
    void wrapReportsWhyAPacketIsUnusable(
        final String description, final int index, final String replacement, final int length, final int expected)
    {
        final UnsafeBuffer packet = cut(frameWith(ARP_REQUEST, ARP + index, replacement), ARP + length);

        assertEquals(expected, arp.wrap(packet, ARP, length));
    }
}
