package io.ringstack.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
 * What a capture says of a frame survives import, replay and export: a frame its snapshot length cut is imported as
 * captured, dropped by the engine as a cut frame in the recording and in every replay, and exported with its length on
 * the wire; a pcapng packet's comment comes back on the same frame, before the engine's own.
 */
class CaptureNoteTest
{
    private static final long FIRST_NS = 1_700_000_000_000_000_000L;
    private static final int CLOSED_PORT = 9999;
    private static final int CUT_TO = 60;

    @TempDir
    Path directory;

    @Test
    void aFrameTheSnapshotLengthCutIsImportedAsCapturedDroppedAsCutReplayedIdenticalAndExportedWithItsWireLength()
        throws IOException
    {
        final byte[] datagram = PeerFrames.bytes(PeerFrames.udp(40000, CLOSED_PORT, 200));
        final Path journal = importInto(new PcapngCapture(FIRST_NS, 1_000_000)
            .packet(PeerFrames.bytes(PeerFrames.arpRequest()), 42, null)
            .packet(datagram, CUT_TO, null));

        final List<String> notes = new ArrayList<>();
        final List<String> verdicts = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            final SessionHeader header = reader.header();
            assertTrue(reader.read(new VerdictPairing((record) ->
            {
                if (record.type() == JournalFormat.NOTE)
                {
                    notes.add(record.noteWireLength() + " \"" + record.noteText() + "\"");
                }
                else if (record.type() == JournalFormat.RX_FRAME)
                {
                    verdicts.add(record.frameLength() + " " + header.verdictName(record.verdict()));
                }
                return true;
            })).intact());
        }
        assertEquals(List.of(datagram.length + " \"\""), notes, "one NOTE: the cut frame's wire length");
        assertEquals(List.of("42 delivered", CUT_TO + " IPV4_BAD_TOTAL_LENGTH"), verdicts);
        assertTrue(Replayer.replay(journal, null).identical(), "the replay drops the cut frame as the recording did");

        final List<int[]> lengths = PcapngCapture.packetLengths(PcapngCapture.export(journal, directory.resolve("export.pcapng")));
        assertArrayEquals(new int[] {CUT_TO, datagram.length}, lengths.get(lengths.size() - 1),
            "the cut frame's EPB: captured and original length");
    }

    @Test
    void aPcapngPacketCommentComesBackOnItsFrameBeforeTheEnginesOwn() throws IOException
    {
        final Path journal = importInto(new PcapngCapture(FIRST_NS, 1_000_000)
            .packet(PeerFrames.bytes(PeerFrames.arpRequest()), 42, "who has the engine")
            .packet(PeerFrames.bytes(PeerFrames.udp(40000, CLOSED_PORT, 8)), 50, "probe of a closed port"));

        final List<String> comments = new ArrayList<>();
        for (final byte[] comment : PcapngCapture.packetOptions(PcapngCapture.export(journal, directory.resolve("export.pcapng")), PcapFormat.OPT_COMMENT))
        {
            comments.add(comment == null ? null : new String(comment, StandardCharsets.UTF_8));
        }

        assertEquals(4, comments.size(), "the ARP request, the engine's reply, the datagram, the engine's port " +
            "unreachable: " + comments);
        assertTrue(comments.get(0).matches("who has the engine \\(journal record \\d+\\)"), comments.get(0));
        assertNull(comments.get(1), "the ARP reply the engine sent");
        assertTrue(comments.get(2).matches("probe of a closed port; drop UDP_NO_SOCKET: .+ \\(journal record \\d+\\)"),
            comments.get(2));
        assertNull(comments.get(3), "the port unreachable the engine sent");
        assertTrue(Replayer.replay(journal, null).identical(), "a replay passes over the notes");
    }

    @Test
    void aCutFrameWithoutACommentAfterALongerCommentedOneImportsWithAnEmptyNote() throws IOException
    {
        final byte[] datagram = PeerFrames.bytes(PeerFrames.udp(40000, CLOSED_PORT, 200));
        final byte[] request = PeerFrames.bytes(PeerFrames.arpRequest());
        final Path journal = importInto(new PcapngCapture(FIRST_NS, 1_000_000)
            .packet(datagram, datagram.length, "a comment past the end of the next, shorter, block")
            .packet(request, 30, null));

        final List<String> notes = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(reader.read((record) ->
            {
                if (record.type() == JournalFormat.NOTE)
                {
                    notes.add(record.noteWireLength() + " \"" + record.noteText() + "\"");
                }
                return true;
            }).intact());
        }
        assertEquals(List.of("0 \"a comment past the end of the next, shorter, block\"", request.length + " \"\""),
            notes, "the commented frame's NOTE, then the cut frame's, which carries no comment");
    }

    private Path importInto(final PcapngCapture capture) throws IOException
    {
        return capture.importInto(directory);
    }
}
