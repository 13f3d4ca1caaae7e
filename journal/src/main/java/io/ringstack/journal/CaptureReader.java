package io.ringstack.journal;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packets of a capture file, pcapng (any byte order, any number of sections and interfaces, Enhanced,
 * Simple and obsolete Packet Blocks, {@code if_tsresol}, {@code if_tsoffset}, {@code epb_flags}, a packet's
 * {@code opt_comment}) or classic pcap
 * (either byte order, microsecond or nanosecond timestamps), either of them gzip-compressed, streaming it block by
 * block through a read-ahead window ({@link CaptureInput}).
 */
public final class CaptureReader implements AutoCloseable
{
    private static final int MAX_BLOCK_LENGTH = 64 * 1024 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int PROGRESS_INTERVAL_PACKETS = 4096;

    private final Path file;
    private final CaptureInput input;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private ByteBuffer block = ByteBuffer.allocate(64 * 1024);
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private boolean truncated;
    private int commentOffset;
    private int commentLength;
    private ProgressListener progress = ProgressListener.NONE;

    /**
     * What a capture says about one of its interfaces.
     *
     * @param linkType     the link type, {@link PcapFormat#LINKTYPE_ETHERNET} for Ethernet.
     * @param name         {@code if_name}, or empty.
     * @param ipv4Address  {@code if_IPv4addr}'s address, 0 when absent.
     * @param prefixLength the prefix length of its netmask.
     * @param macAddress   {@code if_MACaddr}, -1 when absent.
     */
    public record Interface(int linkType, String name, int ipv4Address, int prefixLength, long macAddress)
    {
    }

    /**
     * Receives each packet; the bytes are valid during the call.
     */
    @FunctionalInterface
    public interface PacketHandler
    {
        /**
         * @param direction {@link PcapFormat#DIRECTION_INBOUND}, {@link PcapFormat#DIRECTION_OUTBOUND} or
         *                  {@link PcapFormat#DIRECTION_UNKNOWN}.
         * @param wireLength the packet's length on the wire; more than {@code length} when the capture cut it.
         */
        void onPacket(Interface captureInterface, long epochNs, int direction, UnsafeBuffer packet, int offset,
            int length, int wireLength);
    }

    private CaptureReader(final Path file, final CaptureInput input)
    {
        this.file = file;
        this.input = input;
    }

