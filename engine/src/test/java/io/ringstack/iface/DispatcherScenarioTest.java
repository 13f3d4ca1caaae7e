package io.ringstack.iface;

import io.ringstack.EmbeddedStack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.ringstack.iface.TestFrames.BROADCAST_MAC;
import static io.ringstack.iface.TestFrames.DIRECTED_BROADCAST;
import static io.ringstack.iface.TestFrames.IP;
import static io.ringstack.iface.TestFrames.LIMITED_BROADCAST;
import static io.ringstack.iface.TestFrames.OTHER_HOST_MAC;
import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.TRANSPORT;
import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.echoRequest;
import static io.ringstack.iface.TestFrames.etherType;
import static io.ringstack.iface.TestFrames.ethernet;
import static io.ringstack.iface.TestFrames.hex;
import static io.ringstack.iface.TestFrames.icmp;
import static io.ringstack.iface.TestFrames.ip;
import static io.ringstack.iface.TestFrames.ipDestination;
import static io.ringstack.iface.TestFrames.ipHeaderLength;
import static io.ringstack.iface.TestFrames.ipProtocol;
import static io.ringstack.iface.TestFrames.ipSource;
import static io.ringstack.iface.TestFrames.ipTotalLength;
import static io.ringstack.iface.TestFrames.ipv4;
import static io.ringstack.iface.TestFrames.ipv4WithOptions;
import static io.ringstack.iface.TestFrames.isIcmpChecksumValid;
import static io.ringstack.iface.TestFrames.isIpv4HeaderChecksumValid;
import static io.ringstack.iface.TestFrames.isTransportChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static io.ringstack.iface.TestFrames.pad;
import static io.ringstack.iface.TestFrames.slice;
import static io.ringstack.iface.TestFrames.tcp;
import static io.ringstack.iface.TestFrames.transportLength;
import static io.ringstack.iface.TestFrames.transportOffset;
import static io.ringstack.iface.TestFrames.truncate;
import static io.ringstack.iface.TestFrames.u16;
import static io.ringstack.iface.TestFrames.u32;
import static io.ringstack.iface.TestFrames.u8;
import static io.ringstack.iface.TestFrames.udp;
import static io.ringstack.iface.TestFrames.udpPayload;
import static io.ringstack.iface.TestFrames.with;
import static io.ringstack.iface.TestFrames.withIpv4;
import static io.ringstack.iface.TestFrames.withMac;
import static io.ringstack.iface.TestFrames.withShort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What the dispatcher does with each kind of frame, as a table: every row is one frame from the wire, the one
 * outcome it must have (delivered, or dropped under exactly one {@link DropReason}) and the one answer the engine
 * must send for it, if any. Every row also proves the receive invariant
 * {@code rx_frames = rx_delivered + Σ drops} and that no counter but the expected one moved.
 * <p>
 * The peer 10.0.2.2 (52:55:0a:00:02:02) has introduced itself by ARP before each row, and a UDP socket is bound to
 * {@code 0.0.0.0:7777}.
 */
class DispatcherScenarioTest
{
    private static final DropReason DELIVERED = null;
    private static final int BOUND_PORT = 7777;
    private static final int CLOSED_PORT = 9999;
    private static final int PEER_PORT = 40000;
    private static final int ISN = 0x0FC8_DB25;

    private static final byte[] ECHO = echoRequest(0x0E5F, 7, bytes(32, 0x20));
    private static final byte[] UDP_TO_CLOSED_PORT = udp(PEER_PORT, CLOSED_PORT, text("hello"));
    private static final byte[] UDP_TO_BOUND_PORT = udp(PEER_PORT, BOUND_PORT, text("hello, ringstack"));
    private static final byte[] SYN = tcp(40002, 8080, ISN, 0, TcpSegment.FLAG_SYN, new byte[0]);
    private static final byte[] ARP_REQUEST_FOR_US = hex(TestFrames.ARP_REQUEST_FOR_US_HEX);

    private EngineHarness harness;
    private int boundFd;

    /**
     * The answer a row expects on the wire, and how to check it against the frame that caused it.
     */
    enum Reply
    {
        NONE
        {
            void verify(final byte[] request, final byte[] reply)
            {
                throw new AssertionError("no reply expected");
            }
        },

