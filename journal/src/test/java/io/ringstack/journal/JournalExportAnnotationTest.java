package io.ringstack.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An export comments only on trouble: a dropped frame's Enhanced Packet Block says why and which journal record it
 * comes from, every time (the comment is made once per drop reason, the record number per frame); a delivered frame
 * and a sent one carry none. Every received frame carries its verdict in {@code epb_verdict}.
 */
class JournalExportAnnotationTest
{
    private static final int CLOSED_PORT = 9999;
    private static final int DATAGRAMS = 3;

    @TempDir
    Path directory;

    @Test
    void droppedFramesAloneCarryACommentNamingTheReasonAndTheirRecord() throws IOException
    {
        final List<String> comments = new ArrayList<>();
        for (final byte[] comment : PcapngCapture.packetOptions(exportOfOneArpRequestAndThreeDatagramsToAClosedPort(),
            PcapFormat.OPT_COMMENT))
        {
            comments.add(comment == null ? null : new String(comment, StandardCharsets.UTF_8));
        }
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

    @Test
    void everyReceivedFrameCarriesItsVerdictAsAnXdpActionPassWhenDeliveredDropWhenDropped() throws IOException
    {
        final byte[] pass = {2, 2, 0, 0, 0, 0, 0, 0, 0};
        final byte[] drop = {2, 1, 0, 0, 0, 0, 0, 0, 0};

        final List<byte[]> verdicts = PcapngCapture.packetOptions(exportOfOneArpRequestAndThreeDatagramsToAClosedPort(),
            PcapFormat.EPB_VERDICT);

        int received = 0;
        for (final byte[] verdict : verdicts)
        {
            if (verdict != null)
            {
                assertArrayEquals(received == 0 ? pass : drop, verdict, "frame " + received + " of " + verdicts.size());
                received++;
            }
        }
        assertEquals(1 + DATAGRAMS, received, "the ARP request and the datagrams; the ARP reply sent has none");
    }

    private byte[] exportOfOneArpRequestAndThreeDatagramsToAClosedPort() throws IOException
    {
        final List<byte[]> frames = new ArrayList<>();
        frames.add(PeerFrames.bytes(PeerFrames.arpRequest()));
        for (int i = 0; i < DATAGRAMS; i++)
        {
            frames.add(PeerFrames.bytes(PeerFrames.udp(40000, CLOSED_PORT, 8)));
        }
        final Path capture = directory.resolve("capture.pcap");
        Files.write(capture, ClassicPcap.of(ByteOrder.LITTLE_ENDIAN, PcapFormat.PCAP_MAGIC_NANOSECONDS,
            PcapFormat.LINKTYPE_ETHERNET, frames, 1_700_000_000_000_000_000L, 1_000_000_000L));
        final Path journal = directory.resolve("journal");
        CaptureImport.run(capture, journal, new CaptureImport.Settings(null, null, null), ProgressListener.NONE);
        return PcapngCapture.export(journal, directory.resolve("export.pcapng"));
    }
}
