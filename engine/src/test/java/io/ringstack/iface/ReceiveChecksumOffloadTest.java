package io.ringstack.iface;

import io.ringstack.errno.Errno;
import io.ringstack.phy.FrameHandler;
import io.ringstack.socket.SocketConstants;
import io.ringstack.wire.TcpSegment;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.TRANSPORT;
import static io.ringstack.iface.TestFrames.ascii;
import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.fragments;
import static io.ringstack.iface.TestFrames.tcp;
import static io.ringstack.iface.TestFrames.u8;
import static io.ringstack.iface.TestFrames.udp;
import static io.ringstack.iface.TestFrames.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Receive checksum offload, Linux's {@code CHECKSUM_UNNECESSARY}: a frame the device hands over with
 * {@link FrameHandler#CHECKSUM_GOOD} has its TCP or UDP checksum taken as right and is not summed again; every other
 * frame is checked. The frames below carry a wrong transport checksum on purpose, so that which of the two happened
 * shows in the verdict. A fragment's mark does not reach its datagram: a reassembled datagram is always checked.
 */
class ReceiveChecksumOffloadTest
{
    private static final int BOUND_PORT = 7777;
    private static final int PEER_PORT = 40000;
    private static final byte[] UDP_WRONG_CHECKSUM = wrongUdpChecksum(udp(PEER_PORT, BOUND_PORT, ascii("vouched")));
    private static final byte[] SYN = tcp(40002, 8080, 0x0FC8_DB25, 0, TcpSegment.FLAG_SYN, new byte[0]);
    private static final byte[] SYN_WRONG_CHECKSUM =
        with(SYN, TRANSPORT + TcpSegment.CHECKSUM_OFFSET, u8(SYN, TRANSPORT + TcpSegment.CHECKSUM_OFFSET) ^ 0x80);

    private EngineHarness harness;
    private int boundFd;

    @BeforeEach
    void startEngine()
    {
        harness = EngineHarness.start();
        harness.learn(PEER_ADDRESS, PEER_MAC);
        boundFd = harness.boundUdpSocket(BOUND_PORT);
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @Test
    void aUdpDatagramWithAWrongChecksumIsDroppedWhenTheDeviceDidNotCheckIt()
    {
        harness.receive(UDP_WRONG_CHECKSUM);

        assertEquals(1, harness.counters().drops(DropReason.UDP_BAD_CHECKSUM), harness::diagnostics);
        assertEquals(-Errno.EAGAIN, receive(), "nothing reaches the socket");
    }

    @Test
    void aUdpDatagramTheDeviceVouchedForIsDeliveredWithoutBeingSummed()
    {
        harness.device().receiveOffloads(FrameHandler.CHECKSUM_GOOD);

        harness.receive(UDP_WRONG_CHECKSUM);

        assertEquals(0, harness.counters().drops(DropReason.UDP_BAD_CHECKSUM), harness::diagnostics);
        assertEquals("vouched".length(), receive(), "the datagram reaches the socket");
    }

    @Test
    void aTcpSegmentWithAWrongChecksumIsDroppedUnlessTheDeviceVouchedForIt()
    {
        harness.receive(SYN_WRONG_CHECKSUM);
        assertEquals(1, harness.counters().drops(DropReason.TCP_BAD_CHECKSUM), harness::diagnostics);
        harness.assertNothingTransmitted("a segment with a wrong checksum is not answered");

        harness.device().receiveOffloads(FrameHandler.CHECKSUM_GOOD);
        harness.receive(SYN_WRONG_CHECKSUM);

        assertEquals(1, harness.counters().drops(DropReason.TCP_BAD_CHECKSUM), harness::diagnostics);
        assertEquals(1, harness.counters().drops(DropReason.TCP_NO_CONNECTION), harness::diagnostics);
        assertEquals(1, harness.takeTransmitted().size(), "the SYN to a closed port is answered with a reset");
    }

    @Test
    void fragmentsTheDeviceVouchedForStillHaveTheirDatagramChecked()
    {
        harness.device().receiveOffloads(FrameHandler.CHECKSUM_GOOD);
        final List<byte[]> pieces = fragments(wrongUdpChecksum(udp(PEER_PORT, BOUND_PORT, bytes(3000, 7))), 0, 1480);

        pieces.forEach(harness::receive);

        assertEquals(pieces.size(), harness.counters().drops(DropReason.UDP_BAD_CHECKSUM),
            "each fragment is counted with its datagram's fate\n" + harness.diagnostics());
        assertEquals(-Errno.EAGAIN, receive(), "nothing reaches the socket");
    }

    private int receive()
    {
        final byte[] datagram = new byte[4096];
        return harness.sockets().recvfrom(boundFd, datagram, 0, datagram.length, SocketConstants.MSG_DONTWAIT, null);
    }

    private static byte[] wrongUdpChecksum(final byte[] frame)
    {
        return with(frame, TRANSPORT + 6, u8(frame, TRANSPORT + 6) ^ 0x10);
    }
}
