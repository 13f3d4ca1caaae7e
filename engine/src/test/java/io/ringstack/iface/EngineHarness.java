package io.ringstack.iface;

import io.ringstack.EmbeddedStack;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.phy.CapturingDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import static io.ringstack.iface.TestFrames.IP;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.etherType;
import static io.ringstack.iface.TestFrames.ipProtocol;
import static io.ringstack.iface.TestFrames.ipTotalLength;
import static io.ringstack.iface.TestFrames.isIcmpChecksumValid;
import static io.ringstack.iface.TestFrames.isIpv4HeaderChecksumValid;
import static io.ringstack.iface.TestFrames.isTransportChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An {@link EmbeddedStack} on QEMU's user-mode network as {@link TestFrames} sees it: 10.0.2.15/24, gateway
 * 10.0.2.2, MAC 52:54:00:12:34:56, speaking in whole frames.
 */
final class EngineHarness extends EmbeddedStack
{
    private EngineHarness(final UnaryOperator<EngineContext> customise)
    {
        super("harness",
            new InterfaceConfig(TestFrames.OUR_ADDRESS, 24, TestFrames.GATEWAY_ADDRESS, TestFrames.OUR_MAC),
            new CapturingDevice("capture0", TestFrames.OUR_MAC), customise);
    }

    static EngineHarness start()
    {
        return new EngineHarness(UnaryOperator.identity());
    }

    /**
     * @param customise changes to the default context, e.g. {@code ctx -> ctx.set(Setting.ARP_PENDING_CAPACITY, 2)}.
     */
    static EngineHarness start(final UnaryOperator<EngineContext> customise)
    {
        return new EngineHarness(customise);
    }

    List<byte[]> takeTransmitted()
    {
        return device().takeTransmitted();
    }

    /**
     * @return the one frame transmitted since the last take; fails if there were none or several.
     */
    byte[] takeOnlyTransmitted()
    {
        final List<byte[]> frames = device().takeTransmitted();
        if (frames.size() != 1)
        {
            fail("expected exactly one transmitted frame, got " + frames.size() + describe(frames));
        }
        return frames.get(0);
    }

    /**
     * Fail, showing what was sent, if anything was transmitted since the last take.
     */
    void assertNothingTransmitted(final String why)
    {
        final List<byte[]> frames = device().takeTransmitted();
        if (!frames.isEmpty())
        {
            fail(why + ": " + frames.size() + " frame(s) transmitted" + describe(frames));
        }
    }

    /**
     * Teach the engine a neighbour the way a neighbour usually introduces itself: an ARP request for our address.
     * The engine's reply is taken and discarded.
     */
    void learn(final int address, final long mac)
    {
        receive(TestFrames.arpRequest(mac, address, TestFrames.OUR_ADDRESS));
        final byte[] reply = takeOnlyTransmitted();
        assertEquals(mac, TestFrames.mac(reply, 0), "ARP reply goes to the neighbour");
    }

    /**
     * @return a UDP socket of the engine's, bound to {@code port} of any address (0: an ephemeral port).
     */
    int boundUdpSocket(final int port)
    {
        final int fd = sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
        assertEquals(0, sockets().bind(fd, SockAddr.inet(0, port)), "bind");
        return fd;
    }

    /**
     * Send {@code payload} from {@code sender} to {@code port} of 127.0.0.1, run the engine until it is idle, and
     * check that {@code receiver} got it whole.
     */
    void sendOverLoopbackAndReceive(final int sender, final int receiver, final int port, final byte[] payload)
    {
        assertEquals(payload.length, sockets().sendto(sender, payload, 0, payload.length, 0,
            SockAddr.inet(SocketConstants.INADDR_LOOPBACK, port)), this::diagnostics);
        runUntilIdle();
        final byte[] received = new byte[payload.length + 1];
        assertEquals(payload.length, sockets().recvfrom(
            receiver, received, 0, received.length, SocketConstants.MSG_DONTWAIT, null), this::diagnostics);
        assertArrayEquals(payload, Arrays.copyOf(received, payload.length));
    }

    /**
     * What the engine sends is a frame a strict receiver accepts: our source MAC, a length the link carries, and
     * every header and checksum right.
     */
    static void assertWellFormed(final byte[] frame)
    {
        assertTrue(frame.length >= EthernetFrame.HEADER_LENGTH && frame.length <= EthernetFrame.MAX_FRAME_LENGTH,
            "length");
        assertEquals(OUR_MAC, mac(frame, EthernetFrame.SOURCE_OFFSET), "source MAC");
        switch (etherType(frame))
        {
            case EthernetFrame.ETHER_TYPE_ARP:
                assertTrue(frame.length >= IP + ArpPacket.LENGTH, "whole ARP packet");
                assertEquals(OUR_MAC, mac(frame, IP + ArpPacket.SENDER_MAC_OFFSET), "ARP sender MAC");
                break;
            case EthernetFrame.ETHER_TYPE_IPV4:
                assertEquals(0x45, frame[IP] & 0xFF, "IPv4 without options");
                assertTrue(isIpv4HeaderChecksumValid(frame), "IPv4 header checksum");
                assertEquals(frame.length, IP + ipTotalLength(frame), "total length matches the frame");
                switch (ipProtocol(frame))
                {
                    case Ipv4Packet.PROTOCOL_ICMP:
                        assertTrue(isIcmpChecksumValid(frame), "ICMP checksum");
                        break;
                    case Ipv4Packet.PROTOCOL_UDP:
                    case Ipv4Packet.PROTOCOL_TCP:
                        assertTrue(isTransportChecksumValid(frame), "transport checksum");
                        break;
                    default:
                        fail("the engine only sends ICMP, UDP and TCP");
                }
                break;
            default:
                fail("EtherType " + Integer.toHexString(etherType(frame)));
        }
    }

    static String describe(final List<byte[]> frames)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte[] frame : frames)
        {
            text.append("\n  ").append(TestFrames.describe(frame));
        }
        return text.toString();
    }
}