    /**
     * @throws JournalException when the file cannot be opened.
     */
    public static CaptureReader open(final Path file)
    {
        final FileChannel channel;
        try
        {
            channel = FileChannel.open(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new JournalException("no such capture file: " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot open capture " + file + ": " + ex.getMessage(), ex);
        }
        try
        {
            return new CaptureReader(file, CaptureInput.open(channel));
        }
        catch (final EOFException ex)
        {
            quietClose(channel);
            throw new JournalException("not a pcap or pcapng capture: " + file + " (a gzip stream cut in its header)",
                ex);
        }
        catch (final ZipException ex)
        {
            quietClose(channel);
            throw new JournalException("not a pcap or pcapng capture: " + file + " (gzip: " + ex.getMessage() + ")",
                ex);
        }
        catch (final IOException ex)
        {
            quietClose(channel);
            throw new JournalException("cannot open capture " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Report bytes read of the file's size every {@value #PROGRESS_INTERVAL_PACKETS} packets.
     */
    public CaptureReader progress(final ProgressListener progress)
    {
        this.progress = progress;
        return this;
    }

    /**
     * Read every packet.
     *
     * @return packets read.
     * @throws JournalException when the file is neither pcap nor pcapng, or is malformed.
     */
    public long read(final PacketHandler handler)
    {
        try
        {
            final int magic = readInt(ByteOrder.BIG_ENDIAN, 0);
            if (magic == PcapFormat.SECTION_HEADER_BLOCK)
            {
                return readPcapng(handler);
            }
            if (magic == PcapFormat.PCAP_MAGIC_MICROSECONDS || magic == PcapFormat.PCAP_MAGIC_NANOSECONDS ||
                Integer.reverseBytes(magic) == PcapFormat.PCAP_MAGIC_MICROSECONDS ||
                Integer.reverseBytes(magic) == PcapFormat.PCAP_MAGIC_NANOSECONDS)
            {
                return readPcap(handler);
            }
            throw new JournalException("not a pcap or pcapng capture: " + file);
        }
        catch (final EOFException ex)
        {
            throw new JournalException("not a pcap or pcapng capture: " + file + " (too short)", ex);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot read capture " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return during {@link PacketHandler#onPacket}: where the packet's {@code opt_comment} lies in the packet's
     * buffer, {@link #commentLength()} bytes of UTF-8; 0 when it has none, so that offset and length always lie in
     * the buffer.
     */
    public int commentOffset()
    {
        return commentOffset;
    }

    /**
     * @return during {@link PacketHandler#onPacket}: the length of the packet's {@code opt_comment}, 0 when it has
     * none (a classic pcap record never has one).
     */
    public int commentLength()
    {
        return commentLength;
    }

    /**
     * @return whether the file ended inside a block or record (a capture cut short); what came before was read.
     */
    public boolean truncated()
    {
        return truncated || input.compressedCut();
    }

    public void close()
    {
        try
        {
            input.close();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot close capture " + file + ": " + ex.getMessage(), ex);
        }
    }

    private long readPcap(final PacketHandler handler) throws IOException
    {
        final int magic = readInt(ByteOrder.LITTLE_ENDIAN, 0);
        order = magic == PcapFormat.PCAP_MAGIC_MICROSECONDS || magic == PcapFormat.PCAP_MAGIC_NANOSECONDS ?
            ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        final boolean nanoseconds = readInt(order, 0) == PcapFormat.PCAP_MAGIC_NANOSECONDS;
        load(0, PcapFormat.PCAP_FILE_HEADER_LENGTH);
        final int linkType = block.getInt(20) & 0x0FFF_FFFF;
        final Interface captureInterface = new Interface(linkType, "", 0, 0, -1);
        long position = PcapFormat.PCAP_FILE_HEADER_LENGTH;
        long packets = 0;
        while (input.has(position, 1))
        {
            if (!fits(position, PcapFormat.PCAP_RECORD_HEADER_LENGTH))
            {
                break;
            }
            load(position, PcapFormat.PCAP_RECORD_HEADER_LENGTH);
            final long seconds = block.getInt(0) & 0xFFFF_FFFFL;
            final long fraction = block.getInt(4) & 0xFFFF_FFFFL;
            final int captured = block.getInt(8);
            final int wireLength = block.getInt(12);
            if (captured < 0 || captured > MAX_BLOCK_LENGTH)
            {
                throw new JournalException(file + ": malformed pcap record at byte " + position);
            }
            position += PcapFormat.PCAP_RECORD_HEADER_LENGTH;
            if (!fits(position, captured))
            {
                break;
            }
            load(position, captured);
            position += captured;
            view.wrap(block, 0, captured);
            noComment();
            handler.onPacket(captureInterface, seconds * NANOS_PER_SECOND + (nanoseconds ? fraction : fraction * 1000),
                PcapFormat.DIRECTION_UNKNOWN, view, 0, captured, wireLength);
            reportEvery(++packets, position);
        }
        return packets;
    }

    private long readPcapng(final PacketHandler handler) throws IOException
    {
        final List<Interface> interfaces = new ArrayList<>();
        final List<long[]> clocks = new ArrayList<>();
        long position = 0;
        long packets = 0;
        while (input.has(position, 1))
        {
            if (!fits(position, 12))
            {
                break;
            }
            final int type = readInt(order, position);
            if (type == PcapFormat.SECTION_HEADER_BLOCK)
            {
                order = readInt(ByteOrder.LITTLE_ENDIAN, position + 8) == PcapFormat.BYTE_ORDER_MAGIC ?
                    ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                interfaces.clear();
                clocks.clear();
            }
            final int length = readInt(order, position + 4);
            if (length < minimumBlockLength(type) || (length & 3) != 0 || length > MAX_BLOCK_LENGTH)
            {
                throw new JournalException(file + ": malformed pcapng block at byte " + position);
            }
            if (!fits(position, length))
            {
                break;
            }
            load(position, length);
            switch (type)
            {
                case PcapFormat.INTERFACE_DESCRIPTION_BLOCK:
                    interfaces.add(describeInterface(length, clocks));
                    break;
                case PcapFormat.ENHANCED_PACKET_BLOCK:
                case PcapFormat.PACKET_BLOCK:
                case PcapFormat.SIMPLE_PACKET_BLOCK:
                    packet(type, length, interfaces, clocks, handler, position);
                    reportEvery(++packets, position);
                    break;
                default:
                    break;
            }
            position += length;
        }
        return packets;
    }

    /**
     * The shortest a block of {@code type} can be with its fixed fields and both length fields (pcapng 4.1–4.4):
     * section header 28, interface description 20, enhanced and obsolete packet 32, simple packet 16, others 12.
     */
    private static int minimumBlockLength(final int type)
    {
        return switch (type)
        {
            case PcapFormat.SECTION_HEADER_BLOCK -> 28;
            case PcapFormat.INTERFACE_DESCRIPTION_BLOCK -> 20;
            case PcapFormat.ENHANCED_PACKET_BLOCK, PcapFormat.PACKET_BLOCK -> 32;
            case PcapFormat.SIMPLE_PACKET_BLOCK -> 16;
            default -> 12;
        };
    }

    private Interface describeInterface(final int length, final List<long[]> clocks)
    {
        final int linkType = block.getShort(8) & 0xFFFF;
        String name = "";
        int address = 0;
        int prefixLength = 0;
        long mac = -1;
        long unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        for (int option = 16; option + 4 <= length - 4; )
        {
            final int code = block.getShort(option) & 0xFFFF;
            final int optionLength = block.getShort(option + 2) & 0xFFFF;
            final int value = option + 4;
            if (code == PcapFormat.OPT_END_OF_OPT || value + optionLength > length - 4)
            {
                break;
            }
            switch (code)
            {
                case PcapFormat.IF_NAME:
                    name = text(value, optionLength);
                    break;
                case PcapFormat.IF_IPV4_ADDRESS:
                    if (optionLength >= 8)
                    {
                        address = block.order(ByteOrder.BIG_ENDIAN).getInt(value);
                        prefixLength = Integer.bitCount(block.getInt(value + 4));
                        block.order(order);
                    }
                    break;
                case PcapFormat.IF_MAC_ADDRESS:
                    if (optionLength >= 6)
                    {
                        mac = 0;
                        for (int i = 0; i < 6; i++)
                        {
                            mac = (mac << 8) | (block.get(value + i) & 0xFF);
                        }
                    }
                    break;
                case PcapFormat.IF_TSRESOL:
                    if (optionLength < 1)
                    {
                        break;
                    }
                    final int resolution = block.get(value) & 0xFF;
                    unitsPerSecond = (resolution & 0x80) == 0 ? pow10(resolution) : 1L << Math.min(resolution & 0x7F,
                        62);
                    break;
                case PcapFormat.IF_TSOFFSET:
                    if (optionLength >= 8)
                    {
                        offsetSeconds = block.getLong(value);
                    }
                    break;
                default:
                    break;
            }
            option = value + ((optionLength + 3) & ~3);
        }
        clocks.add(new long[]{ unitsPerSecond, offsetSeconds });
        return new Interface(linkType, name, address, prefixLength, mac);
    }

    /**
     * Forget the last packet's comment, offset too: a packet without one must not point past its own, shorter, block.
     */
    private void noComment()
    {
        commentOffset = 0;
        commentLength = 0;
    }

    private void reportEvery(final long packets, final long position) throws IOException
    {
        if (packets % PROGRESS_INTERVAL_PACKETS == 0)
        {
            progress.onProgress(input.progressBytes(position), input.fileSize(), packets);
        }
    }

    private void packet(
        final int type, final int length, final List<Interface> interfaces, final List<long[]> clocks,
        final PacketHandler handler, final long position)
    {
        final int interfaceId;
        final long timestamp;
        final int captured;
        final int wireLength;
        final int data;
        if (type == PcapFormat.SIMPLE_PACKET_BLOCK)
        {
            interfaceId = 0;
            timestamp = 0;
            wireLength = block.getInt(8);
            captured = Math.min(wireLength, length - 16);
            data = 12;
        }
        else
        {
            interfaceId = type == PcapFormat.PACKET_BLOCK ? block.getShort(8) & 0xFFFF : block.getInt(8);
            timestamp = ((block.getInt(12) & 0xFFFF_FFFFL) << 32) | (block.getInt(16) & 0xFFFF_FFFFL);
            captured = block.getInt(20);
            wireLength = block.getInt(24);
            data = 28;
        }
        if (interfaceId < 0 || interfaceId >= interfaces.size() || captured < 0 || data + captured > length - 4)
        {
            throw new JournalException(file + ": malformed packet block at byte " + position);
        }
        noComment();
        final int direction = type == PcapFormat.SIMPLE_PACKET_BLOCK ? PcapFormat.DIRECTION_UNKNOWN :
            readOptions(data + ((captured + 3) & ~3), length);
        final long[] clock = clocks.get(interfaceId);
        view.wrap(block, 0, length);
        handler.onPacket(interfaces.get(interfaceId), toEpochNs(timestamp, clock[0], clock[1]), direction, view, data,
            captured, wireLength);
    }

    /**
     * Read a packet block's options: its first comment is kept for {@link #commentLength()}.
     *
     * @return the direction its {@code epb_flags} gives, or {@link PcapFormat#DIRECTION_UNKNOWN} without one.
     */
    private int readOptions(final int firstOption, final int length)
    {
        int direction = PcapFormat.DIRECTION_UNKNOWN;
        for (int option = firstOption; option + 4 <= length - 4; )
        {
            final int code = block.getShort(option) & 0xFFFF;
            final int optionLength = block.getShort(option + 2) & 0xFFFF;
            if (code == PcapFormat.OPT_END_OF_OPT || option + 4 + optionLength > length - 4)
            {
                break;
            }
            if (code == PcapFormat.EPB_FLAGS && optionLength >= 4)
            {
                direction = block.getInt(option + 4) & PcapFormat.DIRECTION_MASK;
            }
            else if (code == PcapFormat.OPT_COMMENT && commentLength == 0)
            {
                commentOffset = option + 4;
                commentLength = optionLength;
            }
            option += 4 + ((optionLength + 3) & ~3);
        }
        return direction;
    }

    private static long toEpochNs(final long timestamp, final long unitsPerSecond, final long offsetSeconds)
    {
        final long seconds = Long.divideUnsigned(timestamp, unitsPerSecond);
        final long units = Long.remainderUnsigned(timestamp, unitsPerSecond);
        final long fractionNs;
        if (NANOS_PER_SECOND % unitsPerSecond == 0)
        {
            fractionNs = units * (NANOS_PER_SECOND / unitsPerSecond);
        }
        else if (unitsPerSecond % NANOS_PER_SECOND == 0)
        {
            fractionNs = units / (unitsPerSecond / NANOS_PER_SECOND);
        }
        else
        {
            fractionNs = BigInteger.valueOf(units).multiply(BigInteger.valueOf(NANOS_PER_SECOND))
                .divide(BigInteger.valueOf(unitsPerSecond)).longValue();
        }
        return (seconds + offsetSeconds) * NANOS_PER_SECOND + fractionNs;
    }

    private static long pow10(final int exponent)
    {
        long value = 1;
        for (int i = 0; i < Math.min(exponent, 18); i++)
        {
            value *= 10;
        }
        return value;
    }

    private String text(final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        block.get(offset, bytes);
        int end = length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private boolean fits(final long position, final int length) throws IOException
    {
        if (!input.has(position, length))
        {
            truncated = true;
            return false;
        }
        return true;
    }

    private int readInt(final ByteOrder byteOrder, final long position) throws IOException
    {
        load(position, 4);
        return block.order(byteOrder).getInt(0);
    }

    /**
     * Read {@code length} bytes at {@code position} into {@link #block}, from its start, in the current order.
     */
    private void load(final long position, final int length) throws IOException
    {
        if (!input.has(position, length))
        {
            throw new EOFException();
        }
        if (length > block.capacity())
        {
            block = ByteBuffer.allocate(Integer.highestOneBit(length) * 2);
        }
        block.clear().limit(length);
        input.copy(position, length, block);
        block.order(order);
    }

    private static void quietClose(final FileChannel channel)
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // the capture could not be opened: that is the error to report
        }
    }
}
