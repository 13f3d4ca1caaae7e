package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an IPv4 packet (RFC 791), header options included.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |Version|  IHL  |   DSCP    |ECN|          Total Length         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |         Identification        |0|D|M|     Fragment Offset     |
 *  |                               | |F|F|                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Time to Live |    Protocol   |        Header Checksum        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Source Address                         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      Destination Address                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Options (IHL > 5) ...         |    Padding    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@link #wrap} reads the fixed header once, in three reads, and checks version, IHL and Total Length against the
 * wrapped length; after a {@link #VALID} wrap the fixed fields come from what it read, and the checksum of a header
 * without options is summed from the same words (RFC 1071) without reading the buffer again. The payload is bounded by
 * Total Length, not by the wrapped length, so the padding of a minimum-size Ethernet frame is never taken for data.
 * Addresses are {@code int}s, first octet most significant.
 */
public final class Ipv4Packet extends Flyweight
{
    public static final int VERSION_IHL_OFFSET = 0;
    public static final int DSCP_ECN_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    /** Length of a header without options, the minimum. */
    public static final int HEADER_LENGTH = 20;

    public static final int VERSION = 4;
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    /** The ECN field, the low two bits of the second octet (RFC 3168 section 5, figure 1). */
    public static final int ECN_MASK = 0b11;
    /** ECN field: not ECN-capable transport. */
    public static final int ECN_NOT_ECT = 0b00;
    /** ECN field: ECN-capable transport, ECT(1). */
    public static final int ECN_ECT_1 = 0b01;
    /** ECN field: ECN-capable transport, ECT(0), the codepoint RFC 3168 senders use. */
    public static final int ECN_ECT_0 = 0b10;
    /** ECN field: congestion experienced, set by a router instead of dropping an ECN-capable packet. */
    public static final int ECN_CE = 0b11;

    /** {@link #wrap} result: a well-formed packet. */
    public static final int VALID = 0;
    /** {@link #wrap} result: fewer than {@link #HEADER_LENGTH} bytes. */
    public static final int TRUNCATED = -1;
    /** {@link #wrap} result: the version field is not 4. */
    public static final int BAD_VERSION = -2;
    /** {@link #wrap} result: IHL below 5 words, or a header longer than the wrapped length. */
    public static final int BAD_HEADER_LENGTH = -3;
    /** {@link #wrap} result: Total Length shorter than the header or longer than the wrapped length. */
    public static final int BAD_TOTAL_LENGTH = -4;

    /** Bytes 0 to 7: version and IHL, DSCP and ECN, Total Length, Identification, flags and Fragment Offset. */
    private long firstWord;
    /** Bytes 8 to 15: TTL, Protocol, Header Checksum, Source Address. */
    private long secondWord;
    private int destination;

    /**
     * Wrap a packet for reading. {@code length} may exceed Total Length (link-layer padding).
     *
     * @return {@link #VALID}, {@link #TRUNCATED}, {@link #BAD_VERSION}, {@link #BAD_HEADER_LENGTH} or
     * {@link #BAD_TOTAL_LENGTH}; the accessors are usable only after {@link #VALID}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!region(buffer, offset, length) || length < HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        firstWord = UncheckedReads.longBigEndian(buffer, offset + VERSION_IHL_OFFSET);
        secondWord = UncheckedReads.longBigEndian(buffer, offset + TTL_OFFSET);
        destination = UncheckedReads.intBigEndian(buffer, offset + DESTINATION_OFFSET);
        if (version() != VERSION)
        {
            return BAD_VERSION;
        }
        final int headerLength = headerLength();
        if (headerLength < HEADER_LENGTH || headerLength > length)
        {
            return BAD_HEADER_LENGTH;
        }
        final int totalLength = totalLength();
        if (totalLength < headerLength || totalLength > length)
        {
            return BAD_TOTAL_LENGTH;
        }
        return VALID;
    }

    public int version()
    {
        return (int)(firstWord >>> 60);
    }

    /**
     * @return the header length in bytes (IHL * 4), options included.
     */
    public int headerLength()
    {
        return (int)(firstWord >>> 54) & 0x3C;
    }

    /**
     * @return the second octet: DSCP in the high six bits, ECN in the low two (RFC 2474, RFC 3168).
     */
    public int dscpEcn()
    {
        return (int)(firstWord >>> 48) & 0xFF;
    }

    public int totalLength()
    {
        return (int)(firstWord >>> 32) & 0xFFFF;
    }

    public int identification()
    {
        return (int)(firstWord >>> 16) & 0xFFFF;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /**
     * @return the fragment offset in 8-byte units.
     */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    /**
     * @return where this fragment's payload lies in its datagram, in bytes: {@link #fragmentOffset()} * 8.
     */
    public int fragmentByteOffset()
    {
        return fragmentOffset() << 3;
    }

    /**
     * @return {@code true} if this packet is part of a fragmented datagram: more fragments follow or it is not
     * the first.
     */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl()
    {
        return (int)(secondWord >>> 56);
    }

    /**
     * @return {@link #PROTOCOL_ICMP}, {@link #PROTOCOL_TCP}, {@link #PROTOCOL_UDP} or another IANA protocol number.
     */
    public int protocol()
    {
        return (int)(secondWord >>> 48) & 0xFF;
    }

    public int headerChecksum()
    {
        return (int)(secondWord >>> 32) & 0xFFFF;
    }

    public int source()
    {
        return (int)secondWord;
    }

    public int destination()
    {
        return destination;
    }

    /**
     * @return {@code true} if the header checksum, computed over the whole header including options, verifies.
     * A header without options is summed from the words {@link #wrap} read.
     */
    public boolean isChecksumValid()
    {
        final int headerLength = headerLength();
        if (headerLength != HEADER_LENGTH)
        {
            return InternetChecksum.compute(buffer, offset, headerLength) == 0;
        }
        final long sum = (firstWord >>> 32) + (firstWord & 0xFFFF_FFFFL) + (secondWord >>> 32) +
            (secondWord & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL);
        return InternetChecksum.fold(sum) == 0;
    }

    public int payloadOffset()
    {
        return offset + headerLength();
    }

    /**
     * @return Total Length minus the header length: excludes any link-layer padding after the packet.
     */
    public int payloadLength()
    {
        return totalLength() - headerLength();
    }

    /**
     * Write a 20-byte header without options in place: DSCP/ECN zero, Don't Fragment set, not a fragment,
     * then its checksum.
     *
     * @return the offset of the payload, {@code offset + HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int payloadLength,
        final int identification,
        final int ttl,
        final int protocol,
        final int source,
        final int destination)
    {
        return writeHeader(buffer, offset, 0, payloadLength, identification, FLAG_DONT_FRAGMENT, ttl, protocol, source,
            destination);
    }

    /**
     * Write a 20-byte header without options in place, with the DSCP/ECN octet, flags and fragment offset given,
     * then its checksum, which covers the ECN field (RFC 3168 section 5).
     *
     * @param dscpEcn                the second octet: DSCP in its high six bits, ECN ({@link #ECN_ECT_0} ...) in
     *                               its low two.
     * @param flagsAndFragmentOffset {@link #FLAG_DONT_FRAGMENT}, or {@link #FLAG_MORE_FRAGMENTS} or'ed with the
     *                               offset of the payload in the datagram in 8-byte units.
     * @return the offset of the payload, {@code offset + HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int dscpEcn,
        final int payloadLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int ttl,
        final int protocol,
        final int source,
        final int destination)
    {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)((VERSION << 4) | (HEADER_LENGTH >> 2)));
        buffer.putByte(offset + DSCP_ECN_OFFSET, (byte)dscpEcn);
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)(HEADER_LENGTH + payloadLength), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET_OFFSET, (short)flagsAndFragmentOffset, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + SOURCE_OFFSET, source, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + DESTINATION_OFFSET, destination, ByteOrder.BIG_ENDIAN);
        final int checksum = InternetChecksum.compute(buffer, offset, HEADER_LENGTH);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
        return offset + HEADER_LENGTH;
    }

    private int flagsAndFragmentOffset()
    {
        return (int)firstWord & 0xFFFF;
    }
}
