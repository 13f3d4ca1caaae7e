package io.ringstack.journal;

import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Linux "cooked" captures ({@code tcpdump -i any}): a packet is a pseudo link-layer header and the network layer,
 * no Ethernet header. Both versions are turned into Ethernet frames for the captured host:
 * <pre>
 *  LINKTYPE_LINUX_SLL (113), 16 bytes         LINKTYPE_LINUX_SLL2 (276), 20 bytes
 *   0  packet type (2)                          0  protocol type (2)
 *   2  ARPHRD type (2)                          2  reserved (2)
 *   4  address length (2)                      4  interface index (4)
 *   6  address, first 8 bytes (8)              8  ARPHRD type (2)
 *  14  protocol type (2)                       10  packet type (1)
 *                                              11  address length (1)
 *                                              12  address, first 8 bytes (8)
 * </pre>
 * (all big-endian). The packet type says where it went: 0 to this host, 1 broadcast, 2 multicast, 3 to another
 * host, 4 sent by this host. The Ethernet destination is the host's MAC, the broadcast address for a broadcast or
 * multicast, a stand-in for another host; the source is the sender's link-layer address when it is a 6-byte one,
 * else a stand-in. Stand-ins are locally administered addresses, 02:00:00:00:00:0x.
 */
final class CookedCapture
{
    /** {@code LINKTYPE_LINUX_SLL}. */
    static final int LINKTYPE_LINUX_SLL = 113;
    /** {@code LINKTYPE_LINUX_SLL2}. */
    static final int LINKTYPE_LINUX_SLL2 = 276;
    /** Packet type: sent by the captured host. */
    static final int PACKET_OUTGOING = 4;
    /** Returned for a packet too short for its cooked header. */
    static final int MALFORMED = -1;
    /** The source MAC of a sender without a 6-byte link-layer address: 02:00:00:00:00:00, locally administered. */
    static final long STAND_IN_SOURCE = 0x0200_0000_0000L;
    /** The destination MAC of a packet to another host: 02:00:00:00:00:01. */
    static final long STAND_IN_OTHER_HOST = 0x0200_0000_0001L;

    private static final int SLL_HEADER_LENGTH = 16;
    private static final int SLL2_HEADER_LENGTH = 20;
    private static final int MAC_LENGTH = 6;
    private static final int PACKET_BROADCAST = 1;
    private static final int PACKET_MULTICAST = 2;
    private static final int PACKET_OTHER_HOST = 3;
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private CookedCapture()
    {
    }

    /**
     * @return whether {@code linkType} is a Linux cooked capture.
     */
    static boolean isCooked(final int linkType)
    {
        return linkType == LINKTYPE_LINUX_SLL || linkType == LINKTYPE_LINUX_SLL2;
    }

    /**
     * @return the packet type of a cooked packet, or {@link #MALFORMED} when it is shorter than its header.
     */
    static int packetType(final int linkType, final DirectBuffer packet, final int offset, final int length)
    {
        if (length < headerLength(linkType))
        {
            return MALFORMED;
        }
        return linkType == LINKTYPE_LINUX_SLL ? packet.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF :
            packet.getByte(offset + 10) & 0xFF;
    }

    /**
     * Write the Ethernet frame of a cooked packet to {@code frame} from index 0.
     *
     * @param hostMac the captured host's MAC, the destination of what it received.
     * @return the frame's length, or {@link #MALFORMED} when the packet is shorter than its header or the frame
     * would not fit {@code frame}.
     */
    static int toEthernet(
        final int linkType, final DirectBuffer packet, final int offset, final int length, final long hostMac,
        final MutableDirectBuffer frame)
    {
        final int headerLength = headerLength(linkType);
        final int packetType = packetType(linkType, packet, offset, length);
        final int payloadLength = length - headerLength;
        if (packetType == MALFORMED || EthernetFrame.HEADER_LENGTH + payloadLength > frame.capacity())
        {
            return MALFORMED;
        }
        final boolean sll = linkType == LINKTYPE_LINUX_SLL;
        final int addressLength = sll ? packet.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF :
            packet.getByte(offset + 11) & 0xFF;
        final int addressOffset = offset + (sll ? 6 : 12);
        final int protocol = packet.getShort(offset + (sll ? 14 : 0), ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final long source = addressLength == MAC_LENGTH ? EthernetFrame.readMac(packet, addressOffset) :
            STAND_IN_SOURCE;
        final long destination = packetType == PACKET_BROADCAST || packetType == PACKET_MULTICAST ? BROADCAST :
            packetType == PACKET_OTHER_HOST ? STAND_IN_OTHER_HOST : hostMac;
        final int payload = EthernetFrame.writeHeader(frame, 0, destination, source, protocol);
        frame.putBytes(payload, packet, offset + headerLength, payloadLength);
        return payload + payloadLength;
    }

    private static int headerLength(final int linkType)
    {
        return linkType == LINKTYPE_LINUX_SLL ? SLL_HEADER_LENGTH : SLL2_HEADER_LENGTH;
    }
}
