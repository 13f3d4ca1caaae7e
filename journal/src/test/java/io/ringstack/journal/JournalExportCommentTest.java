package io.ringstack.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export comments only on trouble: a dropped frame's Enhanced Packet Block says why and which journal record it
 * comes from, every time (the comment is made once per drop reason, the record number per frame); a delivered frame
 * and a sent one carry none.
 */
class JournalExportCommentTest
{
    private static final int CLOSED_PORT = 9999;
    private static final int DATAGRAMS = 3;

    @TempDir
    Path directory;

    @Test
    void droppedFramesAloneCarryACommentNamingTheReasonAndTheirRecord() throws IOException
    {
        final List<byte[]> frames = new ArrayList<>();
        frames.add(bytes(PeerFrames.arpRequest()));
        for (int i = 0; i < DATAGRAMS; i++)
        {
            frames.add(bytes(PeerFrames.udp(40000, CLOSED_PORT, 8)));
        }
        final Path capture = directory.resolve("capture.pcap");
        Files.write(capture, ClassicPcap.of(ByteOrder.LITTLE_ENDIAN, PcapFormat.PCAP_MAGIC_NANOSECONDS,
            PcapFormat.LINKTYPE_ETHERNET, frames, 1_700_000_000_000_000_000L, 1_000_000_000L));
        final Path journal = directory.resolve("journal");
        CaptureImport.run(capture, journal, new CaptureImport.Settings(null, null, null), ProgressListener.NONE);
        final Path pcapng = directory.resolve("export.pcapng");

        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(JournalExport.write(reader, pcapng).read().intact());
        }

        final List<String> comments = packetComments(Files.readAllBytes(pcapng));
        assertNull(comments.get(0), "the ARP request was delivered");
        int dropped = 0;
        for (final String comment : comments)
        {
            if (comment != null)
            {
                assertTrue(comment.matches("drop UDP_NO_SOCKET: .+ \\(journal record \\d+\\)"), comment);
                dropped++;
            }
        }
        assertEquals(DATAGRAMS, dropped, comments.toString());
        assertEquals(DATAGRAMS, comments.stream().filter(c -> c != null).distinct().count(), "one record each");
    }

    /**
     * @return the {@code opt_comment} of each Enhanced Packet Block, in order, {@code null} where it has none.
     */
    private static List<String> packetComments(final byte[] file)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        final List<String> comments = new ArrayList<>();
        for (int block = 0; block < file.length; block += buffer.getInt(block + 4))
        {
            if (buffer.getInt(block) != PcapFormat.ENHANCED_PACKET_BLOCK)
            {
                continue;
            }
            String comment = null;
            final int end = block + buffer.getInt(block + 4) - 4;
            for (int option = block + 28 + ((buffer.getInt(block + 20) + 3) & ~3); option + 4 <= end; )
            {
                final int code = buffer.getShort(option) & 0xFFFF;
                final int length = buffer.getShort(option + 2) & 0xFFFF;
                if (code == PcapFormat.OPT_COMMENT)
                {
                    comment = new String(file, option + 4, length, StandardCharsets.UTF_8);
                }
                option += 4 + ((length + 3) & ~3);
            }
            comments.add(comment);
        }
        return comments;
    }

    private static byte[] bytes(final UnsafeBuffer frame)
    {
        final byte[] bytes = new byte[frame.capacity()];
        frame.getBytes(0, bytes);
        return bytes;
    }
}
