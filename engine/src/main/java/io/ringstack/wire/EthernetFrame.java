package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an Ethernet II frame (IEEE 802.3 with an EtherType, RFC 894), without preamble or FCS.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Destination MAC address (48)                  |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                    Source MAC address (48)                    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          EtherType            |           Payload ...         |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@link #wrap} checks the length once and reads the destination and EtherType, the fields the dispatcher switches
 * on; every accessor after a successful wrap reads inside the frame.
 * MAC addresses are carried as the low 48 bits of a {@code long}, first octet most significant.
 */
public final class EthernetFrame extends Flyweight
{
    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    public static final int ETHER_TYPE_IPV4 = 0x0800;
    public static final int ETHER_TYPE_ARP = 0x0806;
    public static final int ETHER_TYPE_IPV6 = 0x86DD;

    /** Largest payload of an untagged frame on a 1500-byte MTU link. */
    public static final int MAX_PAYLOAD_LENGTH = 1500;
    /** Largest frame without FCS: header plus a 1500-byte payload. */
    public static final int MAX_FRAME_LENGTH = HEADER_LENGTH + MAX_PAYLOAD_LENGTH;

    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private long destination;
    private int etherType;

    /**
     * Wrap a frame for reading.
     *
     * @return {@code true} if the frame lies in the buffer and is long enough to hold an Ethernet header, otherwise
     * the view is unusable.
     */
    public boolean wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!region(buffer, offset, length) || length < HEADER_LENGTH)
        {
            return false;
        }
        destination = UncheckedReads.longBigEndian(buffer, offset + DESTINATION_OFFSET) >>> 16;
        etherType = UncheckedReads.uint16(buffer, offset + ETHER_TYPE_OFFSET);
        return true;
    }

    public long destination()
    {
        return destination;
    }

    public long source()
    {
        return readMac(buffer, offset + SOURCE_OFFSET);
    }

    public int etherType()
    {
        return etherType;
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
     * Write an Ethernet header in place.
     *
     * @return the offset of the payload.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long destination,
        final long source,
        final int etherType)
    {
        writeMac(buffer, offset + DESTINATION_OFFSET, destination);
        writeMac(buffer, offset + SOURCE_OFFSET, source);
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return offset + HEADER_LENGTH;
    }

    /**
     * Read a 48-bit MAC address in network order.
     */
    public static long readMac(final DirectBuffer buffer, final int index)
    {
        final long high = buffer.getShort(index, ByteOrder.BIG_ENDIAN) & 0xFFFFL;
        final long low = buffer.getInt(index + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    /**
     * Write a 48-bit MAC address in network order.
     */
    public static void writeMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        buffer.putShort(index, (short)(mac >>> 32), ByteOrder.BIG_ENDIAN);
        buffer.putInt(index + 2, (int)mac, ByteOrder.BIG_ENDIAN);
    }

    /**
     * @return {@code true} for a group (multicast or broadcast) address: the I/G bit of the first octet.
     */
    public static boolean isMulticast(final long mac)
    {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
