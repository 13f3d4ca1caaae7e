package io.ringstack.iface;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.ascii;
import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.icmp;
import static io.ringstack.iface.TestFrames.ip;
import static io.ringstack.iface.TestFrames.withInt;
import static io.ringstack.iface.TestFrames.withShort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ICMP destination unreachable about a datagram a connected UDP socket sent becomes that socket's error on its
 * next call (RFC 1122 4.1.3.3), as Linux reports it without {@code IP_RECVERR}: hard codes only, and only when the
 * quoted datagram is one the socket sent from this host (RFC 5927 section 4). Everything else is counted.
 */
class UdpIcmpErrorScenarioTest
{
    private static final int LOCAL_PORT = 40000;
    private static final int REMOTE_PORT = 7777;
    private static final int QUOTE_LENGTH = Ipv4Packet.HEADER_LENGTH + UdpDatagram.HEADER_LENGTH;

    private EngineHarness harness;
    private Sockets sockets;
    private int fd;

    @BeforeEach
    void startEngine()
    {
        harness = EngineHarness.start();
        harness.learn(PEER_ADDRESS, PEER_MAC);
        sockets = harness.sockets();
        fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
        assertEquals(0, sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, LOCAL_PORT)));
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @ParameterizedTest(name = "code {0} reports {1}")
    @CsvSource({
        "2, ENOPROTOOPT",
        "3, ECONNREFUSED",
        "6, ENETUNREACH",
        "7, EHOSTDOWN",
        "8, ENONET",
        "9, ENETUNREACH",
        "10, EHOSTUNREACH",
        "13, EHOSTUNREACH",
    })
    void aHardUnreachableBecomesTheConnectedSocketsNextError(final int code, final String error)
    {
        connect();
        final byte[] quote = quoteOfOneDatagramSent();

        receiveUnreachable(code, quote);

        final byte[] buffer = new byte[16];
        assertEquals(-errno(error), sockets.recvfrom(fd, buffer, 0, buffer.length, SocketConstants.MSG_DONTWAIT, null),
            "the next call reports it");
        assertEquals(-Errno.EAGAIN, sockets.recvfrom(fd, buffer, 0, buffer.length, SocketConstants.MSG_DONTWAIT, null),
            "once");
        assertEquals(0, harness.counters().drops(DropReason.ICMP_ERROR_NOT_REPORTED));
    }

    @ParameterizedTest(name = "code {0} is soft")
    @CsvSource({ "0", "1", "5", "11", "12" })
    void aSoftUnreachableIsCountedAndNotReported(final int code)
    {
        connect();
        receiveUnreachable(code, quoteOfOneDatagramSent());

        assertNotReported();
    }

    @Test
    void aFragmentationNeededLowersThePathMtuToWhichLaterDatagramsAreFragmented()
    {
        final byte[] payload = bytes(1400, 0);
        final SockAddr peer = SockAddr.inet(PEER_ADDRESS, REMOTE_PORT);
        final byte[] tooBig = sendOne(payload, peer);
        assertEquals("0/0/1428", TestFrames.fragmentShape(tooBig), "one frame");

        receiveUnreachable(IcmpPacket.CODE_FRAGMENTATION_NEEDED, 1280, quoteOf(tooBig));
        assertEquals(0, harness.counters().drops(DropReason.ICMP_ERROR_NOT_REPORTED));
        assertEquals(0, harness.counters().drops(DropReason.ICMP_PATH_MTU_NOT_LOWER));

        assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0, peer));
        harness.runUntilIdle();
        final List<byte[]> fragments = harness.takeTransmitted();
        assertEquals(List.of("0/1/1276", "1256/0/172"), fragments.stream().map(TestFrames::fragmentShape).toList(),
            "fragments of at most 1280 bytes (RFC 791 3.2)");
        final byte[] datagram = TestFrames.reassemble(fragments);
        assertArrayEquals(payload, Arrays.copyOfRange(datagram, UdpDatagram.HEADER_LENGTH, datagram.length));
    }

    @Test
    void aFragmentationNeededForAPortWithNoSocketLowersNothing()
    {
        final byte[] tooBig = sendOne(bytes(1400, 0), SockAddr.inet(PEER_ADDRESS, REMOTE_PORT));
        final byte[] quote =
            withShort(quoteOf(tooBig), Ipv4Packet.HEADER_LENGTH + UdpDatagram.SOURCE_PORT_OFFSET, LOCAL_PORT + 1);

        receiveUnreachable(IcmpPacket.CODE_FRAGMENTATION_NEEDED, 1280, quote);

        assertNotReported();
    }

    @Test
    void anUnconnectedSocketIsNotToldAsLinuxWithoutIpRecverr()
    {
        final byte[] quote = quoteOfOneDatagramSentTo(SockAddr.inet(PEER_ADDRESS, REMOTE_PORT));

        receiveUnreachable(IcmpPacket.CODE_PORT_UNREACHABLE, quote);

        assertNotReported();
    }

    @Test
    void aQuoteOfAnotherHostsDatagramIsNotReported()
    {
        connect();
        final byte[] quote = withInt(quoteOfOneDatagramSent(), Ipv4Packet.SOURCE_OFFSET, ip("10.0.2.99"));

        receiveUnreachable(IcmpPacket.CODE_PORT_UNREACHABLE, quote);

        assertNotReported();
    }

    @Test
    void aQuoteOfADatagramToAnotherPortIsNotReported()
    {
        connect();
        final byte[] quote = withShort(quoteOfOneDatagramSent(),
            Ipv4Packet.HEADER_LENGTH + UdpDatagram.DESTINATION_PORT_OFFSET, REMOTE_PORT + 1);

        receiveUnreachable(IcmpPacket.CODE_PORT_UNREACHABLE, quote);

        assertNotReported();
    }

    @Test
    void aQuoteShorterThanAHeaderAndEightBytesIsTruncated()
    {
        connect();
        final byte[] quote = Arrays.copyOf(quoteOfOneDatagramSent(), QUOTE_LENGTH - 1);

        receiveUnreachable(IcmpPacket.CODE_PORT_UNREACHABLE, quote);

        assertEquals(1, harness.counters().drops(DropReason.ICMP_TRUNCATED));
    }

    private void connect()
    {
        assertEquals(0, sockets.connect(fd, SockAddr.inet(PEER_ADDRESS, REMOTE_PORT)));
    }

    private byte[] quoteOfOneDatagramSent()
    {
        return quoteOfOneDatagramSentTo(null);
    }

    /**
     * Send one datagram and return what a router quotes of it: its IPv4 header and first eight bytes (RFC 792).
     */
    private byte[] quoteOfOneDatagramSentTo(final SockAddr destination)
    {
        return quoteOf(sendOne(ascii("hello"), destination));
    }

    private static byte[] quoteOf(final byte[] frame)
    {
        return Arrays.copyOfRange(frame, EthernetFrame.HEADER_LENGTH, EthernetFrame.HEADER_LENGTH + QUOTE_LENGTH);
    }

    private byte[] sendOne(final byte[] payload, final SockAddr destination)
    {
        assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0, destination));
        harness.runUntilIdle();
        return harness.takeOnlyTransmitted();
    }

    private void receiveUnreachable(final int code, final byte[] quote)
    {
        receiveUnreachable(code, 0, quote);
    }

    /**
     * @param nextHopMtu the low 16 bits of the word after the checksum (RFC 1191 section 4).
     */
    private void receiveUnreachable(final int code, final int nextHopMtu, final byte[] quote)
    {
        harness.receive(icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, IcmpPacket.TYPE_DESTINATION_UNREACHABLE, code,
            nextHopMtu, quote));
    }

    private void assertNotReported()
    {
        assertEquals(1, harness.counters().drops(DropReason.ICMP_ERROR_NOT_REPORTED));
        final byte[] buffer = new byte[16];
        assertEquals(-Errno.EAGAIN, sockets.recvfrom(fd, buffer, 0, buffer.length, SocketConstants.MSG_DONTWAIT, null));
        assertEquals(0, sockets.socketError(fd));
    }

    private static int errno(final String name)
    {
        try
        {
            return Errno.class.getField(name).getInt(null);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError("no errno " + name, ex);
        }
    }
}
