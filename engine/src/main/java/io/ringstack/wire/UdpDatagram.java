package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over a UDP datagram (RFC 768).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            Length             |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          Data ...                             |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@link #wrap} reads the 8-byte header once, in one read, and checks the Length field against the wrapped length;
 * after a {@link #VALID} wrap the header fields come from that read. The payload and the checksum are bounded by the
 * Length field, which may be shorter than the wrapped length.
 */
public final class UdpDatagram extends Flyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    /** Checksum field value of a sender that computed no checksum (RFC 768). */
    public static final int NO_CHECKSUM = 0;

    /** {@link #wrap} result: a well-formed datagram. */
    public static final int VALID = 0;
    /** {@link #wrap} result: fewer than {@link #HEADER_LENGTH} bytes. */
    public static final int TRUNCATED = -1;
    /** {@link #wrap} result: a Length field shorter than the header or longer than the wrapped length. */
    public static final int BAD_LENGTH = -2;

    /** The header: source port, destination port, Length, Checksum. */
    private long header;

    /**
     * Wrap a datagram for reading.
     *
     * @return {@link #VALID}, {@link #TRUNCATED} or {@link #BAD_LENGTH}; the accessors are usable only after
     * {@link #VALID}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!region(buffer, offset, length) || length < HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        header = UncheckedReads.longBigEndian(buffer, offset);
        final int udpLength = udpLength();
        if (udpLength < HEADER_LENGTH || udpLength > length)
        {
            return BAD_LENGTH;
        }
        return VALID;
    }

    public int sourcePort()
    {
        return (int)(header >>> 48);
    }

    public int destinationPort()
    {
        return (int)(header >>> 32) & 0xFFFF;
    }

    /**
     * @return the Length field: header plus data, in bytes.
     */
    public int udpLength()
    {
        return (int)(header >>> 16) & 0xFFFF;
    }

    public int checksum()
    {
        return (int)header & 0xFFFF;
    }

    /**
     * @return {@code true} if the sender sent {@link #NO_CHECKSUM}, or if the checksum over the IPv4 pseudo-header
     * and {@link #udpLength()} bytes verifies.
     */
    public boolean isChecksumValid(final int sourceAddress, final int destinationAddress)
    {
        return checksum() == NO_CHECKSUM || TransportChecksum.compute(
            buffer, offset, udpLength(), Ipv4Packet.PROTOCOL_UDP, sourceAddress, destinationAddress) == 0;
    }

    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength()
    {
        return udpLength() - HEADER_LENGTH;
    }

    /**
     * Write a UDP header in place with a zero checksum; write the payload, then {@link #writeChecksum}.
     *
     * @return the offset of the payload, {@code offset + HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int sourcePort,
        final int destinationPort,
        final int payloadLength)
    {
        buffer.putShort(offset + SOURCE_PORT_OFFSET, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + DESTINATION_PORT_OFFSET, (short)destinationPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + LENGTH_OFFSET, (short)(HEADER_LENGTH + payloadLength), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)NO_CHECKSUM, ByteOrder.BIG_ENDIAN);
        return offset + HEADER_LENGTH;
    }

    /**
     * Compute and store the checksum of the {@code udpLength}-byte datagram at {@code offset} with its IPv4
     * pseudo-header. A computed zero is sent as {@code 0xFFFF}, since zero means "no checksum" (RFC 768).
     */
    public static void writeChecksum(
        final MutableDirectBuffer buffer,
        final int offset,
        final int udpLength,
        final int sourceAddress,
        final int destinationAddress)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)NO_CHECKSUM, ByteOrder.BIG_ENDIAN);
        final int checksum = TransportChecksum.compute(
            buffer, offset, udpLength, Ipv4Packet.PROTOCOL_UDP, sourceAddress, destinationAddress);
        InternetChecksum.store(buffer, offset + CHECKSUM_OFFSET, checksum);
    }
}
