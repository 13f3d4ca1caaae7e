package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Flyweight over a TCP segment header (RFC 9293 section 3.1). Options are read with {@link TcpOptions} over
 * {@link #optionsOffset()} and {@link #optionsLength()}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |          Source Port          |       Destination Port        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                        Sequence Number                        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    Acknowledgment Number                      |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  Data |       |C|E|U|A|P|R|S|F|                               |
 *  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *  |       |       |R|E|G|K|H|T|N|N|                               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                           [Options]                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                             Data ...                          |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@link #wrap} reads the first 16 bytes once and checks the Data Offset against the wrapped length; after a {@link
 * #VALID} wrap the ports, numbers, Data Offset, flags and window come from that read, and every other accessor reads
 * inside the segment. TCP has no length field: the wrapped length is the segment length (the IPv4 payload length) and
 * bounds the payload and the checksum. Sequence and acknowledgment numbers are raw 32-bit values in an {@code int};
 * compare them with modular arithmetic.
 */
public final class TcpSegment extends Flyweight
{
    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_NUMBER_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_NUMBER_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    /** Length of a header without options, the minimum. */
    public static final int HEADER_LENGTH = 20;
    /** Length of a header with the largest Data Offset, 15 words. */
    public static final int MAX_HEADER_LENGTH = 60;

    public static final int FLAG_FIN = 0x01;
    public static final int FLAG_SYN = 0x02;
    public static final int FLAG_RST = 0x04;
    public static final int FLAG_PSH = 0x08;
    public static final int FLAG_ACK = 0x10;
    public static final int FLAG_URG = 0x20;
    public static final int FLAG_ECE = 0x40;
    public static final int FLAG_CWR = 0x80;

    /** {@link #wrap} result: a segment with a complete header. */
    public static final int VALID = 0;
    /** {@link #wrap} result: fewer than {@link #HEADER_LENGTH} bytes. */
    public static final int TRUNCATED = -1;
    /** {@link #wrap} result: Data Offset below 5 words, or a header longer than the wrapped length. */
    public static final int BAD_DATA_OFFSET = -2;

    /** Source port and destination port. */
    private int ports;
    private int sequenceNumber;
    private int acknowledgmentNumber;
    /** Data Offset, reserved bits, flags and window. */
    private int control;

    /**
     * Wrap a segment for reading; {@code length} is the whole segment, header and payload.
     *
     * @return {@link #VALID}, {@link #TRUNCATED} or {@link #BAD_DATA_OFFSET}; the accessors are usable only after
     * {@link #VALID}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!region(buffer, offset, length) || length < HEADER_LENGTH)
        {
            return TRUNCATED;
        }
        ports = UncheckedReads.intBigEndian(buffer, offset + SOURCE_PORT_OFFSET);
        sequenceNumber = UncheckedReads.intBigEndian(buffer, offset + SEQUENCE_NUMBER_OFFSET);
        acknowledgmentNumber = UncheckedReads.intBigEndian(buffer, offset + ACKNOWLEDGMENT_NUMBER_OFFSET);
        control = UncheckedReads.intBigEndian(buffer, offset + DATA_OFFSET_OFFSET);
        final int dataOffset = dataOffset();
        if (dataOffset < HEADER_LENGTH || dataOffset > length)
        {
            return BAD_DATA_OFFSET;
        }
        return VALID;
    }

    public int sourcePort()
    {
        return ports >>> 16;
    }

    public int destinationPort()
    {
        return ports & 0xFFFF;
    }

    public int sequenceNumber()
    {
        return sequenceNumber;
    }

    public int acknowledgmentNumber()
    {
        return acknowledgmentNumber;
    }

    /**
     * @return the header length in bytes (Data Offset * 4), options included.
     */
    public int dataOffset()
    {
        return (control >>> 26) & 0x3C;
    }

    /**
     * @return the eight control bits, {@link #FLAG_FIN} to {@link #FLAG_CWR}.
     */
    public int flags()
    {
        return (control >>> 16) & 0xFF;
    }

    public boolean isFin()
    {
        return (flags() & FLAG_FIN) != 0;
    }

    public boolean isSyn()
    {
        return (flags() & FLAG_SYN) != 0;
    }

    public boolean isRst()
    {
        return (flags() & FLAG_RST) != 0;
    }

    public boolean isPsh()
    {
        return (flags() & FLAG_PSH) != 0;
    }

    public boolean isAck()
    {
        return (flags() & FLAG_ACK) != 0;
    }

    public boolean isUrg()
    {
        return (flags() & FLAG_URG) != 0;
    }

    public boolean isEce()
    {
        return (flags() & FLAG_ECE) != 0;
    }

    public boolean isCwr()
    {
        return (flags() & FLAG_CWR) != 0;
    }

    public int window()
    {
        return control & 0xFFFF;
    }

    public int checksum()
    {
        return uint16(CHECKSUM_OFFSET);
    }

    public int urgentPointer()
    {
        return uint16(URGENT_POINTER_OFFSET);
    }

    /**
     * @return {@code true} if the checksum over the IPv4 pseudo-header and the whole wrapped segment verifies.
     */
    public boolean isChecksumValid(final int sourceAddress, final int destinationAddress)
    {
        return TransportChecksum.compute(
            buffer, offset, length, Ipv4Packet.PROTOCOL_TCP, sourceAddress, destinationAddress) == 0;
    }

    public int optionsOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int optionsLength()
    {
        return dataOffset() - HEADER_LENGTH;
    }

    public int payloadOffset()
    {
        return offset + dataOffset();
    }

    public int payloadLength()
    {
        return length - dataOffset();
    }

    /**
     * Write the fixed 20-byte header in place with a zero checksum and urgent pointer. Follow it with
     * {@code dataOffsetBytes - HEADER_LENGTH} bytes of options (see {@link TcpOptions}), the payload, then
     * {@link #writeChecksum}.
     *
     * @param dataOffsetBytes header length including options: a multiple of 4 from 20 to 60.
     * @return the offset just past the fixed header, where options (if any) begin.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int sourcePort,
        final int destinationPort,
        final int sequenceNumber,
        final int acknowledgmentNumber,
        final int dataOffsetBytes,
        final int flags,
        final int window)
    {
        buffer.putShort(offset + SOURCE_PORT_OFFSET, (short)sourcePort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + DESTINATION_PORT_OFFSET, (short)destinationPort, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + SEQUENCE_NUMBER_OFFSET, sequenceNumber, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + ACKNOWLEDGMENT_NUMBER_OFFSET, acknowledgmentNumber, ByteOrder.BIG_ENDIAN);
        buffer.putByte(offset + DATA_OFFSET_OFFSET, (byte)((dataOffsetBytes >> 2) << 4));
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putShort(offset + WINDOW_OFFSET, (short)window, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + URGENT_POINTER_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        return offset + HEADER_LENGTH;
    }

    /**
     * Compute and store the checksum of the {@code segmentLength}-byte segment (header, options and payload) at
     * {@code offset} with its IPv4 pseudo-header. The checksum field is zeroed first.
     */
    public static void writeChecksum(
        final MutableDirectBuffer buffer,
        final int offset,
        final int segmentLength,
        final int sourceAddress,
        final int destinationAddress)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, ByteOrder.BIG_ENDIAN);
        final int checksum = TransportChecksum.compute(
            buffer, offset, segmentLength, Ipv4Packet.PROTOCOL_TCP, sourceAddress, destinationAddress);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Store the folded sum of the IPv4 pseudo-header of a {@code segmentLength}-byte segment at {@code offset} in its
     * checksum field, not complemented: the partial checksum a device with checksum offload finishes over the
     * segment from its first byte, as Linux leaves it ({@code __tcp_v4_send_check}). A device that cuts the
     * segment (TSO) corrects it for each piece's length.
     */
    public static void writePseudoHeaderChecksum(
        final MutableDirectBuffer buffer,
        final int offset,
        final int segmentLength,
        final int sourceAddress,
        final int destinationAddress)
    {
        final int partial = InternetChecksum.foldWithoutComplement(
            InternetChecksum.pseudoHeaderSum(sourceAddress, destinationAddress, Ipv4Packet.PROTOCOL_TCP, segmentLength));
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)partial, ByteOrder.BIG_ENDIAN);
    }
}
