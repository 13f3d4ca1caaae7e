package io.ringstack.drivers.e1000;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * IPv4 TCP frames for the offload tests: built as the engine hands a segment to a device that cuts it (IP header
 * complete, the TCP checksum field holding the pseudo-header's sum with the whole TCP length, uncomplemented), and
 * the checks every segment on the wire must pass, with the engine's own {@link InternetChecksum}.
 */
public final class TcpFrames
{
    /** The MSS of a 1500-byte MTU with TCP timestamps, and the most such segments a 64 KiB IP packet holds. */
    public static final int MSS = 1448;
    public static final int SEGMENTS_OF_64_KIB = 45;
    public static final int SOURCE = 0x0A00_020F;
    public static final int DESTINATION = 0x0A00_0202;
    public static final int HEADERS = EthernetFrame.HEADER_LENGTH + Ipv4Packet.HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
    public static final int IP = EthernetFrame.HEADER_LENGTH;
    public static final int TCP = IP + Ipv4Packet.HEADER_LENGTH;

    private TcpFrames()
    {
    }

    /**
     * A frame of {@link #HEADERS} bytes of headers and {@code payload} bytes (a function of their index), off-heap.
     */
    public static UnsafeBuffer segment(final int payload, final int identification, final int sequence, final int flags)
    {
        final int length = HEADERS + payload;
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(length));
        frame.putLong(0, 0x0200_0000_0002_5254L);
        frame.putShort(EthernetFrame.ETHER_TYPE_OFFSET, (short)EthernetFrame.ETHER_TYPE_IPV4, BIG_ENDIAN);
        frame.putByte(IP, (byte)0x45);
        frame.putShort(IP + Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(length - IP), BIG_ENDIAN);
        frame.putShort(IP + Ipv4Packet.IDENTIFICATION_OFFSET, (short)identification, BIG_ENDIAN);
        frame.putShort(IP + Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, (short)Ipv4Packet.FLAG_DONT_FRAGMENT, BIG_ENDIAN);
        frame.putByte(IP + Ipv4Packet.TTL_OFFSET, (byte)64);
        frame.putByte(IP + Ipv4Packet.PROTOCOL_OFFSET, (byte)Ipv4Packet.PROTOCOL_TCP);
        frame.putInt(IP + Ipv4Packet.SOURCE_OFFSET, SOURCE, BIG_ENDIAN);
        frame.putInt(IP + Ipv4Packet.DESTINATION_OFFSET, DESTINATION, BIG_ENDIAN);
        frame.putShort(IP + Ipv4Packet.CHECKSUM_OFFSET,
            (short)InternetChecksum.compute(frame, IP, Ipv4Packet.HEADER_LENGTH), BIG_ENDIAN);
        frame.putShort(TCP, (short)80, BIG_ENDIAN);
        frame.putShort(TCP + 2, (short)40_000, BIG_ENDIAN);
        frame.putInt(TCP + TcpSegment.SEQUENCE_NUMBER_OFFSET, sequence, BIG_ENDIAN);
        frame.putInt(TCP + TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET, 0x0102_0304, BIG_ENDIAN);
        frame.putByte(TCP + TcpSegment.DATA_OFFSET_OFFSET, (byte)(TcpSegment.HEADER_LENGTH << 2));
        frame.putByte(TCP + TcpSegment.FLAGS_OFFSET, (byte)flags);
        frame.putShort(TCP + TcpSegment.WINDOW_OFFSET, (short)0xFFFF, BIG_ENDIAN);
        for (int i = 0; i < payload; i++)
        {
            frame.putByte(HEADERS + i, payloadByte(i));
        }
        frame.putShort(TCP + TcpSegment.CHECKSUM_OFFSET, (short)InternetChecksum.foldWithoutComplement(
            InternetChecksum.pseudoHeaderSum(SOURCE, DESTINATION, Ipv4Packet.PROTOCOL_TCP, length - TCP)), BIG_ENDIAN);
        return frame;
    }

    public static byte payloadByte(final int index)
    {
        return (byte)(index * 13 + 7);
    }

    /**
     * Assert that {@code frame} is a whole, correct segment: its IP total length, its IP header checksum and its
     * TCP checksum over the pseudo-header with its own length.
     */
    public static void assertChecksummed(final byte[] frame, final String what)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertEquals(frame.length - IP, buffer.getShort(IP + Ipv4Packet.TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF,
            what + ": IP total length");
        assertEquals(0, InternetChecksum.compute(buffer, IP, Ipv4Packet.HEADER_LENGTH), what + ": IP checksum");
        final long pseudoHeader =
            InternetChecksum.pseudoHeaderSum(SOURCE, DESTINATION, Ipv4Packet.PROTOCOL_TCP, frame.length - TCP);
        assertEquals(0, InternetChecksum.fold(InternetChecksum.sum(buffer, TCP, frame.length - TCP, pseudoHeader)),
            what + ": TCP checksum");
    }

    public static int identification(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getShort(IP + Ipv4Packet.IDENTIFICATION_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public static int sequence(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(TCP + TcpSegment.SEQUENCE_NUMBER_OFFSET, BIG_ENDIAN);
    }

    public static int flags(final byte[] frame)
    {
        return frame[TCP + TcpSegment.FLAGS_OFFSET] & 0xFF;
    }
}