        ARP_REPLY
        {
            void verify(final byte[] request, final byte[] reply)
            {
                final int arp = EthernetFrame.HEADER_LENGTH;
                final long requesterMac = mac(request, arp + ArpPacket.SENDER_MAC_OFFSET);
                assertEquals(requesterMac, mac(reply, EthernetFrame.DESTINATION_OFFSET), "Ethernet dst = requester");
                assertEquals(OUR_MAC, mac(reply, EthernetFrame.SOURCE_OFFSET), "Ethernet src = our MAC");
                assertEquals(EthernetFrame.ETHER_TYPE_ARP, etherType(reply));
                assertTrue(reply.length >= arp + ArpPacket.LENGTH, "a whole ARP packet");
                assertEquals(1, u16(reply, arp + ArpPacket.HARDWARE_TYPE_OFFSET), "htype Ethernet");
                assertEquals(0x0800, u16(reply, arp + ArpPacket.PROTOCOL_TYPE_OFFSET), "ptype IPv4");
                assertEquals(6, u8(reply, arp + ArpPacket.HARDWARE_LENGTH_OFFSET), "hlen");
                assertEquals(4, u8(reply, arp + ArpPacket.PROTOCOL_LENGTH_OFFSET), "plen");
                assertEquals(2, u16(reply, arp + ArpPacket.OPERATION_OFFSET), "op reply");
                assertEquals(OUR_MAC, mac(reply, arp + ArpPacket.SENDER_MAC_OFFSET), "sender MAC = ours");
                assertEquals(OUR_ADDRESS, u32(reply, arp + ArpPacket.SENDER_ADDRESS_OFFSET), "sender IP = ours");
                assertEquals(requesterMac, mac(reply, arp + ArpPacket.TARGET_MAC_OFFSET), "target MAC = requester");
                assertEquals(u32(request, arp + ArpPacket.SENDER_ADDRESS_OFFSET),
                    u32(reply, arp + ArpPacket.TARGET_ADDRESS_OFFSET), "target IP = requester");
            }
        },

        ECHO_REPLY
        {
            void verify(final byte[] request, final byte[] reply)
            {
                verifyIpv4Answer(request, reply, Ipv4Packet.PROTOCOL_ICMP);
                final int icmp = transportOffset(reply);
                final int requestIcmp = transportOffset(request);
                assertEquals(IcmpPacket.TYPE_ECHO_REPLY, u8(reply, icmp + IcmpPacket.TYPE_OFFSET), "type echo reply");
                assertEquals(0, u8(reply, icmp + IcmpPacket.CODE_OFFSET), "code");
                assertTrue(isIcmpChecksumValid(reply), "ICMP checksum");
                assertEquals(u16(request, requestIcmp + IcmpPacket.IDENTIFIER_OFFSET),
                    u16(reply, icmp + IcmpPacket.IDENTIFIER_OFFSET), "identifier");
                assertEquals(u16(request, requestIcmp + IcmpPacket.SEQUENCE_OFFSET),
                    u16(reply, icmp + IcmpPacket.SEQUENCE_OFFSET), "sequence");
                final int dataLength = transportLength(request) - IcmpPacket.HEADER_LENGTH;
                assertEquals(IcmpPacket.HEADER_LENGTH + dataLength, transportLength(reply), "same data length");
                assertArrayEquals(slice(request, requestIcmp + IcmpPacket.HEADER_LENGTH, dataLength),
                    slice(reply, icmp + IcmpPacket.HEADER_LENGTH, dataLength), "same data");
            }
        },

        PORT_UNREACHABLE
        {
            void verify(final byte[] request, final byte[] reply)
            {
                verifyUnreachable(request, reply, IcmpPacket.CODE_PORT_UNREACHABLE);
            }
        },

        PROTOCOL_UNREACHABLE
        {
            void verify(final byte[] request, final byte[] reply)
            {
                verifyUnreachable(request, reply, IcmpPacket.CODE_PROTOCOL_UNREACHABLE);
            }
        },

        RST_ACK
        {
            void verify(final byte[] request, final byte[] reply)
            {
                final int tcp = verifyReset(request, reply, TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK);
                final int requestTcp = transportOffset(request);
                final int flags = u8(request, requestTcp + TcpSegment.FLAGS_OFFSET);
                final int segmentLength = transportLength(request) -
                    ((u8(request, requestTcp + TcpSegment.DATA_OFFSET_OFFSET) >> 4) << 2) +
                    ((flags & TcpSegment.FLAG_SYN) != 0 ? 1 : 0) + ((flags & TcpSegment.FLAG_FIN) != 0 ? 1 : 0);
                assertEquals(0, u32(reply, tcp + TcpSegment.SEQUENCE_NUMBER_OFFSET), "SEQ=0");
                assertEquals(u32(request, requestTcp + TcpSegment.SEQUENCE_NUMBER_OFFSET) + segmentLength,
                    u32(reply, tcp + TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET), "ACK=SEG.SEQ+SEG.LEN");
            }
        },

