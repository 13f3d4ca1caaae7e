package io.ringstack.iface;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import io.ringstack.wire.UdpDatagram;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.TestFrames.BROADCAST_MAC;
import static io.ringstack.iface.TestFrames.DIRECTED_BROADCAST;
import static io.ringstack.iface.TestFrames.IP;
import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.arpReply;
import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.echoRequest;
import static io.ringstack.iface.TestFrames.etherType;
import static io.ringstack.iface.TestFrames.hex;
import static io.ringstack.iface.TestFrames.icmp;
import static io.ringstack.iface.TestFrames.ip;
import static io.ringstack.iface.TestFrames.ipHeaderLength;
import static io.ringstack.iface.TestFrames.ipProtocol;
import static io.ringstack.iface.TestFrames.ipTotalLength;
import static io.ringstack.iface.TestFrames.ipv4;
import static io.ringstack.iface.TestFrames.ipv4WithOptions;
import static io.ringstack.iface.TestFrames.isIcmpChecksumValid;
import static io.ringstack.iface.TestFrames.isIpv4HeaderChecksumValid;
import static io.ringstack.iface.TestFrames.isTransportChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static io.ringstack.iface.TestFrames.resealIpv4;
import static io.ringstack.iface.TestFrames.tcp;
import static io.ringstack.iface.TestFrames.u16;
import static io.ringstack.iface.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whatever arrives on the wire, the engine neither throws nor loses count: 200 000 frames of seeded random garbage
 * and of valid ARP, ICMP, UDP and TCP frames with bytes flipped, cut short, padded or with a length field lied
 * about, often with the IPv4 checksum made right again so that the damage reaches the layers above. The device
 * hands each frame over in a buffer of exactly its length, so any read past the end of a frame fails.
 * <p>
 * Properties: no error escapes a duty cycle; {@code rx_frames = rx_delivered + Σ drops} after every frame (the
 * harness checks it) and at each checkpoint; every frame the engine sends in answer is well-formed.
 */
class MalformedInputPropertyTest
{
    private static final long SEED = 0x5EED_2026_1124L;
    private static final int FRAMES = 200_000;
    private static final int CHECKPOINT = 10_000;
    private static final int MAX_LENGTH = 1600;
    private static final int BOUND_PORT = 7777;

    private final Random random = new Random(SEED);
    private EngineHarness harness;
    private int boundFd;
    private List<byte[]> templates;

    @BeforeEach
    void startEngine()
    {
        harness = EngineHarness.start();
        harness.learn(PEER_ADDRESS, PEER_MAC);
        boundFd = harness.sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertEquals(0, harness.sockets().bind(boundFd, SockAddr.inet(0, BOUND_PORT)));
        harness.takeTransmitted();
        templates = TestFrames.everyProtocol(BOUND_PORT);
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @Test
    void noFrameMakesTheEngineThrowOrLoseCountAndEveryAnswerIsWellFormed()
    {
        final EngineCounters counters = harness.counters();
        final long deviceFramesBefore = counters.deviceRxFrames.get();
        final byte[] datagram = new byte[2048];

        for (int i = 0; i < FRAMES; i++)
        {
            final byte[] frame = random.nextInt(4) == 0 ? garbage() : mutate(pick());
            try
            {
                harness.receive(frame);
                for (final byte[] sent : harness.takeTransmitted())
                {
                    EngineHarness.assertWellFormed(sent);
                }
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError("frame " + i + " of seed " + SEED + ": " + TestFrames.describe(frame), ex);
            }
            if (i % 100 == 99)
            {
                harness.advance(EngineHarness.TICK_NS);
            }
            if (i % 1000 == 999)
            {
                while (harness.sockets().recvfrom(
                    boundFd, datagram, 0, datagram.length, SocketConstants.MSG_DONTWAIT, null) >= 0)
                {
                    // drain what was delivered, so that deliveries keep happening
                }
            }
            if ((i + 1) % CHECKPOINT == 0)
            {
                final int injected = i + 1;
                assertEquals(0, harness.runner().errorCount(), () -> "errors after " + injected + " frames");
                assertTrue(counters.rxBalanced(), () -> "after " + injected + " frames\n" + harness.diagnostics());
                assertEquals(deviceFramesBefore + injected, counters.deviceRxFrames.get(), "every frame was taken");
            }
        }

        assertTrue(counters.rxDelivered.get() > FRAMES / 100, () -> "mutations reach delivery too\n" +
            harness.diagnostics());
        assertTrue(counters.drops(DropReason.UDP_BAD_LENGTH) > 0 &&
            counters.drops(DropReason.TCP_BAD_DATA_OFFSET) > 0 &&
            counters.drops(DropReason.IPV4_BAD_TOTAL_LENGTH) > 0 &&
            counters.drops(DropReason.ARP_TRUNCATED) > 0,
            () -> "mutations reach every layer's length checks\n" + harness.diagnostics());
    }

    private byte[] pick()
    {
        return templates.get(random.nextInt(templates.size()));
    }

    /**
     * Random bytes of random length; often behind a header that gets them past the Ethernet (and IPv4) checks.
     */
    private byte[] garbage()
    {
        final byte[] frame = new byte[random.nextInt(MAX_LENGTH + 1)];
        random.nextBytes(frame);
        if (frame.length >= EthernetFrame.HEADER_LENGTH && random.nextBoolean())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            final int etherType = random.nextInt(4) == 0 ? EthernetFrame.ETHER_TYPE_ARP : EthernetFrame.ETHER_TYPE_IPV4;
            EthernetFrame.writeHeader(buffer, 0, random.nextBoolean() ? OUR_MAC : BROADCAST_MAC, PEER_MAC, etherType);
            if (etherType == EthernetFrame.ETHER_TYPE_IPV4 && frame.length >= IP + Ipv4Packet.HEADER_LENGTH &&
                random.nextBoolean())
            {
                final int[] protocols = { Ipv4Packet.PROTOCOL_ICMP, Ipv4Packet.PROTOCOL_UDP, Ipv4Packet.PROTOCOL_TCP };
                Ipv4Packet.writeHeader(buffer, IP, frame.length - IP - Ipv4Packet.HEADER_LENGTH, random.nextInt(),
                    random.nextInt(256), protocols[random.nextInt(protocols.length)], PEER_ADDRESS,
                    random.nextBoolean() ? OUR_ADDRESS : DIRECTED_BROADCAST);
                return random.nextBoolean() ? TestFrames.resealTransport(frame) : frame;
            }
        }
        return frame;
    }

