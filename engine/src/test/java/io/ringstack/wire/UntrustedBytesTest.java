package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property: whatever bytes arrive, {@code wrap} never throws, and after a {@code VALID} wrap no accessor throws and
 * the payload lies inside the wrapped region.
 * Each input sits at the very end of a buffer of exactly {@code offset + length} bytes, so with Agrona's bounds
 * checks on, a read past the wrapped region throws; at offset 0 a read before it throws too.
 */
class UntrustedBytesTest
{
    private static final long SEED = 0x5EED_2026_0001L;
    private static final int ITERATIONS = 200_000;
    private static final int MAX_GARBAGE_LENGTH = 80;
    private static final int MAX_PADDING_LENGTH = 24;
    /** Each flyweight must have been VALID, and so had its accessors called, at least this often. */
    private static final int MIN_VALID_WRAPS = 1_000;

    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();
    private final TcpSegment tcp = new TcpSegment();
    private final TcpOptions tcpOptions = new TcpOptions();
    private final int[] validCounts = new int[6];
    private long sink;

    @Test
    void garbageAndMutilatedGoldenFramesNeverThrowFromWrapOrAnyAccessor()
    {
        assertTrue(DirectBuffer.SHOULD_BOUNDS_CHECK, "without Agrona's bounds checks this property proves nothing");
        final List<byte[]> seeds = seeds();
        final Random random = new Random(SEED);

        for (int i = 0; i < ITERATIONS; i++)
        {
            final byte[] input = nextInput(random, seeds);
            final int offset = random.nextBoolean() ? 0 : 1 + random.nextInt(8);
            final byte[] backing = new byte[offset + input.length];
            random.nextBytes(backing);
            System.arraycopy(input, 0, backing, offset, input.length);
            try
            {
                exercise(new UnsafeBuffer(backing), offset, input.length, random.nextInt(), random.nextInt());
            }
            catch (final RuntimeException | AssertionError ex)
            {
                throw new AssertionError("iteration " + i + ", offset " + offset + ", bytes " +
                    GoldenFrames.hex(new UnsafeBuffer(input), 0, input.length), ex);
            }
        }

        final String[] names = {"ARP", "IPv4", "ICMP", "UDP", "TCP", "TCP options"};
        for (int i = 0; i < names.length; i++)
        {
            assertTrue(validCounts[i] >= MIN_VALID_WRAPS, names[i] + " was VALID only " + validCounts[i] + " times");
        }
    }

    private void exercise(
        final DirectBuffer buffer, final int offset, final int length, final int source, final int destination)
    {
        if (arp.wrap(buffer, offset, length) == ArpPacket.VALID)
        {
            validCounts[0]++;
            sink += arp.operation() + arp.senderMac() + arp.senderAddress() + arp.targetMac() + arp.targetAddress();
        }
        if (ip.wrap(buffer, offset, length) == Ipv4Packet.VALID)
        {
            validCounts[1]++;
            sink += ip.version() + ip.headerLength() + ip.dscpEcn() + ip.totalLength() + ip.identification() +
                (ip.dontFragment() ? 1 : 0) + (ip.moreFragments() ? 1 : 0) + ip.fragmentOffset() +
                (ip.isFragment() ? 1 : 0) + ip.ttl() + ip.protocol() + ip.headerChecksum() + ip.source() +
                ip.destination() + (ip.isChecksumValid() ? 1 : 0);
            assertPayloadInside(offset, length, ip.payloadOffset(), ip.payloadLength());
            exerciseTransport(buffer, ip.payloadOffset(), ip.payloadLength(), ip.source(), ip.destination());
        }
        exerciseTransport(buffer, offset, length, source, destination);
    }

