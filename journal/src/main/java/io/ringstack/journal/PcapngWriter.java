package io.ringstack.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static io.ringstack.journal.PcapFormat.BYTE_ORDER_MAGIC;
import static io.ringstack.journal.PcapFormat.ENHANCED_PACKET_BLOCK;
import static io.ringstack.journal.PcapFormat.EPB_FLAGS;
import static io.ringstack.journal.PcapFormat.EPB_VERDICT;
import static io.ringstack.journal.PcapFormat.IF_DESCRIPTION;
import static io.ringstack.journal.PcapFormat.IF_IPV4_ADDRESS;
import static io.ringstack.journal.PcapFormat.IF_MAC_ADDRESS;
import static io.ringstack.journal.PcapFormat.IF_NAME;
import static io.ringstack.journal.PcapFormat.IF_TSRESOL;
import static io.ringstack.journal.PcapFormat.INTERFACE_DESCRIPTION_BLOCK;
import static io.ringstack.journal.PcapFormat.LINKTYPE_ETHERNET;
import static io.ringstack.journal.PcapFormat.NANOSECOND_RESOLUTION;
import static io.ringstack.journal.PcapFormat.NO_VERDICT;
import static io.ringstack.journal.PcapFormat.OPT_COMMENT;
import static io.ringstack.journal.PcapFormat.OPT_END_OF_OPT;
import static io.ringstack.journal.PcapFormat.SECTION_HEADER_BLOCK;
import static io.ringstack.journal.PcapFormat.SHB_USER_APPLICATION;
import static io.ringstack.journal.PcapFormat.VERDICT_TYPE_LINUX_EBPF_XDP;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

/**
 * Writes a pcapng file (draft-ietf-opsawg-pcapng), little-endian, one section: a Section Header Block, an Interface
 * Description Block per interface, an Enhanced Packet Block per frame. Every block is
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          Block Type                           |
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 *  /                          Block Body                           /
 *  +---------------------------------------------------------------+
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 * </pre>
 * and every option a 16-bit code, a 16-bit length and a value padded to 32 bits, the list ended by
 * {@code opt_endofopt} ({@link PcapFormat} has the codes). Interfaces are declared with {@code if_tsresol} = 9, so
 * timestamps are nanoseconds since 1970. Blocks are built in place in an output buffer, handed to a thread of its
 * own ({@link BackgroundFileWriter}) when the next block might not fit and on {@link #close()}, while the next are
 * built in its second buffer: no system call and no object per frame. The buffers are kept small (two of the largest
 * block), so that the one the writer's thread copies into the page cache is still in the processor's cache: with
 * buffers of 4 MiB that copy cost three times as much.
 */
public final class PcapngWriter implements AutoCloseable
{
    private static final int MAX_BLOCK_LENGTH = 256 * 1024;
    private static final int OUTPUT_BUFFER_BYTES = 2 * MAX_BLOCK_LENGTH;
    private static final int MAX_COMMENT_LENGTH = MAX_BLOCK_LENGTH / 4;
    private static final byte[] RECORD_NOTE = " (journal record ".getBytes(StandardCharsets.US_ASCII);

    private final FileChannel channel;
    private final BackgroundFileWriter writer;
    private final UnsafeBuffer block;
    private final byte[] digits = new byte[AsciiDigits.MAX_DIGITS];
    private byte[] notedComment;
    private byte[] commentWithNote;
    private int position;
    private int blockStart;

    /**
     * Create (or replace) the file and write the section header.
     *
     * @param application the {@code shb_userappl} option, e.g. {@code "ringstack 0.1.0"}.
     * @param comment     the section's comment, or {@code null}.
     */
    public PcapngWriter(final Path file, final String application, final String comment)
    {
        try
        {
            channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create " + file + ": " + ex.getMessage(), ex);
        }
        writer = new BackgroundFileWriter(channel, "pcapng", OUTPUT_BUFFER_BYTES);
        block = new UnsafeBuffer(writer.buffer());
        begin(SECTION_HEADER_BLOCK);
        putInt(BYTE_ORDER_MAGIC);
        putShort(1);
        putShort(0);
        block.putLong(position, -1L, LITTLE_ENDIAN);
        position += Long.BYTES;
        stringOption(SHB_USER_APPLICATION, application);
        if (comment != null)
        {
            stringOption(OPT_COMMENT, comment);
        }
        end();
    }

    /**
     * Declare the next interface (ids count from 0 in the order declared): Ethernet, nanosecond timestamps.
     *
     * @param ipv4Address its address, or 0 for none; with {@code prefixLength} written as {@code if_IPv4addr}.
     * @param macAddress  its MAC (low 48 bits), or -1 for none.
     */
    public void interfaceDescription(
        final String name, final String description, final int ipv4Address, final int prefixLength,
        final long macAddress)
    {
        begin(INTERFACE_DESCRIPTION_BLOCK);
        putShort(LINKTYPE_ETHERNET);
        putShort(0);
        putInt(0);
        stringOption(IF_NAME, name);
        stringOption(IF_DESCRIPTION, description);
        if (ipv4Address != 0)
        {
            final int netmask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            option(IF_IPV4_ADDRESS, 8);
            block.putInt(position, ipv4Address, BIG_ENDIAN);
            block.putInt(position + Integer.BYTES, netmask, BIG_ENDIAN);
            position += 2 * Integer.BYTES;
        }
        if (macAddress >= 0)
        {
            option(IF_MAC_ADDRESS, 6);
            for (int shift = 40; shift >= 0; shift -= 8)
            {
                block.putByte(position++, (byte)(macAddress >>> shift));
            }
            pad();
        }
        option(IF_TSRESOL, 1);
        block.putByte(position++, (byte)NANOSECOND_RESOLUTION);
        pad();
        end();
    }

