package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over an ARP packet (RFC 826) resolving IPv4 addresses to Ethernet MAC addresses, the only pairing
 * the engine speaks.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      Hardware type (1)        |    Protocol type (0x0800)     |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  | HW length (6) | IP length (4) |           Operation           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Sender hardware address (48)                  |
 *  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                               |  Sender protocol address ...  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  ... sender protocol address  |  Target hardware address ...  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 *  |                ... target hardware address (48)               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                 Target protocol address (32)                  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@link #wrap} checks the length and the four address-format fields once; after a {@link #VALID} wrap every
 * accessor reads inside the packet. IPv4 addresses are {@code int}s, first octet most significant; MAC addresses
 * are the low 48 bits of a {@code long} (see {@link EthernetFrame#readMac}).
 */
public final class ArpPacket extends Flyweight
{
    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_ADDRESS_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_ADDRESS_OFFSET = 24;
    public static final int LENGTH = 28;

    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int MAC_LENGTH = 6;
    public static final int IPV4_ADDRESS_LENGTH = 4;

    public static final int OPERATION_REQUEST = 1;
    public static final int OPERATION_REPLY = 2;

    /** {@link #wrap} result: a well-formed Ethernet/IPv4 ARP packet. */
    public static final int VALID = 0;
    /** {@link #wrap} result: fewer than {@link #LENGTH} bytes. */
    public static final int TRUNCATED = -1;
    /** {@link #wrap} result: a hardware or protocol type or address length other than Ethernet/IPv4. */
    public static final int UNSUPPORTED = -2;

    /**
     * Wrap a packet for reading.
     *
     * @return {@link #VALID}, {@link #TRUNCATED} or {@link #UNSUPPORTED}; the accessors are usable only after
     * {@link #VALID}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!region(buffer, offset, length) || length < LENGTH)
        {
            return TRUNCATED;
        }
        final int hardwareType = uint16(HARDWARE_TYPE_OFFSET);
        final int protocolType = uint16(PROTOCOL_TYPE_OFFSET);
        if (hardwareType != HARDWARE_TYPE_ETHERNET ||
            protocolType != EthernetFrame.ETHER_TYPE_IPV4 ||
            buffer.getByte(offset + HARDWARE_LENGTH_OFFSET) != MAC_LENGTH ||
            buffer.getByte(offset + PROTOCOL_LENGTH_OFFSET) != IPV4_ADDRESS_LENGTH)
        {
            return UNSUPPORTED;
        }
        return VALID;
    }

    /**
     * @return {@link #OPERATION_REQUEST}, {@link #OPERATION_REPLY} or another value the caller does not handle.
     */
    public int operation()
    {
        return uint16(OPERATION_OFFSET);
    }

    public long senderMac()
    {
        return EthernetFrame.readMac(buffer, offset + SENDER_MAC_OFFSET);
    }

    public int senderAddress()
    {
        return int32(SENDER_ADDRESS_OFFSET);
    }

    public long targetMac()
    {
        return EthernetFrame.readMac(buffer, offset + TARGET_MAC_OFFSET);
    }

    public int targetAddress()
    {
        return int32(TARGET_ADDRESS_OFFSET);
    }

    /**
     * Write an Ethernet/IPv4 ARP packet in place.
     *
     * @return the offset just past the packet, {@code offset + LENGTH}.
     */
    public static int write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int operation,
        final long senderMac,
        final int senderAddress,
        final long targetMac,
        final int targetAddress)
    {
        buffer.putShort(offset + HARDWARE_TYPE_OFFSET, (short)HARDWARE_TYPE_ETHERNET, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + PROTOCOL_TYPE_OFFSET, (short)EthernetFrame.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + HARDWARE_LENGTH_OFFSET, (byte)MAC_LENGTH);
        buffer.putByte(offset + PROTOCOL_LENGTH_OFFSET, (byte)IPV4_ADDRESS_LENGTH);
        buffer.putShort(offset + OPERATION_OFFSET, (short)operation, ByteOrder.BIG_ENDIAN);
        EthernetFrame.writeMac(buffer, offset + SENDER_MAC_OFFSET, senderMac);
        buffer.putInt(offset + SENDER_ADDRESS_OFFSET, senderAddress, ByteOrder.BIG_ENDIAN);
        EthernetFrame.writeMac(buffer, offset + TARGET_MAC_OFFSET, targetMac);
        buffer.putInt(offset + TARGET_ADDRESS_OFFSET, targetAddress, ByteOrder.BIG_ENDIAN);
        return offset + LENGTH;
    }
}
