package io.ringstack.drivers.virtio;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The {@code struct virtio_net_hdr} that precedes every frame on both virtqueues (VirtIO 1.2 section 5.1.6): 12
 * bytes once VIRTIO_F_VERSION_1 is negotiated, whether or not VIRTIO_NET_F_MRG_RXBUF is (the 10-byte form without
 * {@code num_buffers} is legacy only). With no offloads negotiated every field is zero except {@code num_buffers},
 * which the device sets to 1 on receive and the driver to 0 on transmit. A Linux TAP opened with
 * {@code IFF_VNET_HDR} and a 12-byte {@code TUNSETVNETHDRSZ} puts the same header before each frame, in the host's
 * byte order, little-endian on x86-64 and AArch64 alike.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     flags     |   gso_type    |        hdr_len (le16)         |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        gso_size (le16)        |       csum_start (le16)       |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |       csum_offset (le16)      |      num_buffers (le16)       |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VirtioNetHeader
{
    public static final int LENGTH = 12;

    public static final int FLAGS_OFFSET = 0;
    public static final int GSO_TYPE_OFFSET = 1;
    public static final int HDR_LEN_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 4;
    public static final int CSUM_START_OFFSET = 6;
    public static final int CSUM_OFFSET_OFFSET = 8;
    public static final int NUM_BUFFERS_OFFSET = 10;

    /** {@code flags}: the checksum from {@code csum_start} on is to be finished, stored at {@code csum_offset}. */
    public static final int FLAG_NEEDS_CSUM = 1;
    /** {@code flags}: the checksums were verified before the frame was handed over. */
    public static final int FLAG_DATA_VALID = 2;
    /** {@code gso_type}: not a segmentation offload. */
    public static final int GSO_NONE = 0;
    /** {@code gso_type}: an IPv4 TCP segment to be cut into segments of {@code gso_size} payload bytes. */
    public static final int GSO_TCPV4 = 1;
    /** {@code gso_type} bit: the segment carries ECN's CWR, to go on the first piece only. */
    public static final int GSO_ECN = 0x80;

    private VirtioNetHeader()
    {
    }

    /**
     * Write a header with no offload: every field zero but {@code num_buffers}.
     */
    public static void write(final MutableDirectBuffer buffer, final int index, final int numBuffers)
    {
        write(buffer, index, numBuffers, 0);
    }

    /**
     * Write a header whose only offload is in {@code flags} ({@link #FLAG_DATA_VALID} or 0): every other field zero
     * but {@code num_buffers}.
     */
    public static void write(final MutableDirectBuffer buffer, final int index, final int numBuffers, final int flags)
    {
        buffer.putLong(index + FLAGS_OFFSET, flags & 0xFFL);
        buffer.putInt(index + CSUM_OFFSET_OFFSET, numBuffers << Short.SIZE, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Write the header of the IPv4 TCP segment in the Ethernet frame at {@code frameOffset} of {@code frame}, to be
     * cut into segments of {@code segmentSize} payload bytes, with {@code hdr_len} and {@code csum_start} read off
     * the frame's IP and TCP header lengths ({@link #writeTcpSegmentation(MutableDirectBuffer, int, int, int, int)}).
     */
    public static void writeTcpSegmentation(final MutableDirectBuffer header, final int index,
        final DirectBuffer frame, final int frameOffset, final int segmentSize)
    {
        final int tcp = EthernetFrame.HEADER_LENGTH + ((frame.getByte(
            frameOffset + EthernetFrame.HEADER_LENGTH + Ipv4Packet.VERSION_IHL_OFFSET) & 0x0F) << 2);
        final int headers = tcp + ((frame.getByte(frameOffset + tcp + TcpSegment.DATA_OFFSET_OFFSET) & 0xF0) >>> 2);
        writeTcpSegmentation(header, index, headers, segmentSize, tcp);
    }

    /**
     * Finish a checksum left partial ({@code NEEDS_CSUM}): the Internet checksum of the frame's bytes from
     * {@code csumStart} to its end, the field already holding the pseudo-header's sum, stored at
     * {@code csumStart + csumOffset} (0 as {@code 0xFFFF}, as Linux's {@code skb_checksum_help} stores it).
     *
     * @param csumStart  {@code csum_start}, from the frame's first byte.
     * @param csumOffset {@code csum_offset}, from {@code csumStart}.
     * @return {@code false}, the frame untouched, when the field lies outside the frame.
     */
    public static boolean finishChecksum(final MutableDirectBuffer frame, final int frameOffset, final int length,
        final int csumStart, final int csumOffset)
    {
        final int field = csumStart + csumOffset;
        if (csumStart < 0 || csumOffset < 0 || field + Short.BYTES > length)
        {
            return false;
        }
        InternetChecksum.store(frame, frameOffset + field,
            InternetChecksum.fold(InternetChecksum.sum(frame, frameOffset + csumStart, length - csumStart, 0)));
        return true;
    }

    /**
     * @return the header's {@code gso_type} without the ECN bit.
     */
    public static int gsoType(final DirectBuffer header, final int index)
    {
        return header.getByte(index + GSO_TYPE_OFFSET) & 0xFF & ~GSO_ECN;
    }

    /**
     * @return the header's {@code gso_size}, {@code csum_start}, {@code csum_offset} or {@code num_buffers}: the
     * little-endian 16-bit field at {@code fieldOffset}.
     */
    public static int field(final DirectBuffer header, final int index, final int fieldOffset)
    {
        return header.getShort(index + fieldOffset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /**
     * Write the header of an IPv4 TCP segment to be cut into segments of {@code segmentSize} payload bytes, its
     * checksum field holding the pseudo-header's sum: {@code NEEDS_CSUM}, {@code GSO_TCPV4}, {@code hdr_len} the
     * Ethernet, IP and TCP headers, {@code csum_start} the TCP header, {@code csum_offset} its checksum field (as Linux's
     * {@code virtio_net_hdr_from_skb} writes it for a TSO segment).
     *
     * @param headersLength bytes of the Ethernet, IP and TCP headers with options.
     * @param tcpOffset     where the TCP header begins in the frame.
     */
    public static void writeTcpSegmentation(final MutableDirectBuffer buffer, final int index,
        final int headersLength, final int segmentSize, final int tcpOffset)
    {
        buffer.putByte(index + FLAGS_OFFSET, (byte)FLAG_NEEDS_CSUM);
        buffer.putByte(index + GSO_TYPE_OFFSET, (byte)GSO_TCPV4);
        buffer.putShort(index + HDR_LEN_OFFSET, (short)headersLength, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(index + GSO_SIZE_OFFSET, (short)segmentSize, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(index + CSUM_START_OFFSET, (short)tcpOffset, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(index + CSUM_OFFSET_OFFSET, (short)TcpSegment.CHECKSUM_OFFSET, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(index + NUM_BUFFERS_OFFSET, (short)0, ByteOrder.LITTLE_ENDIAN);
    }
}