        RST
        {
            void verify(final byte[] request, final byte[] reply)
            {
                final int tcp = verifyReset(request, reply, TcpSegment.FLAG_RST);
                assertEquals(u32(request, transportOffset(request) + TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET),
                    u32(reply, tcp + TcpSegment.SEQUENCE_NUMBER_OFFSET), "SEQ=SEG.ACK");
            }
        };

        abstract void verify(byte[] request, byte[] reply);
    }

    static Stream<Arguments> scenarios()
    {
        return Stream.of(
            // ---------------------------------------------------------------- Ethernet
            row("Ethernet: 13 bytes, shorter than a header",
                truncate(ECHO, 13), DropReason.ETHERNET_TRUNCATED, Reply.NONE),
            row("Ethernet: empty frame",
                new byte[0], DropReason.ETHERNET_TRUNCATED, Reply.NONE),
            row("Ethernet: destination MAC of another host",
                withMac(ECHO, 0, OTHER_HOST_MAC), DropReason.ETHERNET_NOT_FOR_US, Reply.NONE),
            row("Ethernet: IPv4 multicast MAC 01:00:5e:00:00:01",
                with(ECHO, 0, 0x01, 0x00, 0x5E, 0x00, 0x00, 0x01), DropReason.ETHERNET_NOT_FOR_US, Reply.NONE),
            row("Ethernet: EtherType 0x86DD (IPv6)",
                ethernet(OUR_MAC, PEER_MAC, EthernetFrame.ETHER_TYPE_IPV6, bytes(48, 0x60)),
                DropReason.ETHERTYPE_UNSUPPORTED, Reply.NONE),
            row("Ethernet: EtherType 0x8100 (802.1Q tag)",
                ethernet(OUR_MAC, PEER_MAC, 0x8100, slice(ECHO, 12, ECHO.length - 12)),
                DropReason.ETHERTYPE_UNSUPPORTED, Reply.NONE),
            row("Ethernet: UDP padded to 60 bytes, short IPv4 total length, is delivered",
                pad(udp(PEER_PORT, BOUND_PORT, text("hi")), 60, 0xAA), DELIVERED, Reply.NONE),
            row("Ethernet: echo request padded to 60 bytes is answered without the padding",
                pad(echoRequest(1, 1, bytes(4, 0x61)), 60, 0xAA), DELIVERED, Reply.ECHO_REPLY),
            row("Ethernet: ARP request padded to 60 bytes",
                pad(ARP_REQUEST_FOR_US, 60, 0x00), DELIVERED, Reply.ARP_REPLY),

            // ---------------------------------------------------------------- ARP
            row("ARP: request for our address (literal)",
                ARP_REQUEST_FOR_US, DELIVERED, Reply.ARP_REPLY),
            row("ARP: request for our address from a new host",
                TestFrames.arpRequest(0x0200_0000_0003L, ip("10.0.2.3"), OUR_ADDRESS), DELIVERED, Reply.ARP_REPLY),
            row("ARP: request for another address",
                TestFrames.arpRequest(PEER_MAC, PEER_ADDRESS, ip("10.0.2.3")), DropReason.ARP_NOT_FOR_US, Reply.NONE),
            row("ARP: reply to us from a neighbour in the table",
                TestFrames.arpReply(PEER_MAC, PEER_ADDRESS, OUR_MAC, OUR_ADDRESS), DELIVERED, Reply.NONE),
            row("ARP: reply to us that answers nothing we asked",
                TestFrames.arpReply(0x0200_0000_0004L, ip("10.0.2.4"), OUR_MAC, OUR_ADDRESS),
                DropReason.ARP_UNSOLICITED_REPLY, Reply.NONE),
            row("ARP: truncated to 20 bytes",
                truncate(ARP_REQUEST_FOR_US, 14 + 20), DropReason.ARP_TRUNCATED, Reply.NONE),
            row("ARP: hardware type 6 (IEEE 802), not Ethernet",
                with(ARP_REQUEST_FOR_US, 14, 0x00, 0x06), DropReason.ARP_UNSUPPORTED, Reply.NONE),
            row("ARP: protocol type 0x86DD, not IPv4",
                with(ARP_REQUEST_FOR_US, 16, 0x86, 0xDD), DropReason.ARP_UNSUPPORTED, Reply.NONE),
            row("ARP: hardware length 8",
                with(ARP_REQUEST_FOR_US, 18, 8), DropReason.ARP_UNSUPPORTED, Reply.NONE),
            row("ARP: operation 3 (RARP request)",
                with(ARP_REQUEST_FOR_US, 20, 0x00, 0x03), DropReason.ARP_OPERATION_UNSUPPORTED, Reply.NONE),

            // ---------------------------------------------------------------- IPv4
            row("IPv4: header checksum wrong",
                with(UDP_TO_CLOSED_PORT, IP + Ipv4Packet.CHECKSUM_OFFSET, u8(UDP_TO_CLOSED_PORT, IP + 10) ^ 0x5A),
                DropReason.IPV4_BAD_CHECKSUM, Reply.NONE),
            row("IPv4: version 6 under EtherType IPv4",
                withIpv4(UDP_TO_CLOSED_PORT, 0, 0x65), DropReason.IPV4_BAD_VERSION, Reply.NONE),
            row("IPv4: IHL 4",
                withIpv4(UDP_TO_CLOSED_PORT, 0, 0x44), DropReason.IPV4_BAD_HEADER_LENGTH, Reply.NONE),
            row("IPv4: IHL 15, header past the end of the packet",
                withIpv4(UDP_TO_CLOSED_PORT, 0, 0x4F), DropReason.IPV4_BAD_HEADER_LENGTH, Reply.NONE),
            row("IPv4: total length one past the end of the frame",
                withIpv4(UDP_TO_CLOSED_PORT, 2, 0x00, UDP_TO_CLOSED_PORT.length - 14 + 1),
                DropReason.IPV4_BAD_TOTAL_LENGTH, Reply.NONE),
            row("IPv4: total length 19, shorter than the header",
                withIpv4(UDP_TO_CLOSED_PORT, 2, 0x00, 19), DropReason.IPV4_BAD_TOTAL_LENGTH, Reply.NONE),
            row("IPv4: 19 bytes, shorter than a header",
                truncate(UDP_TO_CLOSED_PORT, 14 + 19), DropReason.IPV4_TRUNCATED, Reply.NONE),
            row("IPv4: empty fragment (MF set, no payload)",
                truncate(withIpv4(UDP_TO_CLOSED_PORT, 2, 0x00, 20, 0x00, 0x00, 0x20, 0x00), IP + 20),
                DropReason.IPV4_FRAGMENT_INCONSISTENT, Reply.NONE),
            row("IPv4: destination 10.0.2.99, not us",
                echoRequest(OUR_MAC, PEER_ADDRESS, ip("10.0.2.99"), 1, 1, bytes(8, 0)),
                DropReason.IPV4_NOT_FOR_US, Reply.NONE),
            row("IPv4: destination 127.0.0.1 arriving from the device",
                echoRequest(OUR_MAC, PEER_ADDRESS, ip("127.0.0.1"), 1, 1, bytes(8, 0)),
                DropReason.IPV4_NOT_FOR_US, Reply.NONE),
            row("IPv4: source 255.255.255.255",
                udp(OUR_MAC, LIMITED_BROADCAST, OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("x")),
                DropReason.IPV4_BAD_SOURCE, Reply.NONE),
            row("IPv4: source 127.0.0.1 arriving from the device",
                udp(OUR_MAC, ip("127.0.0.1"), OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("x")),
                DropReason.IPV4_BAD_SOURCE, Reply.NONE),
            row("IPv4: source 224.0.0.1 (multicast)",
                udp(OUR_MAC, ip("224.0.0.1"), OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("x")),
                DropReason.IPV4_BAD_SOURCE, Reply.NONE),
            row("IPv4: source 240.0.0.1 (class E)",
                udp(OUR_MAC, ip("240.0.0.1"), OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("x")),
                DropReason.IPV4_BAD_SOURCE, Reply.NONE),
            row("IPv4: echo request from source 0.0.0.0 is not answered (RFC 1122 3.2.1.3 (a))",
                echoRequest(OUR_MAC, 0, OUR_ADDRESS, 1, 1, bytes(8, 0)),
                DropReason.IPV4_UNSPECIFIED_SOURCE, Reply.NONE),
            row("IPv4: SYN from source 0.0.0.0 opens nothing and gets no SYN-ACK (RFC 9293 MUST-63)",
                tcp(OUR_MAC, 0, OUR_ADDRESS, 40002, 8080, ISN, 0, TcpSegment.FLAG_SYN, new byte[0]),
                DropReason.IPV4_UNSPECIFIED_SOURCE, Reply.NONE),
            row("IPv4: source 0.1.2.3, a host on network 0 (RFC 1122 3.2.1.3 (b))",
                udp(OUR_MAC, ip("0.1.2.3"), OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("x")),
                DropReason.IPV4_UNSPECIFIED_SOURCE, Reply.NONE),
            row("IPv4: source 0.0.0.0 to the directed broadcast",
                udp(BROADCAST_MAC, 0, DIRECTED_BROADCAST, PEER_PORT, BOUND_PORT, text("x")),
                DropReason.IPV4_UNSPECIFIED_SOURCE, Reply.NONE),
            row("IPv4: source 0.0.0.0 to 255.255.255.255, as a host finding its address sends, reaches the socket",
                udp(BROADCAST_MAC, 0, LIMITED_BROADCAST, PEER_PORT, BOUND_PORT, text("x")), DELIVERED, Reply.NONE),
            row("IPv4: protocol 47 (GRE) is answered with protocol unreachable",
                ipv4(OUR_MAC, PEER_MAC, PEER_ADDRESS, OUR_ADDRESS, 47, bytes(24, 0x30)),
                DropReason.IPV4_PROTOCOL_UNSUPPORTED, Reply.PROTOCOL_UNREACHABLE),
            row("IPv4: protocol 47 (GRE) to the directed broadcast is not answered",
                ipv4(BROADCAST_MAC, PEER_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, 47, bytes(24, 0x30)),
                DropReason.IPV4_PROTOCOL_UNSUPPORTED, Reply.NONE),
            row("IPv4: echo request with options (NOP, Record Route) is answered",
                ipv4WithOptions(PEER_ADDRESS, OUR_ADDRESS, Ipv4Packet.PROTOCOL_ICMP,
                    hex("01 07 27 08 0a000202" + "00".repeat(32)),
                    slice(ECHO, TRANSPORT, ECHO.length - TRANSPORT)),
                DELIVERED, Reply.ECHO_REPLY),

            // ---------------------------------------------------------------- ICMP
            row("ICMP: echo request from Linux ping (literal)",
                hex(TestFrames.ICMP_ECHO_REQUEST_HEX), DELIVERED, Reply.ECHO_REPLY),
            row("ICMP: echo request with 7 bytes of data (odd length)",
                echoRequest(0xBEEF, 0xFFFF, bytes(7, 0x41)), DELIVERED, Reply.ECHO_REPLY),
            row("ICMP: echo request without data",
                echoRequest(2, 0, new byte[0]), DELIVERED, Reply.ECHO_REPLY),
            row("ICMP: echo request to the directed broadcast 10.0.2.255",
                echoRequest(BROADCAST_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, 1, 1, bytes(8, 0)),
                DropReason.ICMP_BROADCAST_ECHO, Reply.NONE),
            row("ICMP: echo request to the limited broadcast 255.255.255.255",
                echoRequest(BROADCAST_MAC, PEER_ADDRESS, LIMITED_BROADCAST, 1, 1, bytes(8, 0)),
                DropReason.ICMP_BROADCAST_ECHO, Reply.NONE),
            row("ICMP: checksum wrong",
                with(ECHO, TRANSPORT + IcmpPacket.CHECKSUM_OFFSET, u8(ECHO, TRANSPORT + 2) ^ 0x01),
                DropReason.ICMP_BAD_CHECKSUM, Reply.NONE),
            row("ICMP: 4 bytes, shorter than a header",
                ipv4(OUR_MAC, PEER_MAC, PEER_ADDRESS, OUR_ADDRESS, Ipv4Packet.PROTOCOL_ICMP, bytes(4, 8)),
                DropReason.ICMP_TRUNCATED, Reply.NONE),
            row("ICMP: echo reply that answers no ping",
                icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, IcmpPacket.TYPE_ECHO_REPLY, 0, 0x0001_0001, bytes(8, 0)),
                DropReason.ICMP_UNMATCHED_REPLY, Reply.NONE),
            row("ICMP: destination unreachable is not answered",
                icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, IcmpPacket.TYPE_DESTINATION_UNREACHABLE, 3, 0,
                    slice(UDP_TO_CLOSED_PORT, IP, 28)),
                DropReason.ICMP_ERROR_NOT_REPORTED, Reply.NONE),
            row("ICMP: time exceeded is not answered",
                icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, IcmpPacket.TYPE_TIME_EXCEEDED, 0, 0,
                    slice(UDP_TO_CLOSED_PORT, IP, 28)),
                DropReason.ICMP_ERROR_NOT_REPORTED, Reply.NONE),
            row("ICMP: timestamp request (type 13)",
                icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, 13, 0, 0x0001_0001, bytes(12, 0)),
                DropReason.ICMP_TYPE_UNSUPPORTED, Reply.NONE),

            // ---------------------------------------------------------------- UDP
            row("UDP: to a port with no socket is answered with port unreachable",
                UDP_TO_CLOSED_PORT, DropReason.UDP_NO_SOCKET, Reply.PORT_UNREACHABLE),
            row("UDP: to a port with no socket at the directed broadcast is not answered",
                udp(BROADCAST_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, PEER_PORT, CLOSED_PORT, text("x")),
                DropReason.UDP_NO_SOCKET, Reply.NONE),
            row("UDP: checksum wrong",
                with(UDP_TO_BOUND_PORT, TRANSPORT + 6, u8(UDP_TO_BOUND_PORT, TRANSPORT + 6) ^ 0x10),
                DropReason.UDP_BAD_CHECKSUM, Reply.NONE),
            row("UDP: checksum 0 (none computed) to a bound socket is delivered, RFC 768 (literal)",
                hex(TestFrames.UDP_NO_CHECKSUM_HEX), DELIVERED, Reply.NONE),
            row("UDP: to a bound socket",
                UDP_TO_BOUND_PORT, DELIVERED, Reply.NONE),
            row("UDP: to a bound socket at the directed broadcast",
                udp(BROADCAST_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, PEER_PORT, BOUND_PORT, text("all")),
                DELIVERED, Reply.NONE),
            row("UDP: to a bound socket at the limited broadcast",
                udp(BROADCAST_MAC, PEER_ADDRESS, LIMITED_BROADCAST, PEER_PORT, BOUND_PORT, text("all")),
                DELIVERED, Reply.NONE),
            row("UDP: length field one past the end of the IP payload",
                withShort(UDP_TO_BOUND_PORT, TRANSPORT + 4, UDP_TO_BOUND_PORT.length - TRANSPORT + 1),
                DropReason.UDP_BAD_LENGTH, Reply.NONE),
            row("UDP: length field 7, shorter than the header",
                withShort(UDP_TO_BOUND_PORT, TRANSPORT + 4, 7), DropReason.UDP_BAD_LENGTH, Reply.NONE),
            row("UDP: 4 bytes, shorter than a header",
                ipv4(OUR_MAC, PEER_MAC, PEER_ADDRESS, OUR_ADDRESS, Ipv4Packet.PROTOCOL_UDP, bytes(4, 1)),
                DropReason.UDP_TRUNCATED, Reply.NONE),

            // ---------------------------------------------------------------- TCP
            row("TCP: SYN to a closed port from Linux (literal) is answered with RST|ACK, ack = seq + 1",
                hex(TestFrames.TCP_SYN_HEX), DropReason.TCP_NO_CONNECTION, Reply.RST_ACK),
            row("TCP: SYN to a closed port is answered with RST|ACK",
                SYN, DropReason.TCP_NO_CONNECTION, Reply.RST_ACK),
            row("TCP: SYN with 5 bytes of data: ack = seq + 1 + 5",
                tcp(40002, 8080, ISN, 0, TcpSegment.FLAG_SYN, text("early")),
                DropReason.TCP_NO_CONNECTION, Reply.RST_ACK),
            row("TCP: FIN|PSH with 3 bytes of data, no ACK: ack = seq + 3 + 1",
                tcp(40002, 8080, -2, 0, TcpSegment.FLAG_FIN | TcpSegment.FLAG_PSH, text("bye")),
                DropReason.TCP_NO_CONNECTION, Reply.RST_ACK),
            row("TCP: segment with ACK is answered with RST, seq = its ack",
                tcp(40002, 8080, ISN, 0xA045_68FC, TcpSegment.FLAG_ACK | TcpSegment.FLAG_PSH, text("GET")),
                DropReason.TCP_NO_CONNECTION, Reply.RST),
            row("TCP: RST is never answered",
                tcp(40002, 8080, ISN, 0, TcpSegment.FLAG_RST, new byte[0]),
                DropReason.TCP_NO_CONNECTION, Reply.NONE),
            row("TCP: RST|ACK is never answered",
                tcp(40002, 8080, ISN, 1, TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK, new byte[0]),
                DropReason.TCP_NO_CONNECTION, Reply.NONE),
            row("TCP: SYN to the directed broadcast is not answered",
                tcp(BROADCAST_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, 40002, 8080, ISN, 0, TcpSegment.FLAG_SYN,
                    new byte[0]),
                DropReason.TCP_NO_CONNECTION, Reply.NONE),
            row("TCP: checksum wrong",
                with(SYN, TRANSPORT + TcpSegment.CHECKSUM_OFFSET, u8(SYN, TRANSPORT + 16) ^ 0x80),
                DropReason.TCP_BAD_CHECKSUM, Reply.NONE),
            row("TCP: data offset 4",
                with(SYN, TRANSPORT + TcpSegment.DATA_OFFSET_OFFSET, 0x40), DropReason.TCP_BAD_DATA_OFFSET,
                Reply.NONE),
            row("TCP: data offset 15, header past the end of the segment",
                with(SYN, TRANSPORT + TcpSegment.DATA_OFFSET_OFFSET, 0xF0), DropReason.TCP_BAD_DATA_OFFSET,
                Reply.NONE),
            row("TCP: 10 bytes, shorter than a header",
                ipv4(OUR_MAC, PEER_MAC, PEER_ADDRESS, OUR_ADDRESS, Ipv4Packet.PROTOCOL_TCP, bytes(10, 1)),
                DropReason.TCP_TRUNCATED, Reply.NONE));
    }

    @BeforeEach
    void startEngine()
    {
        harness = EngineHarness.start();
        harness.learn(PEER_ADDRESS, PEER_MAC);
        boundFd = harness.sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(boundFd >= 0, () -> Errno.describe(boundFd));
        assertEquals(0, harness.sockets().bind(boundFd, SockAddr.inet(0, BOUND_PORT)));
        harness.assertNothingTransmitted("binding a socket sends nothing");
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void eachFrameEndsInExactlyOneOutcomeAndGetsTheSpecifiedAnswer(
        final String name, final byte[] frame, final DropReason expectedDrop, final Reply expectedReply)
    {
        final EngineCounters counters = harness.counters();
        final long[] dropsBefore = drops(counters);
        final long rxFramesBefore = counters.rxFrames.get();
        final long deliveredBefore = counters.rxDelivered.get();

        harness.receive(frame);

        assertEquals(rxFramesBefore + 1, counters.rxFrames.get(), "rx_frames counts the frame once");
        assertTrue(counters.rxBalanced(), harness::diagnostics);
        assertEquals(deliveredBefore + (expectedDrop == DELIVERED ? 1 : 0), counters.rxDelivered.get(),
            () -> "rx_delivered\n" + harness.diagnostics());
        final long[] dropsAfter = drops(counters);
        for (final DropReason reason : DropReason.values())
        {
            assertEquals(dropsBefore[reason.ordinal()] + (reason == expectedDrop ? 1 : 0),
                dropsAfter[reason.ordinal()], () -> reason.label() + "\n" + harness.diagnostics());
        }

        final List<byte[]> transmitted = harness.takeTransmitted();
        if (expectedReply == Reply.NONE)
        {
            assertEquals(0, transmitted.size(), () -> "no reply expected:" + EngineHarness.describe(transmitted));
        }
        else
        {
            assertEquals(1, transmitted.size(), () -> "one reply expected:" + EngineHarness.describe(transmitted));
            expectedReply.verify(frame, transmitted.get(0));
        }
        assertEquals(0, harness.engine().framesAwaitingArp(), "every answer went out at once");

        final byte[] datagram = new byte[2048];
        final int received = harness.sockets().recvfrom(
            boundFd, datagram, 0, datagram.length, SocketConstants.MSG_DONTWAIT, null);
        if (expectedDrop == DELIVERED && isUdp(frame))
        {
            assertArrayEquals(udpPayload(frame), Arrays.copyOf(datagram, Math.max(received, 0)),
                "the socket receives the datagram's payload, no padding");
        }
        else
        {
            assertEquals(-Errno.EAGAIN, received, "nothing reaches the socket");
        }
    }

    @Test
    void datagramFromTheDirectedBroadcastSourceIsDroppedAndNeverAnswered()
    {
        // RFC 1122 3.2.1.3: { <Network-number>, -1 } MUST NOT be used as a source address, and a host MUST
        // silently discard a datagram whose source address is invalid by these rules.
        final byte[] frame = udp(OUR_MAC, DIRECTED_BROADCAST, OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("smurf"));

        harness.receive(frame);

        assertEquals(1, harness.counters().drops(DropReason.IPV4_BAD_SOURCE), harness::diagnostics);
        harness.assertNothingTransmitted("an ICMP error to 10.0.2.255 would be a broadcast");
    }

    @Test
    void echoRequestWhoseReplyJustFitsTheMtuIsAnswered()
    {
        final byte[] frame = echoRequest(1, 1, bytes(Ipv4Output.MAX_TRANSPORT_LENGTH - IcmpPacket.HEADER_LENGTH, 0));

        harness.receive(frame);

        final List<byte[]> transmitted = harness.takeTransmitted();
        assertEquals(1, transmitted.size(), harness::diagnostics);
        Reply.ECHO_REPLY.verify(frame, transmitted.get(0));
    }

    @Test
    void unicastDatagramSentAsLinkLayerBroadcastGetsNoIcmpError()
    {
        // RFC 1122 3.2.2: an ICMP error message MUST NOT be sent as the result of receiving a datagram sent as a
        // link-layer broadcast.
        final byte[] frame = udp(BROADCAST_MAC, PEER_ADDRESS, OUR_ADDRESS, PEER_PORT, CLOSED_PORT, text("x"));

        harness.receive(frame);

        assertEquals(1, harness.counters().drops(DropReason.UDP_NO_SOCKET), harness::diagnostics);
        harness.assertNothingTransmitted("no port unreachable for a link-layer broadcast");
    }

    @Test
    void socketRingTooSmallForAFullFrameIsRefusedAtConfigurationInsteadOfFailingOnTheFramePath()
    {
        final IllegalStateException error = assertThrows(IllegalStateException.class,
            () -> new EngineContext()
                .set(Setting.UDP_RECEIVE_RING_CAPACITY, 1024)
                .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", null, 1))
                .countersManager(EmbeddedStack.newCountersManager())
                .conclude());
        assertTrue(error.getMessage().contains("udpReceiveRingCapacity"), error.getMessage());
    }

    private static boolean isUdp(final byte[] frame)
    {
        return frame.length >= TRANSPORT && etherType(frame) == EthernetFrame.ETHER_TYPE_IPV4 &&
            ipProtocol(frame) == Ipv4Packet.PROTOCOL_UDP;
    }

    private static long[] drops(final EngineCounters counters)
    {
        final long[] drops = new long[DropReason.count()];
        for (final DropReason reason : DropReason.values())
        {
            drops[reason.ordinal()] = counters.drops(reason);
        }
        return drops;
    }

    private static void verifyIpv4Answer(final byte[] request, final byte[] reply, final int protocol)
    {
        assertEquals(mac(request, EthernetFrame.SOURCE_OFFSET), mac(reply, EthernetFrame.DESTINATION_OFFSET),
            "Ethernet dst = the sender's MAC");
        assertEquals(OUR_MAC, mac(reply, EthernetFrame.SOURCE_OFFSET), "Ethernet src = our MAC");
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, etherType(reply));
        assertEquals(0x45, u8(reply, IP), "IPv4, 20-byte header");
        assertTrue(isIpv4HeaderChecksumValid(reply), "IPv4 header checksum");
        assertEquals(EthernetFrame.HEADER_LENGTH + ipTotalLength(reply), reply.length, "frame = header + packet");
        assertEquals(0, u16(reply, IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET) & 0x3FFF, "not a fragment");
        assertTrue(u8(reply, IP + Ipv4Packet.TTL_OFFSET) > 0, "TTL");
        assertEquals(protocol, ipProtocol(reply), "protocol");
        assertEquals(ipDestination(request), ipSource(reply), "from the address the request was sent to");
        assertEquals(ipSource(request), ipDestination(reply), "to the sender");
    }

    private static void verifyUnreachable(final byte[] request, final byte[] reply, final int code)
    {
        verifyIpv4Answer(request, reply, Ipv4Packet.PROTOCOL_ICMP);
        final int icmp = transportOffset(reply);
        assertEquals(IcmpPacket.TYPE_DESTINATION_UNREACHABLE, u8(reply, icmp + IcmpPacket.TYPE_OFFSET), "type 3");
        assertEquals(code, u8(reply, icmp + IcmpPacket.CODE_OFFSET), "code");
        assertTrue(isIcmpChecksumValid(reply), "ICMP checksum");
        assertEquals(0, u32(reply, icmp + IcmpPacket.REST_OF_HEADER_OFFSET), "unused field is zero");
        final int quoted = ipHeaderLength(request) + Math.min(8, transportLength(request));
        assertEquals(IcmpPacket.HEADER_LENGTH + quoted, transportLength(reply), "quotes header + 8 bytes");
        assertArrayEquals(slice(request, IP, quoted), slice(reply, icmp + IcmpPacket.HEADER_LENGTH, quoted),
            "the original IP header and the first 8 bytes of its payload");
    }

    private static int verifyReset(final byte[] request, final byte[] reply, final int flags)
    {
        verifyIpv4Answer(request, reply, Ipv4Packet.PROTOCOL_TCP);
        final int tcp = transportOffset(reply);
        final int requestTcp = transportOffset(request);
        assertEquals(u16(request, requestTcp + TcpSegment.DESTINATION_PORT_OFFSET),
            u16(reply, tcp + TcpSegment.SOURCE_PORT_OFFSET), "from the port the segment was sent to");
        assertEquals(u16(request, requestTcp + TcpSegment.SOURCE_PORT_OFFSET),
            u16(reply, tcp + TcpSegment.DESTINATION_PORT_OFFSET), "to the sender's port");
        assertEquals(flags, u8(reply, tcp + TcpSegment.FLAGS_OFFSET), "control bits");
        assertEquals(0x50, u8(reply, tcp + TcpSegment.DATA_OFFSET_OFFSET), "data offset 5, no options");
        assertEquals(TcpSegment.HEADER_LENGTH, transportLength(reply), "no data");
        assertTrue(isTransportChecksumValid(reply), "TCP checksum with pseudo-header");
        return tcp;
    }

    private static Arguments row(final String name, final byte[] frame, final DropReason drop, final Reply reply)
    {
        return arguments(name, frame, drop, reply);
    }

    private static byte[] text(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
