package io.ringstack.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small pcapng files for tests, little-endian: a Section Header Block, one Ethernet Interface Description Block with
 * nanosecond timestamps, and an Enhanced Packet Block per packet, each optionally cut to fewer bytes than it had on the
 * wire and optionally carrying an {@code opt_comment}.
 */
final class PcapngCapture
{
    private final List<byte[]> blocks = new ArrayList<>();
    private long nextNs;
    private final long stepNs;

    PcapngCapture(final long firstNs, final long stepNs)
    {
        this.nextNs = firstNs;
        this.stepNs = stepNs;
        blocks.add(block(PcapFormat.SECTION_HEADER_BLOCK, body(16).putInt(PcapFormat.BYTE_ORDER_MAGIC)
            .putShort((short)1).putShort((short)0).putLong(-1L)));
        final ByteBuffer description = body(12).putShort((short)PcapFormat.LINKTYPE_ETHERNET).putShort((short)0)
            .putInt(0).putShort((short)PcapFormat.IF_TSRESOL).putShort((short)1)
            .put((byte)PcapFormat.NANOSECOND_RESOLUTION).put(new byte[3]);
        blocks.add(block(PcapFormat.INTERFACE_DESCRIPTION_BLOCK, description));
    }

    /**
     * @param captured bytes of {@code frame} the capture kept.
     * @param comment  the packet's {@code opt_comment}, or {@code null}.
     */
    PcapngCapture packet(final byte[] frame, final int captured, final String comment)
    {
        final byte[] text = comment == null ? new byte[0] : comment.getBytes(StandardCharsets.UTF_8);
        final ByteBuffer packet = body(20 + padded(captured) + (comment == null ? 0 : 4 + padded(text.length)))
            .putInt(0).putInt((int)(nextNs >>> 32)).putInt((int)nextNs).putInt(captured).putInt(frame.length)
            .put(frame, 0, captured).put(new byte[padded(captured) - captured]);
        if (comment != null)
        {
            packet.putShort((short)PcapFormat.OPT_COMMENT).putShort((short)text.length).put(text)
                .put(new byte[padded(text.length) - text.length]);
        }
        blocks.add(block(PcapFormat.ENHANCED_PACKET_BLOCK, packet));
        nextNs += stepNs;
        return this;
    }

    byte[] bytes()
    {
        final ByteBuffer file = ByteBuffer.allocate(blocks.stream().mapToInt((b) -> b.length).sum());
        blocks.forEach(file::put);
        return file.array();
    }

    /**
     * Write the capture to {@code directory} and import it into a journal there, with the import's defaults.
     *
     * @return the journal's directory.
     */
    Path importInto(final Path directory) throws IOException
    {
        final Path file = directory.resolve("capture.pcapng");
        Files.write(file, bytes());
        final Path journal = directory.resolve("journal");
        CaptureImport.run(file, journal, new CaptureImport.Settings(null, null, null), ProgressListener.NONE);
        return journal;
    }

    /**
     * @return the bytes of {@code journal} exported to {@code pcapng}, having checked the whole journal was read.
     */
    static byte[] export(final Path journal, final Path pcapng) throws IOException
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(JournalExport.write(reader, pcapng).read().intact(), "the journal read intact");
        }
        return Files.readAllBytes(pcapng);
    }

    /**
     * @return the value of option {@code optionCode} of each Enhanced Packet Block of {@code file}, in order,
     * {@code null} where it has none.
     */
    static List<byte[]> packetOptions(final byte[] file, final int optionCode)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        final List<byte[]> values = new ArrayList<>();
        for (int block = 0; block < file.length; block += buffer.getInt(block + 4))
        {
            if (buffer.getInt(block) != PcapFormat.ENHANCED_PACKET_BLOCK)
            {
                continue;
            }
            byte[] value = null;
            final int end = block + buffer.getInt(block + 4) - 4;
            for (int option = block + 28 + padded(buffer.getInt(block + 20)); option + 4 <= end; )
            {
                final int code = buffer.getShort(option) & 0xFFFF;
                final int length = buffer.getShort(option + 2) & 0xFFFF;
                if (code == optionCode)
                {
                    value = Arrays.copyOfRange(file, option + 4, option + 4 + length);
                }
                option += 4 + padded(length);
            }
            values.add(value);
        }
        return values;
    }

    /**
     * @return the captured and the original length of each Enhanced Packet Block of {@code file}, in order.
     */
    static List<int[]> packetLengths(final byte[] file)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        final List<int[]> lengths = new ArrayList<>();
        for (int block = 0; block < file.length; block += buffer.getInt(block + 4))
        {
            if (buffer.getInt(block) == PcapFormat.ENHANCED_PACKET_BLOCK)
            {
                lengths.add(new int[] {buffer.getInt(block + 20), buffer.getInt(block + 24)});
            }
        }
        return lengths;
    }

    private static ByteBuffer body(final int optionlessLength)
    {
        return ByteBuffer.allocate(optionlessLength + 4 + 64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * The block around {@code body} (its options, if any, ended by {@code opt_endofopt}).
     */
    private static byte[] block(final int type, final ByteBuffer body)
    {
        body.putInt(0).flip();
        final int total = 12 + body.remaining();
        final ByteBuffer block = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        block.putInt(type).putInt(total).put(body).putInt(total);
        return block.array();
    }

    private static int padded(final int length)
    {
        return (length + 3) & ~3;
    }
}
