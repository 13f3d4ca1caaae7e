package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.InternetChecksum;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The transmitter's TCP/IP offload context (8254x SDM 3.3.5-3.3.7, 3.5, 3.6): loaded by a
 * {@link E1000TxContextDescriptor context descriptor}, kept until the next one or a reset, and applied to a frame
 * gathered from {@link E1000TxDataDescriptor data descriptors}, in the device's buffer.
 * <ul>
 *     <li>Checksum insertion (POPTS TXSM, IXSM): the ones' complement sum from CSS to CSE (0: the frame's end), the
 *     field at CSO included as the driver seeded it (the TCP/UDP pseudo-header), stored complemented at CSO.</li>
 *     <li>TCP segmentation (DCMD TSE): the frame is HDRLEN bytes of headers and PAYLEN bytes of payload, cut into
 *     pieces of MSS bytes (the last may be shorter), each sent behind a copy of the headers in which the device
 *     sets the IPv4 total length (IPv6 payload length) and an identification counting up from the frame's, the TCP
 *     sequence number advanced by the payload before it, FIN and PSH only on the last piece, CWR only on the first
 *     (RFC 3168 6.1.2, as Linux's {@code tcp_gso_segment} cuts one) (UDP: its length), and
 *     the checksums: the TCP/UDP field holds the driver's pseudo-header sum without the length, to which the device
 *     adds each piece's own.</li>
 * </ul>
 * A frame the context does not fit is refused with the reason ({@link #checkChecksums}, {@link #checkSegmentation})
 * before anything is written. Nothing here allocates or throws on a frame.
 */
final class E1000TxOffload
{
    /** Largest HDRLEN, an 8-bit field. */
    private static final int MAX_HEADER_LENGTH = 0xFF;
    private static final int IPV6_HEADER_LENGTH = 40;
    private static final int UDP_HEADER_LENGTH = 8;
    private static final int UDP_LENGTH_OFFSET = 4;
    private static final int IPV6_PAYLOAD_LENGTH_OFFSET = 4;
    private static final int NOT_LAST_MASK = ~(TcpSegment.FLAG_FIN | TcpSegment.FLAG_PSH);
    private static final int NOT_FIRST_MASK = ~TcpSegment.FLAG_CWR;

    private final UnsafeBuffer prototype = new UnsafeBuffer(new byte[MAX_HEADER_LENGTH]);
    private boolean loaded;
    private int ipStart;
    private int ipField;
    private int ipEnd;
    private int tcpStart;
    private int tcpField;
    private int tcpEnd;
    private int payloadLength;
    private int command;
    private int headerLength;
    private int mss;
    private int identification;
    private int sequence;

    /**
     * Load the context from the descriptor at {@code descriptor}.
     */
    void load(final GuestMemory memory, final long descriptor)
    {
        final long low = memory.getLong(descriptor);
        final long high = memory.getLong(descriptor + E1000TxContextDescriptor.PAYLEN_OFFSET);
        ipStart = (int)low & 0xFF;
        ipField = (int)(low >>> 8) & 0xFF;
        ipEnd = (int)(low >>> 16) & 0xFFFF;
        tcpStart = (int)(low >>> 32) & 0xFF;
        tcpField = (int)(low >>> 40) & 0xFF;
        tcpEnd = (int)(low >>> 48) & 0xFFFF;
        payloadLength = (int)high & E1000TxContextDescriptor.PAYLEN_MASK;
        command = (int)(high >>> 24) & 0xFF;
        headerLength = (int)(high >>> 40) & 0xFF;
        mss = (int)(high >>> 48) & 0xFFFF;
        loaded = true;
    }

    /**
     * Forget the context, as CTRL.RST does.
     */
    void reset()
    {
        loaded = false;
    }

    /**
     * @param length  the frame's length.
     * @param options the POPTS of its first data descriptor.
     * @return {@code null} when the checksums {@code options} asks for lie inside a frame of {@code length} bytes,
     * else the reason to drop it.
     */
    DeviceDrop checkChecksums(final int length, final int options)
    {
        if (!loaded ||
            (options & E1000TxDataDescriptor.POPTS_TXSM) != 0 && !fits(tcpStart, tcpField, tcpEnd, length) ||
            (options & E1000TxDataDescriptor.POPTS_IXSM) != 0 && !fits(ipStart, ipField, ipEnd, length))
        {
            return DeviceDrop.TX_BAD_OFFLOAD;
        }
        return null;
    }

    /**
     * Insert the checksums {@code options} asks for into the frame at {@code offset}, which
     * {@link #checkChecksums} passed.
     */
    void insertChecksums(final MutableDirectBuffer frame, final int offset, final int length, final int options)
    {
        if ((options & E1000TxDataDescriptor.POPTS_TXSM) != 0)
        {
            insert(frame, offset, length, tcpStart, tcpField, tcpEnd, 0);
        }
        if ((options & E1000TxDataDescriptor.POPTS_IXSM) != 0)
        {
            insert(frame, offset, length, ipStart, ipField, ipEnd, 0);
        }
    }

    /**
     * Check a frame for segmentation and, when it fits, keep its headers as the prototype of every piece.
     *
     * @param frame         the gathered frame, from index 0.
     * @param length        its length.
     * @param options       the POPTS of its first data descriptor.
     * @param maxWireFrame  the largest piece the device puts on the wire.
     * @return {@code null} when the context cuts the frame, else the reason to drop it: {@link DeviceDrop#TX_OVERSIZE}
     * for pieces larger than {@code maxWireFrame}, {@link DeviceDrop#TX_BAD_OFFLOAD} for a context that does not fit.
     */
    DeviceDrop checkSegmentation(
        final UnsafeBuffer frame, final int length, final int options, final int maxWireFrame)
    {
        final boolean ipv4 = (command & E1000TxContextDescriptor.TUCMD_IP) != 0;
        final boolean tcp = (command & E1000TxContextDescriptor.TUCMD_TCP) != 0;
        if (!loaded || (command & E1000TxContextDescriptor.TUCMD_TSE) == 0 || mss == 0 ||
            headerLength >= length || length - headerLength != payloadLength ||
            ipStart + (ipv4 ? Ipv4Packet.HEADER_LENGTH : IPV6_HEADER_LENGTH) > headerLength ||
            tcpStart + (tcp ? TcpSegment.HEADER_LENGTH : UDP_HEADER_LENGTH) > headerLength ||
            (options & E1000TxDataDescriptor.POPTS_TXSM) != 0 && !fits(tcpStart, tcpField, 0, headerLength) ||
            (options & E1000TxDataDescriptor.POPTS_IXSM) != 0 &&
                (ipEnd == 0 || !fits(ipStart, ipField, ipEnd, headerLength)))
        {
            return DeviceDrop.TX_BAD_OFFLOAD;
        }
        if (headerLength + Math.min(mss, payloadLength) > maxWireFrame)
        {
            return DeviceDrop.TX_OVERSIZE;
        }
        prototype.putBytes(0, frame, 0, headerLength);
        identification = prototype.getShort(ipStart + Ipv4Packet.IDENTIFICATION_OFFSET, BIG_ENDIAN) & 0xFFFF;
        sequence = prototype.getInt(tcpStart + TcpSegment.SEQUENCE_NUMBER_OFFSET, BIG_ENDIAN);
        return null;
    }

    /**
     * @return how many pieces the frame {@link #checkSegmentation} passed is cut into.
     */
    int segments()
    {
        return (payloadLength + mss - 1) / mss;
    }

    /**
     * Lay out piece {@code segment} of the frame {@link #checkSegmentation} passed: its headers are written just
     * before its payload, at {@code segment * mss}, over payload of pieces already sent, and finished with the
     * checksums {@code options} asks for (the piece's TCP/UDP length added to the driver's pseudo-header sum).
     *
     * @return the piece's length; it starts at {@link #segmentOffset}.
     */
    int cut(final UnsafeBuffer frame, final int segment, final int options)
    {
        final int at = segment * mss;
        final int payload = Math.min(mss, payloadLength - at);
        final int length = headerLength + payload;
        if (segment > 0)
        {
            frame.putBytes(at, prototype, 0, headerLength);
        }
        if ((command & E1000TxContextDescriptor.TUCMD_IP) != 0)
        {
            frame.putShort(at + ipStart + Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(length - ipStart), BIG_ENDIAN);
            frame.putShort(
                at + ipStart + Ipv4Packet.IDENTIFICATION_OFFSET, (short)(identification + segment), BIG_ENDIAN);
        }
        else
        {
            frame.putShort(at + ipStart + IPV6_PAYLOAD_LENGTH_OFFSET,
                (short)(length - ipStart - IPV6_HEADER_LENGTH), BIG_ENDIAN);
        }
        if ((command & E1000TxContextDescriptor.TUCMD_TCP) != 0)
        {
            frame.putInt(at + tcpStart + TcpSegment.SEQUENCE_NUMBER_OFFSET, sequence + at, BIG_ENDIAN);
            final int flags = at + tcpStart + TcpSegment.FLAGS_OFFSET;
            frame.putByte(flags, (byte)(frame.getByte(flags) & (at + payload != payloadLength ? NOT_LAST_MASK : -1) &
                (segment > 0 ? NOT_FIRST_MASK : -1)));
        }
        else
        {
            frame.putShort(at + tcpStart + UDP_LENGTH_OFFSET, (short)(length - tcpStart), BIG_ENDIAN);
        }
        if ((options & E1000TxDataDescriptor.POPTS_TXSM) != 0)
        {
            insert(frame, at, length, tcpStart, tcpField, 0, length - tcpStart);
        }
        if ((options & E1000TxDataDescriptor.POPTS_IXSM) != 0)
        {
            insert(frame, at, length, ipStart, ipField, ipEnd, 0);
        }
        return length;
    }

    /**
     * @return where piece {@code segment} starts in the frame.
     */
    int segmentOffset(final int segment)
    {
        return segment * mss;
    }

    /**
     * @return whether a wire that cuts IPv4 TCP segments itself ({@link io.ringstack.phy.Link#sendSegmented}) can
     * take the frame {@link #checkSegmentation} passed whole: IPv4 TCP right behind an untagged Ethernet header, its
     * headers as the frame's own lengths say, both checksums asked for, and its IP packet no larger than
     * {@code wireOffloadBytes}.
     */
    boolean wireCuts(final UnsafeBuffer frame, final int length, final int options, final int wireOffloadBytes)
    {
        final int both = E1000TxDataDescriptor.POPTS_TXSM | E1000TxDataDescriptor.POPTS_IXSM;
        final int tcpIpv4 = E1000TxContextDescriptor.TUCMD_TCP | E1000TxContextDescriptor.TUCMD_IP;
        return (command & tcpIpv4) == tcpIpv4 && (options & both) == both &&
            length - ipStart <= wireOffloadBytes && ipStart == EthernetFrame.HEADER_LENGTH &&
            tcpStart == ipStart + ((frame.getByte(ipStart + Ipv4Packet.VERSION_IHL_OFFSET) & 0x0F) << 2) &&
            headerLength == tcpStart + ((frame.getByte(tcpStart + TcpSegment.DATA_OFFSET_OFFSET) & 0xF0) >>> 2) &&
            tcpField == tcpStart + TcpSegment.CHECKSUM_OFFSET && ipEnd < tcpStart;
    }

    /**
     * Make the frame {@link #wireCuts} passed what a wire that cuts it expects, as a virtio-net host's TSO takes it
     * (and QEMU's e1000e hands it to a vnet-header backend): the IPv4 total length of the whole packet, its header
     * checksum, and in the TCP checksum field the pseudo-header's sum with the whole TCP length added, left
     * uncomplemented for the wire to finish.
     */
    void prepareForWire(final UnsafeBuffer frame, final int length)
    {
        frame.putShort(ipStart + Ipv4Packet.TOTAL_LENGTH_OFFSET, (short)(length - ipStart), BIG_ENDIAN);
        insert(frame, 0, length, ipStart, ipField, ipEnd, 0);
        final int field = tcpField;
        final long seeded = (frame.getShort(field, BIG_ENDIAN) & 0xFFFF) + (long)(length - tcpStart);
        frame.putShort(field, (short)InternetChecksum.foldWithoutComplement(seeded), BIG_ENDIAN);
    }

    /**
     * @return the MSS of the current context.
     */
    int mss()
    {
        return mss;
    }

    /**
     * @return the HDRLEN of the current context.
     */
    int headerLength()
    {
        return headerLength;
    }

    private static boolean fits(final int start, final int field, final int end, final int length)
    {
        final int last = end == 0 ? length - 1 : end;
        return start <= field && field + Short.BYTES <= last + 1 && last < length;
    }

    /**
     * The ones' complement sum from {@code start} to {@code end} inclusive (0: the frame's end) plus
     * {@code addend}, complemented into the field at {@code field}; 0 is stored as {@code 0xFFFF}, as QEMU's e1000
     * and Linux's {@code skb_checksum_help} store it.
     */
    private static void insert(
        final MutableDirectBuffer frame,
        final int offset,
        final int length,
        final int start,
        final int field,
        final int end,
        final int addend)
    {
        final int stop = end == 0 ? length : end + 1;
        InternetChecksum.store(frame, offset + field,
            InternetChecksum.fold(InternetChecksum.sum(frame, offset + start, stop - start, addend)));
    }
}
