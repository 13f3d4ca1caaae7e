package io.ringstack.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.wire.GoldenFrames.HOST_A;
import static io.ringstack.wire.GoldenFrames.HOST_B;
import static io.ringstack.wire.GoldenFrames.ICMP_ECHO_REPLY;
import static io.ringstack.wire.GoldenFrames.ICMP_ECHO_REQUEST;
import static io.ringstack.wire.GoldenFrames.ICMP_PORT_UNREACHABLE;
import static io.ringstack.wire.GoldenFrames.MAC_A;
import static io.ringstack.wire.GoldenFrames.MAC_B;
import static io.ringstack.wire.GoldenFrames.assertSameBytes;
import static io.ringstack.wire.GoldenFrames.cut;
import static io.ringstack.wire.GoldenFrames.frame;
import static io.ringstack.wire.GoldenFrames.frameWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpPacketTest
{
    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private static final int ICMP = IP + Ipv4Packet.HEADER_LENGTH;
    private static final int ECHO_LENGTH = 64;
    private static final int LINUX_PING_PAYLOAD_LENGTH = 56;
    private static final int TIMEVAL_LENGTH = 16;

    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();

    @Test
    void parsesLinuxEchoRequestAndReEmitsTheWholeFrame()
    {
        final UnsafeBuffer golden = frame(ICMP_ECHO_REQUEST);
        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());

        assertEquals(IcmpPacket.VALID, icmp.wrap(golden, ip.payloadOffset(), ip.payloadLength()));
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x8A96, icmp.checksum());
        assertTrue(icmp.isChecksumValid());
        assertEquals(3679, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertEquals(0x0E5F_0001, icmp.restOfHeader());
        assertEquals(ICMP + 8, icmp.payloadOffset());
        assertEquals(LINUX_PING_PAYLOAD_LENGTH, icmp.payloadLength());
        for (int i = TIMEVAL_LENGTH; i < LINUX_PING_PAYLOAD_LENGTH; i++)
        {
            assertEquals(i, golden.getByte(icmp.payloadOffset() + i), "ping fills byte i with i after the timeval");
        }

        final UnsafeBuffer built = new UnsafeBuffer(new byte[golden.capacity()]);
        final int ipOffset = EthernetFrame.writeHeader(built, 0, MAC_B, MAC_A, EthernetFrame.ETHER_TYPE_IPV4);
        final int icmpOffset = Ipv4Packet.writeHeader(
            built, ipOffset, ECHO_LENGTH, 0xED60, 64, Ipv4Packet.PROTOCOL_ICMP, HOST_A, HOST_B);
        final int payloadOffset = IcmpPacket.writeEchoHeader(built, icmpOffset, IcmpPacket.TYPE_ECHO_REQUEST, 3679, 1);
        built.putBytes(payloadOffset, golden, icmp.payloadOffset(), icmp.payloadLength());
        IcmpPacket.writeChecksum(built, icmpOffset, ECHO_LENGTH);

        assertSameBytes(golden, 0, built, 0, golden.capacity());
    }

    @Test
    void parsesLinuxEchoReplyAndReEmitsTheIcmpMessage()
    {
        // Linux's reply clears Don't Fragment, which Ipv4Packet.writeHeader always sets: only ICMP is re-emitted.
        final UnsafeBuffer golden = frame(ICMP_ECHO_REPLY);

        assertEquals(IcmpPacket.VALID, icmp.wrap(golden, ICMP, ECHO_LENGTH));
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0x9296, icmp.checksum());
        assertTrue(icmp.isChecksumValid());
        assertEquals(3679, icmp.identifier());
        assertEquals(1, icmp.sequence());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[ECHO_LENGTH]);
        final int payloadOffset = IcmpPacket.writeEchoHeader(built, 0, IcmpPacket.TYPE_ECHO_REPLY, 3679, 1);
        built.putBytes(payloadOffset, golden, icmp.payloadOffset(), icmp.payloadLength());
        IcmpPacket.writeChecksum(built, 0, ECHO_LENGTH);

        assertSameBytes(golden, ICMP, built, 0, ECHO_LENGTH);
    }

    @Test
    void echoRequestTurnedIntoAReplyInPlaceMatchesLinuxsReply()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[ECHO_LENGTH]);
        message.putBytes(0, frame(ICMP_ECHO_REQUEST), ICMP, ECHO_LENGTH);

        message.putByte(IcmpPacket.TYPE_OFFSET, (byte)IcmpPacket.TYPE_ECHO_REPLY);
        IcmpPacket.writeChecksum(message, 0, ECHO_LENGTH);

        assertSameBytes(frame(ICMP_ECHO_REPLY), ICMP, message, 0, ECHO_LENGTH);
    }

    @Test
    void parsesLinuxPortUnreachableQuotingTheDatagramAndReEmitsIt()
    {
        final UnsafeBuffer golden = frame(ICMP_PORT_UNREACHABLE);
        assertEquals(Ipv4Packet.VALID, ip.wrap(golden, IP, golden.capacity() - IP));
        assertEquals(0xC0, ip.dscpEcn());
        assertFalse(ip.dontFragment());

        assertEquals(IcmpPacket.VALID, icmp.wrap(golden, ip.payloadOffset(), ip.payloadLength()));
        assertEquals(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(IcmpPacket.CODE_PORT_UNREACHABLE, icmp.code());
        assertEquals(0x11E4, icmp.checksum());
        assertTrue(icmp.isChecksumValid());
        assertEquals(0, icmp.restOfHeader());
        assertEquals(33, icmp.payloadLength());

        final Ipv4Packet quoted = new Ipv4Packet();
        final UdpDatagram quotedUdp = new UdpDatagram();
        assertEquals(Ipv4Packet.VALID, quoted.wrap(golden, icmp.payloadOffset(), icmp.payloadLength()));
        assertEquals(Ipv4Packet.PROTOCOL_UDP, quoted.protocol());
        assertEquals(HOST_A, quoted.source());
        assertEquals(UdpDatagram.VALID, quotedUdp.wrap(golden, quoted.payloadOffset(), quoted.payloadLength()));
        assertEquals(40001, quotedUdp.sourcePort());
        assertEquals(9999, quotedUdp.destinationPort());

        final UnsafeBuffer built = new UnsafeBuffer(new byte[icmp.length()]);
        final int payloadOffset = IcmpPacket.writeHeader(
            built, 0, IcmpPacket.TYPE_DESTINATION_UNREACHABLE, IcmpPacket.CODE_PORT_UNREACHABLE, 0);
        built.putBytes(payloadOffset, golden, icmp.payloadOffset(), icmp.payloadLength());
        IcmpPacket.writeChecksum(built, 0, icmp.length());

        assertSameBytes(golden, ICMP, built, 0, icmp.length());
    }

    @Test
    void checksumCoversThePayload()
    {
        final UnsafeBuffer corrupted = frameWith(ICMP_ECHO_REQUEST, ICMP + ECHO_LENGTH - 1, "00");

        assertEquals(IcmpPacket.VALID, icmp.wrap(corrupted, ICMP, ECHO_LENGTH));
        assertFalse(icmp.isChecksumValid());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void wrapReportsTruncatedBelowEightBytes(final int length)
    {
        assertEquals(IcmpPacket.TRUNCATED, icmp.wrap(cut(frame(ICMP_ECHO_REQUEST), ICMP + length), ICMP, length));
    }

    @Test
    void headerAloneIsAValidMessageWithAnEmptyPayload()
    {
        assertEquals(IcmpPacket.VALID, icmp.wrap(cut(frame(ICMP_ECHO_REQUEST), ICMP + 8), ICMP, 8));
        assertEquals(0, icmp.payloadLength());
    }
}