    private byte[] mutate(final byte[] template)
    {
        byte[] frame = template.clone();
        switch (random.nextInt(5))
        {
            case 0:
                frame = flipBytes(frame);
                break;
            case 1:
                frame = TestFrames.truncate(frame, random.nextInt(frame.length));
                break;
            case 2:
                frame = corruptLengthField(frame);
                break;
            case 3:
                frame = TestFrames.pad(frame, frame.length + random.nextInt(MAX_LENGTH - frame.length),
                    random.nextInt(256));
                break;
            default:
                frame = corruptLengthField(flipBytes(frame));
                break;
        }
        switch (random.nextInt(4))
        {
            case 0:
                return frame;
            case 1:
                return resealIpv4(frame);
            default:
                return TestFrames.resealTransport(resealIpv4(frame));
        }
    }

    private byte[] flipBytes(final byte[] frame)
    {
        final int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && frame.length > 0; i++)
        {
            frame[random.nextInt(frame.length)] = (byte)random.nextInt(256);
        }
        return frame;
    }

    /**
     * Lie in one length field: near its true value, at an edge, or anywhere.
     */
    private byte[] corruptLengthField(final byte[] frame)
    {
        if (frame.length < IP + Ipv4Packet.HEADER_LENGTH)
        {
            return frame;
        }
        if (etherType(frame) == EthernetFrame.ETHER_TYPE_ARP)
        {
            final int field = IP + (random.nextBoolean() ? ArpPacket.HARDWARE_LENGTH_OFFSET :
                ArpPacket.PROTOCOL_LENGTH_OFFSET);
            frame[field] = (byte)random.nextInt(256);
            return frame;
        }
        final int transport = IP + ipHeaderLength(frame);
        switch (random.nextInt(5))
        {
            case 0:
                putShort(frame, IP + Ipv4Packet.TOTAL_LENGTH_OFFSET, lie(ipTotalLength(frame)));
                break;
            case 1:
                frame[IP] = (byte)(0x40 | random.nextInt(16));
                break;
            case 2:
                if (transport + UdpDatagram.HEADER_LENGTH <= frame.length)
                {
                    putShort(frame, transport + UdpDatagram.LENGTH_OFFSET,
                        lie(u16(frame, transport + UdpDatagram.LENGTH_OFFSET)));
                }
                break;
            case 3:
                if (transport + TcpSegment.HEADER_LENGTH <= frame.length)
                {
                    frame[transport + TcpSegment.DATA_OFFSET_OFFSET] = (byte)(random.nextInt(16) << 4);
                }
                break;
            default:
                frame[IP + Ipv4Packet.PROTOCOL_OFFSET] = (byte)(random.nextBoolean() ? random.nextInt(256) :
                    new int[]{ 1, 6, 17 }[random.nextInt(3)]);
                break;
        }
        return frame;
    }

    private int lie(final int truth)
    {
        switch (random.nextInt(3))
        {
            case 0:
                return truth + random.nextInt(17) - 8;
            case 1:
                return new int[]{ 0, 1, 7, 8, 19, 20, 0xFFFF }[random.nextInt(7)];
            default:
                return random.nextInt(0x10000);
        }
    }

    private static void putShort(final byte[] frame, final int index, final int value)
    {
        frame[index] = (byte)(value >>> 8);
        frame[index + 1] = (byte)value;
    }
}
