package io.ringstack.journal;

import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
 * timestamps are nanoseconds since 1970. Blocks are built in place in an output buffer of a few megabytes, written
 * to the file when the next block might not fit and on {@link #close()}: no system call and no object per frame.
 */
public final class PcapngWriter implements AutoCloseable
{
    private static final int MAX_BLOCK_LENGTH = 256 * 1024;
    private static final int OUTPUT_BUFFER_BYTES = 16 * MAX_BLOCK_LENGTH;
    private static final byte[] RECORD_NOTE = " (journal record ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DIGITS = 19;

    private final FileChannel channel;
    private final ByteBuffer block = ByteBuffer.allocateDirect(OUTPUT_BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] digits = new byte[MAX_DIGITS];
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
        begin(SECTION_HEADER_BLOCK);
        block.putInt(BYTE_ORDER_MAGIC).putShort((short)1).putShort((short)0).putLong(-1L);
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
        block.putShort((short)LINKTYPE_ETHERNET).putShort((short)0).putInt(0);
        stringOption(IF_NAME, name);
        stringOption(IF_DESCRIPTION, description);
        if (ipv4Address != 0)
        {
            final int netmask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            option(IF_IPV4_ADDRESS, 8);
            block.order(ByteOrder.BIG_ENDIAN).putInt(ipv4Address).putInt(netmask).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (macAddress >= 0)
        {
            option(IF_MAC_ADDRESS, 6);
            for (int shift = 40; shift >= 0; shift -= 8)
            {
                block.put((byte)(macAddress >>> shift));
            }
            pad();
        }
        option(IF_TSRESOL, 1);
        block.put((byte)NANOSECOND_RESOLUTION);
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
     * @param comment   the {@code opt_comment} in UTF-8, or {@code null} for none; {@code " (journal record N)"}
     *                  is added to it, N being {@code record}.
     * @param record    the journal record the frame comes from.
     */
    public void enhancedPacket(
        final int interfaceId, final long epochNs, final DirectBuffer frame, final int offset, final int length,
        final int wireLength, final int direction, final int xdpAction, final byte[] comment, final long record)
    {
        final int captured = Math.min(length, MAX_BLOCK_LENGTH / 2);
        begin(ENHANCED_PACKET_BLOCK);
        block.putInt(interfaceId).putInt((int)(epochNs >>> 32)).putInt((int)epochNs).putInt(captured).putInt(Math.max(length, wireLength));
        frame.getBytes(offset, block, captured);
        pad();
        option(EPB_FLAGS, 4);
        block.putInt(direction);
        if (xdpAction != NO_VERDICT)
        {
            option(EPB_VERDICT, 1 + Long.BYTES);
            block.put((byte)VERDICT_TYPE_LINUX_EBPF_XDP).putLong(xdpAction);
            pad();
        }
        if (comment != null)
        {
            final int digitCount = digits(record);
            final int commentLength = Math.min(comment.length, MAX_BLOCK_LENGTH / 4);
            option(OPT_COMMENT, commentLength + RECORD_NOTE.length + digitCount + 1);
            block.put(comment, 0, commentLength).put(RECORD_NOTE).put(digits, MAX_DIGITS - digitCount, digitCount)
                .put((byte)')');
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
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return how many digits of {@code value} (0 or more) now end {@link #digits}.
     */
    private int digits(final long value)
    {
        long rest = Math.max(0, value);
        int count = 0;
        do
        {
            digits[MAX_DIGITS - ++count] = (byte)('0' + rest % 10);
            rest /= 10;
        }
        while (rest != 0);
        return count;
    }

    private void begin(final int type)
    {
        if (block.remaining() < MAX_BLOCK_LENGTH)
        {
            flush();
        }
        blockStart = block.position();
        block.putInt(type).putInt(0);
    }

    private void flush()
    {
        block.flip();
        try
        {
            while (block.hasRemaining())
            {
                channel.write(block);
            }
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write pcapng: " + ex.getMessage(), ex);
        }
        block.clear();
    }

    private void stringOption(final int code, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final int length = Math.min(bytes.length, 0xFFFF);
        option(code, length);
        block.put(bytes, 0, length);
        pad();
    }

    private void option(final int code, final int length)
    {
        block.putShort((short)code).putShort((short)length);
    }

    private void pad()
    {
        while ((block.position() & 3) != 0)
        {
            block.put((byte)0);
        }
    }

    private void end()
    {
        option(OPT_END_OF_OPT, 0);
        final int total = block.position() - blockStart + 4;
        block.putInt(total);
        block.putInt(blockStart + 4, total);
    }
}
