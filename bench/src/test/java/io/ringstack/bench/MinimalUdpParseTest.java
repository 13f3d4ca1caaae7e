package io.ringstack.bench;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark's minimal parse makes the checks it claims: a frame the engine accepts gives its port, and one
 * flipped bit in each checked part gives 0.
 */
class MinimalUdpParseTest
{
    private static final int PORT = 7777;
    private static final int IPV4_HEADER = EthernetFrame.HEADER_LENGTH;
    private static final int IPV4_CHECKSUM = IPV4_HEADER + Ipv4Packet.CHECKSUM_OFFSET;
    private static final int[] FRAME_LENGTHS = { 64, 65, 67, 512, 1514 };

    @Test
    void validFramesOfEvenAndOddLengthsGiveTheirDestinationPort()
    {
        for (final int length : FRAME_LENGTHS)
        {
            assertEquals(PORT, parse(WireFrames.udp(length, PORT), length), "frame of " + length + " bytes");
        }
    }

    @Test
    void aFlippedBitAnywhereTheChecksCoverFailsTheParse()
    {
        // byte, bit, whether the IPv4 header checksum is made right again so that only the check named fails
        final int[][] flips = {
            { 5, 0x01, 0 },     // destination MAC
            { 12, 0x01, 0 },    // EtherType
            { 14, 0x10, 1 },    // version
            { 14, 0x01, 1 },    // header length
            { 16, 0x80, 1 },    // total length past the frame
            { 17, 0x20, 1 },    // total length short of the UDP datagram
            { 20, 0x20, 1 },    // more fragments
            { 21, 0x01, 1 },    // fragment offset
            { 22, 0x01, 0 },    // TTL: the header checksum
            { 23, 0x02, 1 },    // protocol
            { 33, 0x01, 1 },    // destination address
            { 38, 0x40, 0 },    // UDP length
            { 50, 0x01, 0 },    // payload: the UDP checksum
            { 64, 0x01, 0 },    // the odd last byte of a 65-byte frame: the UDP checksum
        };
        for (final int[] flip : flips)
        {
            final UnsafeBuffer frame = WireFrames.udp(65, PORT);
            frame.putByte(flip[0], (byte)(frame.getByte(flip[0]) ^ flip[1]));
            if (flip[2] == 1)
            {
                frame.putShort(IPV4_CHECKSUM, (short)0);
                frame.putShort(IPV4_CHECKSUM,
                    (short)InternetChecksum.compute(frame, IPV4_HEADER, Ipv4Packet.HEADER_LENGTH), ByteOrder.BIG_ENDIAN);
            }
            assertEquals(0, parse(frame, 65), "bit 0x" + Integer.toHexString(flip[1]) + " of byte " + flip[0]);
        }
    }

    @Test
    void aDatagramWithoutChecksumIsAcceptedWhateverItsPayload()
    {
        final UnsafeBuffer frame = WireFrames.udp(64, PORT);
        frame.putShort(40, (short)0);
        frame.putByte(50, (byte)(frame.getByte(50) ^ 0xFF));
        assertEquals(PORT, parse(frame, 64));
    }

    @Test
    void aFrameShorterThanItsHeadersFails()
    {
        assertEquals(0, parse(WireFrames.udp(64, PORT), 33));
    }

    private static int parse(final UnsafeBuffer frame, final int length)
    {
        return MinimalUdpParse.parse(frame, length, ENGINE_MAC, ENGINE_ADDRESS);
    }
}
