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

import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.ascii;
import static io.ringstack.iface.TestFrames.icmp;
import static io.ringstack.iface.TestFrames.ip;
import static io.ringstack.iface.TestFrames.withInt;
import static io.ringstack.iface.TestFrames.withShort;
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
    @CsvSource({ "0", "1", "4", "5", "11", "12" })
    void aSoftUnreachableIsCountedAndNotReported(final int code)
    {
        connect();
        receiveUnreachable(code, quoteOfOneDatagramSent());

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
        final byte[] payload = ascii("hello");
        assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0, destination));
        harness.runUntilIdle();
        final byte[] sent = harness.takeOnlyTransmitted();
        return Arrays.copyOfRange(sent, EthernetFrame.HEADER_LENGTH, EthernetFrame.HEADER_LENGTH + QUOTE_LENGTH);
    }

    private void receiveUnreachable(final int code, final byte[] quote)
    {
        harness.receive(icmp(OUR_MAC, PEER_ADDRESS, OUR_ADDRESS, IcmpPacket.TYPE_DESTINATION_UNREACHABLE, code, 0,
            quote));
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
