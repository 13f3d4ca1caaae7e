package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an ICMP message (RFC 792).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     Type      |     Code      |           Checksum            |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Rest of header                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data: echo payload, or the offending IP header + 8 bytes ... |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Rest of header of an echo request or reply:
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Identifier           |        Sequence Number        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Error messages leave the rest of the header unused (zero), except fragmentation needed, which carries the
 * next-hop MTU in its low 16 bits (RFC 1191).
 * <p>
 * {@link #wrap} checks the length once and reads the 8-byte header in one read; after a {@link #VALID} wrap its
 * fields come from that read. The
 * wrapped length is the whole message (the IPv4 payload length): the checksum covers all of it.
 */
public final class IcmpPacket extends Flyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OF_HEADER_OFFSET = 4;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /** Time exceeded code: the datagram's fragments did not all arrive in time (RFC 792, RFC 1122 3.2.2.4). */
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;

    /** {@link #wrap} result: a message with a complete header. */
    public static final int VALID = 0;
    /** {@link #wrap} result: fewer than {@link #HEADER_LENGTH} bytes. */
    public static final int TRUNCATED = -1;

    /** The header: type, code, checksum and the rest of the header, read once by {@link #wrap}. */
    private long header;

    /**
     * Wrap a message for reading.
     *
     * @return {@link #VALID} or {@link #TRUNCATED}; the accessors are usable only after {@link #VALID}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!region(buffer, offset, length) || length < HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        header = UncheckedReads.longBigEndian(buffer, offset);
        return VALID;
    }

    public int type()
    {
        return (int)(header >>> 56);
    }

    public int code()
    {
        return (int)(header >>> 48) & 0xFF;
    }

    public int checksum()
    {
        return (int)(header >>> 32) & 0xFFFF;
    }

    /**
     * @return {@code true} if the checksum, computed over the whole wrapped message, verifies.
     */
    public boolean isChecksumValid()
    {
        return InternetChecksum.compute(buffer, offset, length) == 0;
    }

    /**
     * @return the identifier of an echo request or reply.
     */
    public int identifier()
    {
        return (int)(header >>> 16) & 0xFFFF;
    }

    /**
     * @return the sequence number of an echo request or reply.
     */
    public int sequence()
    {
        return (int)header & 0xFFFF;
    }

    /**
     * @return bytes 4 to 7 of the header, whose meaning depends on the type.
     */
    public int restOfHeader()
    {
        return (int)header;
    }

    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength()
    {
        return length - HEADER_LENGTH;
    }

    /**
     * Write an ICMP header in place with a zero checksum; write the payload, then {@link #writeChecksum}.
     *
     * @return the offset of the payload, {@code offset + HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int code,
        final int restOfHeader)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + REST_OF_HEADER_OFFSET, restOfHeader, ByteOrder.BIG_ENDIAN);
        return offset + HEADER_LENGTH;
    }

    /**
     * Write an echo request or reply header (code 0) in place with a zero checksum.
     *
     * @return the offset of the payload, {@code offset + HEADER_LENGTH}.
     */
    public static int writeEchoHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int identifier,
        final int sequence)
    {
        return writeHeader(buffer, offset, type, 0, (identifier << 16) | (sequence & 0xFFFF));
    }

    /**
     * Compute and store the checksum of the {@code length}-byte message (header and payload) at {@code offset}.
     * The checksum field is zeroed first, so a message edited in place (request turned into reply) can be
     * checksummed again.
     */
    public static void writeChecksum(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)InternetChecksum.compute(buffer, offset, length),
            ByteOrder.BIG_ENDIAN);
    }
}
