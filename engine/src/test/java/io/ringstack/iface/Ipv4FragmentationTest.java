package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.iface.TestFrames.IP;
import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.echoRequest;
import static io.ringstack.iface.TestFrames.fragmentShape;
import static io.ringstack.iface.TestFrames.fragments;
import static io.ringstack.iface.TestFrames.ipDestination;
import static io.ringstack.iface.TestFrames.ipProtocol;
import static io.ringstack.iface.TestFrames.ipSource;
import static io.ringstack.iface.TestFrames.ipTotalLength;
import static io.ringstack.iface.TestFrames.ipv4;
import static io.ringstack.iface.TestFrames.isIcmpChecksumValid;
import static io.ringstack.iface.TestFrames.isTransportChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static io.ringstack.iface.TestFrames.reassemble;
import static io.ringstack.iface.TestFrames.slice;
import static io.ringstack.iface.TestFrames.u16;
import static io.ringstack.iface.TestFrames.u8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fragmentation on send (RFC 791 3.2, RFC 1122 3.3.3): a datagram larger than the route's 1500-byte MTU leaves in
 * fragments of 1480 bytes of data, Don't Fragment clear, one identification, More Fragments on all but the last,
 * whether it is an echo reply to a large ping, a UDP datagram to the wire or one over a loopback set to the same MTU
 * (its default is 64 KiB, as Linux's {@code lo}), where the engine's own reassembly puts it back together for the
 * socket. The shape of every fragment is golden:
 * {@code offset/MF/Total Length}.
 */
class Ipv4FragmentationTest
{
    private static final int PORT = 7777;
    private static final int PEER_PORT = 40000;
    private static final int LARGEST_PAYLOAD = 65507;

    private EngineHarness harness;

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @Test
    void echoRequestOf3000BytesInFragmentsIsAnsweredWithAFragmentedReplyCarryingTheSameData()
    {
        start(UnaryOperator.identity());
        final byte[] request = echoRequest(0x0E5F, 9, bytes(3000, 0x11));

        for (final byte[] fragment : fragments(request, 0, 1480, 2960))
        {
            harness.receive(fragment);
        }

        final List<byte[]> reply = harness.takeTransmitted();
        assertShapes(reply, "0/1/1500", "1480/1/1500", "2960/0/68");
        final byte[] icmp = reassemble(reply);
        for (final byte[] fragment : reply)
        {
            assertEquals(PEER_MAC, mac(fragment, 0), "to the peer's MAC");
            assertEquals(Ipv4Packet.PROTOCOL_ICMP, ipProtocol(fragment));
            assertEquals(OUR_ADDRESS, ipSource(fragment));
            assertEquals(PEER_ADDRESS, ipDestination(fragment));
        }
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, u8(icmp, IcmpPacket.TYPE_OFFSET), "echo reply");
        assertEquals(0x0E5F, u16(icmp, IcmpPacket.IDENTIFIER_OFFSET), "identifier");
        assertEquals(9, u16(icmp, IcmpPacket.SEQUENCE_OFFSET), "sequence");
        assertTrue(isIcmpChecksumValid(ipv4(PEER_MAC, OUR_MAC, OUR_ADDRESS, PEER_ADDRESS, Ipv4Packet.PROTOCOL_ICMP,
            icmp)), "ICMP checksum over the whole reassembled message");
        assertArrayEquals(slice(request, IP + Ipv4Packet.HEADER_LENGTH + IcmpPacket.HEADER_LENGTH, 3000),
            slice(icmp, IcmpPacket.HEADER_LENGTH, 3000), "the request's data");
        assertEquals(3, harness.counters().rxDelivered.get() - 1, harness::diagnostics);
    }

    @Test
    void echoRequestInOneJumboFrameIsAnsweredInFragments()
    {
        // A 9000-byte ping over a jumbo link arrives whole; the reply leaves over our 1500-byte MTU.
        start(UnaryOperator.identity());
        final byte[] request = echoRequest(1, 1, bytes(8972, 0));

        harness.receive(request);

        final List<byte[]> reply = harness.takeTransmitted();
        assertEquals(7, reply.size(), harness::diagnostics);
        assertEquals("8880/0/120", fragmentShape(reply.get(6)));
        assertArrayEquals(slice(request, IP + Ipv4Packet.HEADER_LENGTH + IcmpPacket.HEADER_LENGTH, 8972),
            slice(reassemble(reply), IcmpPacket.HEADER_LENGTH, 8972));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1473, 8000, LARGEST_PAYLOAD})
    void udpDatagramPastTheMtuReachesTheWireInFragments(final int payloadLength)
    {
        start(UnaryOperator.identity());
        final int fd = harness.boundUdpSocket(0);
        final byte[] payload = bytes(payloadLength, 0x42);

        assertEquals(payloadLength, harness.sockets().sendto(fd, payload, 0, payloadLength, 0,
            SockAddr.inet(PEER_ADDRESS, PEER_PORT)), harness::diagnostics);
        harness.runUntilIdle();

        final List<byte[]> sent = harness.takeTransmitted();
        final int udpLength = UdpDatagram.HEADER_LENGTH + payloadLength;
        assertShapes(sent, expectedShapes(udpLength));
        final byte[] udp = reassemble(sent);
        assertEquals(udpLength, udp.length);
        assertEquals(udpLength, u16(udp, UdpDatagram.LENGTH_OFFSET), "UDP length");
        assertEquals(PEER_PORT, u16(udp, UdpDatagram.DESTINATION_PORT_OFFSET));
        assertTrue(isTransportChecksumValid(ipv4(PEER_MAC, OUR_MAC, OUR_ADDRESS, PEER_ADDRESS,
            Ipv4Packet.PROTOCOL_UDP, udp)), "UDP checksum over the whole datagram");
        assertArrayEquals(payload, Arrays.copyOfRange(udp, UdpDatagram.HEADER_LENGTH, udpLength));
        assertEquals(sent.size(), harness.counters().txFrames.get() - 1, "one frame per fragment after the ARP reply");
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1473, 8000, LARGEST_PAYLOAD})
    void udpDatagramPastTheMtuOverLoopbackIsReassembledForTheSocket(final int payloadLength)
    {
        start(UnaryOperator.identity());
        final int receiver = harness.boundUdpSocket(PORT);
        final int sender = harness.boundUdpSocket(0);
        final byte[] payload = bytes(payloadLength, 0x24);

        assertEquals(payloadLength, harness.sockets().sendto(sender, payload, 0, payloadLength, 0,
            SockAddr.inet(SocketConstants.INADDR_LOOPBACK, PORT)), harness::diagnostics);
        harness.runUntilIdle();

        final byte[] received = new byte[65536];
        assertEquals(payloadLength, harness.sockets().recvfrom(
            receiver, received, 0, received.length, SocketConstants.MSG_DONTWAIT, null), harness::diagnostics);
        assertArrayEquals(payload, Arrays.copyOf(received, payloadLength));
        final int fragments = expectedShapes(UdpDatagram.HEADER_LENGTH + payloadLength).length;
        assertEquals(fragments, harness.counters().loopbackFrames.get(), harness::diagnostics);
        assertEquals(fragments, harness.counters().rxIpv4Fragments.get(), harness::diagnostics);
        assertEquals(1, harness.counters().ipv4Reassembled.get(), harness::diagnostics);
        harness.assertNothingTransmitted("loopback never reaches the device");
    }

    @Test
    void udpPayloadPastTheLargestDatagramIsRefusedWithEmsgsize()
    {
        start(UnaryOperator.identity());
        final int fd = harness.boundUdpSocket(0);
        final byte[] payload = new byte[LARGEST_PAYLOAD + 1];

        assertEquals(-Errno.EMSGSIZE, harness.sockets().sendto(fd, payload, 0, payload.length, 0,
            SockAddr.inet(PEER_ADDRESS, PEER_PORT)));
        harness.assertNothingTransmitted("nothing of a datagram too large for IPv4");
    }

    @Test
    void datagramWhoseFragmentsDoNotAllFitTheLoopbackRingIsRefusedWhole()
    {
        // 16 KiB holds ten 1514-byte frames: not the 45 fragments of the largest datagram.
        start((context) -> context.set(Setting.LOOPBACK_RING_CAPACITY, 16 * 1024));
        final int receiver = harness.boundUdpSocket(PORT);
        final int sender = harness.boundUdpSocket(0);
        final byte[] payload = new byte[LARGEST_PAYLOAD];

        assertEquals(payload.length, harness.sockets().sendto(sender, payload, 0, payload.length, 0,
            SockAddr.inet(SocketConstants.INADDR_LOOPBACK, PORT)), "the send does not wait for the engine");
        harness.runUntilIdle();

        assertEquals(Errno.ENOBUFS, harness.sockets().socketError(sender), "which leaves ENOBUFS pending");
        assertEquals(1, harness.counters().drops(DropReason.LOOPBACK_RING_FULL), harness::diagnostics);
        assertEquals(0, harness.counters().loopbackFrames.get(), "no fragment left to time out");
        assertEquals(-Errno.EAGAIN, harness.sockets().recvfrom(
            receiver, new byte[16], 0, 16, SocketConstants.MSG_DONTWAIT, null));
    }

    private void start(final UnaryOperator<EngineContext> customise)
    {
        harness = EngineHarness.start((context) -> customise.apply(context.set(Setting.LOOPBACK_MTU, Ipv4Output.MTU)));
        harness.learn(PEER_ADDRESS, PEER_MAC);
    }


    /**
     * @return the shapes Linux gives a datagram of {@code transportLength} bytes over a 1500-byte MTU.
     */
    private static String[] expectedShapes(final int transportLength)
    {
        final List<String> shapes = new ArrayList<>();
        for (int start = 0; start < transportLength; start += 1480)
        {
            final int length = Math.min(1480, transportLength - start);
            final boolean more = start + length < transportLength;
            shapes.add(start + "/" + (more ? 1 : 0) + "/" + (Ipv4Packet.HEADER_LENGTH + length));
        }
        return shapes.toArray(new String[0]);
    }

    private static void assertShapes(final List<byte[]> fragments, final String... expected)
    {
        final List<String> shapes = new ArrayList<>();
        for (final byte[] fragment : fragments)
        {
            shapes.add(fragmentShape(fragment));
            assertEquals(0, u16(fragment, IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET) &
                Ipv4Packet.FLAG_DONT_FRAGMENT, "Don't Fragment clear");
            assertEquals(fragment.length, IP + ipTotalLength(fragment), "frame = headers + packet");
        }
        assertEquals(List.of(expected), shapes, "offset/MF/Total Length of every fragment");
    }
}