    /**
     * One frame.
     *
     * @param wireLength the frame's length on the wire: {@code length}, or more when it was cut.
     * @param direction {@link PcapFormat#DIRECTION_INBOUND} or {@link PcapFormat#DIRECTION_OUTBOUND}.
     * @param xdpAction the {@code epb_verdict}, {@link PcapFormat#XDP_PASS} or {@link PcapFormat#XDP_DROP}, or
     *                  {@link PcapFormat#NO_VERDICT} for none.
     * @param comment   the {@code opt_comment} in UTF-8, or {@code null} for none, not changed once passed (the
     *                  same array may be passed for many frames); {@code " (journal record N)"} is added to it, N
     *                  being {@code record}.
     * @param record    the journal record the frame comes from.
     */
    public void enhancedPacket(
        final int interfaceId, final long epochNs, final DirectBuffer frame, final int offset, final int length,
        final int wireLength, final int direction, final int xdpAction, final byte[] comment, final long record)
    {
        final int captured = Math.min(length, MAX_BLOCK_LENGTH / 2);
        begin(ENHANCED_PACKET_BLOCK);
        putInt(interfaceId);
        putInt((int)(epochNs >>> 32));
        putInt((int)epochNs);
        putInt(captured);
        putInt(Math.max(length, wireLength));
        block.putBytes(position, frame, offset, captured);
        position += captured;
        pad();
        option(EPB_FLAGS, 4);
        putInt(direction);
        if (xdpAction != NO_VERDICT)
        {
            option(EPB_VERDICT, 1 + Long.BYTES);
            block.putByte(position, (byte)VERDICT_TYPE_LINUX_EBPF_XDP);
            block.putLong(position + 1, xdpAction, LITTLE_ENDIAN);
            position += 1 + Long.BYTES;
            pad();
        }
        if (comment != null)
        {
            final byte[] noted = withRecordNote(comment);
            final long sequence = Math.max(0, record);
            final int digitCount = AsciiDigits.count(sequence);
            option(OPT_COMMENT, noted.length + digitCount + 1);
            putBytes(noted, 0, noted.length);
            AsciiDigits.write(digits, digitCount, sequence);
            for (int i = 0; i < digitCount; i++)
            {
                block.putByte(position++, digits[i]);
            }
            block.putByte(position++, (byte)')');
            pad();
        }
        end();
    }

    /**
     * Write what is buffered and close the file.
     *
     * @throws JournalException when the file cannot be written.
     */
    public void close()
    {
        try
        {
            flush();
        }
        finally
        {
            try
            {
                writer.finish();
            }
            finally
            {
                closeChannel();
            }
        }
    }

    private void closeChannel()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return {@code comment}, cut to {@value #MAX_COMMENT_LENGTH} bytes, then {@code " (journal record "}: made once
     * for a comment passed again (a drop reason's comment is one array for every frame dropped for it), so that a
     * frame's comment is one copy, its record number and a parenthesis.
     */
    private byte[] withRecordNote(final byte[] comment)
    {
        if (comment != notedComment)
        {
            final int length = Math.min(comment.length, MAX_COMMENT_LENGTH);
            commentWithNote = Arrays.copyOf(comment, length + RECORD_NOTE.length);
            System.arraycopy(RECORD_NOTE, 0, commentWithNote, length, RECORD_NOTE.length);
            notedComment = comment;
        }
        return commentWithNote;
    }

    private void begin(final int type)
    {
        if (OUTPUT_BUFFER_BYTES - position < MAX_BLOCK_LENGTH)
        {
            flush();
        }
        blockStart = position;
        putInt(type);
        putInt(0);
    }

    /**
     * Hand the buffer filled so far to the writer's thread and go on in the other, which it has written by then.
     */
    private void flush()
    {
        block.wrap(writer.handOver(position));
        position = 0;
    }

    private void stringOption(final int code, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, 0xFFFF);
        option(code, length);
        putBytes(bytes, 0, length);
        pad();
    }

    private void option(final int code, final int length)
    {
        block.putInt(position, (code & 0xFFFF) | length << 16, LITTLE_ENDIAN);
        position += Integer.BYTES;
    }

    private void putInt(final int value)
    {
        block.putInt(position, value, LITTLE_ENDIAN);
        position += Integer.BYTES;
    }

    private void putShort(final int value)
    {
        block.putShort(position, (short)value, LITTLE_ENDIAN);
        position += Short.BYTES;
    }

    private void putBytes(final byte[] bytes, final int offset, final int length)
    {
        block.putBytes(position, bytes, offset, length);
        position += length;
    }

    /**
     * Zeros up to the next multiple of 4 bytes (written as a whole int: the buffer keeps room for a block past the
     * position, and what lies beyond the padding is written over next).
     */
    private void pad()
    {
        block.putInt(position, 0);
        position = (position + 3) & ~3;
    }

    private void end()
    {
        option(OPT_END_OF_OPT, 0);
        final int total = position - blockStart + Integer.BYTES;
        putInt(total);
        block.putInt(blockStart + Integer.BYTES, total, LITTLE_ENDIAN);
    }
}