    private void exerciseTransport(
        final DirectBuffer buffer, final int offset, final int length, final int source, final int destination)
    {
        if (icmp.wrap(buffer, offset, length) == IcmpPacket.VALID)
        {
            validCounts[2]++;
            sink += icmp.type() + icmp.code() + icmp.checksum() + (icmp.isChecksumValid() ? 1 : 0) +
                icmp.identifier() + icmp.sequence() + icmp.restOfHeader() + icmp.payloadOffset() +
                icmp.payloadLength();
            assertPayloadInside(offset, length, icmp.payloadOffset(), icmp.payloadLength());
        }
        if (udp.wrap(buffer, offset, length) == UdpDatagram.VALID)
        {
            validCounts[3]++;
            sink += udp.sourcePort() + udp.destinationPort() + udp.udpLength() + udp.checksum() +
                (udp.isChecksumValid(source, destination) ? 1 : 0) + udp.payloadOffset() + udp.payloadLength();
            assertPayloadInside(offset, length, udp.payloadOffset(), udp.payloadLength());
        }
        if (tcp.wrap(buffer, offset, length) == TcpSegment.VALID)
        {
            validCounts[4]++;
            sink += tcp.sourcePort() + tcp.destinationPort() + tcp.sequenceNumber() + tcp.acknowledgmentNumber() +
                tcp.dataOffset() + tcp.flags() + (tcp.isSyn() ? 1 : 0) + tcp.window() + tcp.checksum() +
                tcp.urgentPointer() + (tcp.isChecksumValid(source, destination) ? 1 : 0) + tcp.payloadOffset() +
                tcp.payloadLength();
            assertPayloadInside(offset, length, tcp.payloadOffset(), tcp.payloadLength());
            assertPayloadInside(offset, length, tcp.optionsOffset(), tcp.optionsLength());
            if (tcpOptions.wrap(buffer, tcp.optionsOffset(), tcp.optionsLength()) == TcpOptions.VALID)
            {
                validCounts[5]++;
                sink += tcpOptions.mss() + tcpOptions.windowScale() + tcpOptions.timestampValue() +
                    tcpOptions.timestampEcho() + (tcpOptions.isSackPermitted() ? 1 : 0);
                for (int i = 0; i < tcpOptions.sackBlockCount(); i++)
                {
                    sink += tcpOptions.sackLeft(i) + tcpOptions.sackRight(i);
                }
            }
        }
    }

    private static void assertPayloadInside(
        final int offset, final int length, final int payloadOffset, final int payloadLength)
    {
        assertTrue(payloadLength >= 0 && payloadOffset >= offset && payloadOffset + payloadLength <= offset + length,
            () -> "payload [" + payloadOffset + ", +" + payloadLength + ") outside [" + offset + ", +" + length + ")");
    }

    /**
     * Every golden frame from its network header, and from its transport header when it has one.
     */
    private static List<byte[]> seeds()
    {
        final List<byte[]> seeds = new ArrayList<>();
        for (final String hex : GoldenFrames.ALL)
        {
            final byte[] frame = GoldenFrames.bytes(hex);
            final int network = EthernetFrame.HEADER_LENGTH;
            seeds.add(Arrays.copyOfRange(frame, network, frame.length));
            if ((frame[network] & 0xF0) == 0x40)
            {
                seeds.add(Arrays.copyOfRange(frame, network + ((frame[network] & 0xF) << 2), frame.length));
            }
        }
        return seeds;
    }

    /**
     * One of: random garbage, a seed cut short, a seed with a few random bytes, a seed with a random run of up to
     * eight bytes, or a seed followed by random trailing bytes (link-layer padding).
     */
    private static byte[] nextInput(final Random random, final List<byte[]> seeds)
    {
        final byte[] seed = seeds.get(random.nextInt(seeds.size()));
        switch (random.nextInt(5))
        {
            case 0:
                final byte[] garbage = new byte[random.nextInt(MAX_GARBAGE_LENGTH + 1)];
                random.nextBytes(garbage);
                return garbage;

            case 1:
                return Arrays.copyOf(seed, random.nextInt(seed.length + 1));

            case 2:
                final byte[] flipped = seed.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--)
                {
                    flipped[random.nextInt(flipped.length)] = (byte)random.nextInt(256);
                }
                return flipped;

            case 3:
                final byte[] scrambled = seed.clone();
                final int start = random.nextInt(scrambled.length);
                final int end = start + random.nextInt(Math.min(8, scrambled.length - start) + 1);
                for (int i = start; i < end; i++)
                {
                    scrambled[i] = (byte)random.nextInt(256);
                }
                return scrambled;

            default:
                final byte[] padded = Arrays.copyOf(seed, seed.length + random.nextInt(MAX_PADDING_LENGTH + 1));
                for (int i = seed.length; i < padded.length; i++)
                {
                    padded[i] = (byte)random.nextInt(256);
                }
                return padded;
        }
    }
}
