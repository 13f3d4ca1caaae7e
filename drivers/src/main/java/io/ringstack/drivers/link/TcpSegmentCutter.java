package io.ringstack.drivers.link;

import io.ringstack.phy.FrameHandler;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * Cuts an Ethernet frame holding an IPv4 TCP segment larger than the MTU, handed over whole by a TAP
 * ({@code GSO_TCPV4}), into segments of {@code gso_size} payload bytes, the way Linux's {@code tcp_gso_segment}
 * and {@code inet_gso_segment} cut one for a device without TCP segmentation offload: each piece behind a copy of the
 * headers with its own IPv4 total length, an identification counting up from the frame's, the TCP sequence number
 * advanced by the payload before it, FIN and PSH on the last piece only, CWR on the first only (RFC 3168 6.1.2), and
 * both checksums computed whole (RFC 791 3.1, RFC 9293 3.1), whatever the kernel left in the fields.
 * <p>
 * The cut is made in place: piece {@code k}'s headers are written just before its payload, over the end of piece
 * {@code k - 1}'s payload, which the handler has taken by then (a handler keeps nothing of a frame past
 * {@link FrameHandler#onFrame}, as a link's buffer is read into again). One read of the TAP so brings up to 45 frames
 * where the kernel would otherwise cut and checksum them and hand them over one per {@code read(2)}. Nothing here
 * allocates.
 */
final class TcpSegmentCutter
{
    private static final int MAX_HEADERS = EthernetFrame.HEADER_LENGTH + 60 + TcpSegment.MAX_HEADER_LENGTH;
    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private static final int NOT_LAST_MASK = ~(TcpSegment.FLAG_FIN | TcpSegment.FLAG_PSH) & 0xFF;
    private static final int NOT_FIRST_MASK = ~TcpSegment.FLAG_CWR & 0xFF;

    private final UnsafeBuffer prototype = new UnsafeBuffer(new byte[MAX_HEADERS]);
    private MutableDirectBuffer frame;
    private int offset;
    private int headers;
    private int ipLength;
    private int tcp;
    private int payload;
    private int segmentSize;
    private int identification;
    private int sequence;
    private int flags;
    private long addresses;
    private int done;
    private int pieces;
    private int offloads;
    private boolean pending;

    /**
     * Start cutting the frame at {@code offset}; its pieces are then handed over one per {@link #next} call, until
     * {@link #hasNext} is {@code false}. The frame must stay where it is until then.
     *
     * @param segmentSize {@code gso_size}: payload bytes in each piece but the last.
     * @param offloads    what every piece is handed over with ({@link FrameHandler#CHECKSUM_GOOD} when the kernel
     *                    vouched for the segment's data).
     * @return {@code false}, nothing to cut, when the frame is not an IPv4 TCP segment whose headers lie inside it
     * and are no longer than {@code segmentSize}.
     */
    boolean begin(
        final MutableDirectBuffer frame, final int offset, final int length, final int segmentSize, final int offloads)
    {
        pending = false;
        if (length < IP + Ipv4Packet.HEADER_LENGTH + TcpSegment.HEADER_LENGTH ||
            (frame.getShort(offset + EthernetFrame.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) !=
                EthernetFrame.ETHER_TYPE_IPV4 ||
            (frame.getByte(offset + IP + Ipv4Packet.PROTOCOL_OFFSET) & 0xFF) != Ipv4Packet.PROTOCOL_TCP)
        {
            return false;
        }
        final int versionIhl = frame.getByte(offset + IP + Ipv4Packet.VERSION_IHL_OFFSET) & 0xFF;
        ipLength = (versionIhl & 0x0F) << 2;
        tcp = IP + ipLength;
        if (versionIhl >>> 4 != Ipv4Packet.VERSION || ipLength < Ipv4Packet.HEADER_LENGTH ||
            tcp + TcpSegment.HEADER_LENGTH > length)
        {
            return false;
        }
        headers = tcp + ((frame.getByte(offset + tcp + TcpSegment.DATA_OFFSET_OFFSET) & 0xF0) >>> 2);
        if (headers - tcp < TcpSegment.HEADER_LENGTH || headers > length || segmentSize < headers)
        {
            return false;
        }
        this.frame = frame;
        this.offset = offset;
        this.segmentSize = segmentSize;
        this.offloads = offloads;
        prototype.putBytes(0, frame, offset, headers);
        identification = prototype.getShort(IP + Ipv4Packet.IDENTIFICATION_OFFSET, ByteOrder.BIG_ENDIAN);
        sequence = prototype.getInt(tcp + TcpSegment.SEQUENCE_NUMBER_OFFSET, ByteOrder.BIG_ENDIAN);
        flags = prototype.getByte(tcp + TcpSegment.FLAGS_OFFSET) & 0xFF;
        addresses = InternetChecksum.pseudoHeaderSum(
            prototype.getInt(IP + Ipv4Packet.SOURCE_OFFSET, ByteOrder.BIG_ENDIAN),
            prototype.getInt(IP + Ipv4Packet.DESTINATION_OFFSET, ByteOrder.BIG_ENDIAN), Ipv4Packet.PROTOCOL_TCP, 0);
        payload = length - headers;
        done = 0;
        pieces = 0;
        pending = true;
        return true;
    }

    /**
     * @return whether a piece of the frame last begun is still to be handed over.
     */
    boolean hasNext()
    {
        return pending;
    }

    /**
     * Write the next piece's headers before its payload and hand it to {@code handler}.
     */
    void next(final FrameHandler handler)
    {
        final int start = offset + done;
        final int piece = Math.min(segmentSize, payload - done);
        if (pieces > 0)
        {
            frame.putBytes(start, prototype, 0, headers);
        }
        frame.putShort(start + IP + Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(headers - IP + piece),
            ByteOrder.BIG_ENDIAN);
        frame.putShort(start + IP + Ipv4Packet.IDENTIFICATION_OFFSET, (short)(identification + pieces),
            ByteOrder.BIG_ENDIAN);
        frame.putShort(start + IP + Ipv4Packet.CHECKSUM_OFFSET, (short)0);
        frame.putShort(start + IP + Ipv4Packet.CHECKSUM_OFFSET,
            (short)InternetChecksum.compute(frame, start + IP, ipLength), ByteOrder.BIG_ENDIAN);
        frame.putInt(start + tcp + TcpSegment.SEQUENCE_NUMBER_OFFSET, sequence + done, ByteOrder.BIG_ENDIAN);
        final boolean last = done + piece == payload;
        frame.putByte(start + tcp + TcpSegment.FLAGS_OFFSET,
            (byte)(flags & (last ? 0xFF : NOT_LAST_MASK) & (pieces == 0 ? 0xFF : NOT_FIRST_MASK)));
        frame.putShort(start + tcp + TcpSegment.CHECKSUM_OFFSET, (short)0);
        final int segmentLength = headers - tcp + piece;
        InternetChecksum.store(frame, start + tcp + TcpSegment.CHECKSUM_OFFSET, InternetChecksum.fold(
            InternetChecksum.sum(frame, start + tcp, segmentLength, addresses + segmentLength)));
        done += piece;
        pieces++;
        pending = !last;
        handler.onFrame(frame, start, headers + piece, offloads);
    }
}
