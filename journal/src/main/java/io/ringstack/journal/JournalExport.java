package io.ringstack.journal;

import io.ringstack.engine.EngineTap;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.FrameTap;
import io.ringstack.iface.TxResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * {@code ringstack journal export}: the journal's frames as a pcapng file that Wireshark and tshark open. One
 * interface per engine interface (0: the device, 1: the loopback ring), each with the engine's address and MAC and
 * nanosecond timestamps; one Enhanced Packet Block per frame, in journal order, stamped with wall-clock time, with
 * {@code epb_flags} inbound for received frames and outbound for transmitted ones, an {@code epb_verdict} on every
 * frame whose fate is known (received and delivered: {@code XDP_PASS}; dropped, or not sent: {@code XDP_DROP}; a
 * frame sent, or a fragment held for reassembly, has none), and on a frame that met trouble only an {@code opt_comment}
 * saying what: {@code "drop UDP_NO_SOCKET: ..."} or {@code "not sent: NO_BUFFER (...)"}, with the journal record's
 * sequence number. Wireshark filters on both: {@code frame.comment} and the verdict shown under the frame. What an
 * imported capture said of a frame ({@link JournalFormat#NOTE}) goes back on it: its length on the wire when the
 * capture cut it, and the capture's comment, before any comment of the engine's.
 */
public final class JournalExport
{
    /** Symbolic links followed in a row before an export gives up, as Linux's {@code MAXSYMLINKS}. */
    private static final int MAX_LINKS = 40;

    private JournalExport()
    {
    }

    /**
     * What an export wrote.
     *
     * @param read   how the read of the journal went.
     * @param frames frames written to the capture.
     */
    public record Result(ReadResult read, long frames)
    {
    }

    /**
     * Write the journal's frames to {@code pcapng}. A file is written beside it under a temporary name, which takes
     * its place only when the whole journal was read intact (a cut tail included), so a failed export leaves no
     * partial file and never clobbers an earlier capture; through a symbolic link, beside the file it names, which is
     * replaced and the link kept. What exists and is not a file (a device, a pipe such as {@code /dev/stdout}) is
     * written straight, never replaced; a directory is refused by the write.
     */
    public static Result write(final JournalReader reader, final Path pcapng)
    {
        if (Files.exists(pcapng) && !Files.isRegularFile(pcapng))
        {
            return writeTo(reader, pcapng);
        }
        final Path target = fileNamedBy(pcapng);
        final Path partial = target.resolveSibling(target.getFileName() + ".partial");
        boolean complete = false;
        try
        {
            final Result result = writeTo(reader, partial);
            complete = result.read().intact();
            if (complete)
            {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return result;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write " + pcapng + ": " + ex.getMessage(), ex);
        }
        finally
        {
            if (!complete)
            {
                deleteQuietly(partial);
            }
        }
    }

    /**
     * @return the file {@code path} names: itself, or through symbolic links the file the last one points at, which
     * need not exist yet (a dangling link is written through, as a shell's {@code >} writes it), a relative target
     * taken from the link's directory; more than {@value #MAX_LINKS} links in a row are refused, as Linux's
     * {@code ELOOP}.
     */
    private static Path fileNamedBy(final Path path)
    {
        Path named = path;
        try
        {
            for (int links = 0; Files.isSymbolicLink(named); links++)
            {
                if (links == MAX_LINKS)
                {
                    throw new JournalException("cannot write " + path + ": more than " + MAX_LINKS +
                        " symbolic links in a row");
                }
                named = named.resolveSibling(Files.readSymbolicLink(named));
            }
            return named;
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot write " + path + ": cannot read the symbolic link " + named + " (" +
                ex.getMessage() + ")", ex);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // the export has already failed; the error that made it fail is the one to report
        }
    }

    private static Result writeTo(final JournalReader reader, final Path pcapng)
    {
        final SessionHeader header = reader.header();
        try (PcapngWriter writer = new PcapngWriter(
            pcapng, "ringstack " + header.ringstackVersion(), "journal of " + header.describe()))
        {
            final int address = header.interfaceConfig().address();
            final int prefix = header.interfaceConfig().prefixLength();
            final long mac = header.interfaceConfig().macAddress();
            writer.interfaceDescription("device", header.hasDevice() ? header.deviceName() : "no device",
                address, prefix, mac);
            writer.interfaceDescription("loopback", "loopback ring of " + header.engineName(), address, prefix, mac);
            final FrameBlocks frames = new FrameBlocks(writer, header);
            final VerdictPairing pairing = new VerdictPairing(frames);
            final ReadResult result = reader.read(pairing);
            pairing.finish();
            return new Result(result, frames.written);
        }
    }

    /**
     * Writes an Enhanced Packet Block for each frame record, with what the NOTE before it said.
     */
    private static final class FrameBlocks implements RecordHandler
    {
        private final PcapngWriter writer;
        private final SessionHeader header;
        private final byte[][] dropComments;
        private int noteWireLength;
        private byte[] noteComment;
        private long written;

        FrameBlocks(final PcapngWriter writer, final SessionHeader header)
        {
            this.writer = writer;
            this.header = header;
            this.dropComments = new byte[header.dropReasons().size()][];
        }

        public boolean onRecord(final JournalRecord record)
        {
            final int type = record.type();
            if (type == JournalFormat.NOTE)
            {
                noteWireLength = record.noteWireLength();
                noteComment = new byte[record.noteTextLength()];
                record.buffer().getBytes(record.noteTextOffset(), noteComment);
            }
            else if (type == JournalFormat.RX_FRAME)
            {
                final boolean noted = record.interfaceId() == FrameTap.INTERFACE_DEVICE;
                write(record, PcapFormat.DIRECTION_INBOUND, rxVerdict(record.verdict()),
                    join(noted ? noteComment : null, dropComment(header, record.verdict(), dropComments)),
                    noted ? Math.max(noteWireLength, record.frameLength()) : record.frameLength());
                if (noted)
                {
                    noteWireLength = 0;
                    noteComment = null;
                }
            }
            else if (type == JournalFormat.TX_FRAME && !isDeliveredLater(record))
            {
                write(record, PcapFormat.DIRECTION_OUTBOUND, txVerdict(record.txResult()),
                    utf8(failureComment(record.txResult())), record.frameLength());
            }
            return true;
        }

        private void write(
            final JournalRecord record, final int direction, final int verdict, final byte[] comment,
            final int wireLength)
        {
            written++;
            writer.enhancedPacket(record.interfaceId(), header.epochNs(record.timestampNs()), record.buffer(),
                record.frameOffset(), record.frameLength(), wireLength, direction, verdict, comment,
                record.sequence());
        }
    }

    /**
     * @return the capture's comment and the engine's, one after the other, or whichever there is.
     */
    private static byte[] join(final byte[] captureComment, final byte[] engineComment)
    {
        if (captureComment == null || captureComment.length == 0)
        {
            return engineComment;
        }
        if (engineComment == null)
        {
            return captureComment;
        }
        final byte[] both = Arrays.copyOf(captureComment, captureComment.length + 2 + engineComment.length);
        both[captureComment.length] = ';';
        both[captureComment.length + 1] = ' ';
        System.arraycopy(engineComment, 0, both, captureComment.length + 2, engineComment.length);
        return both;
    }

    /**
     * A frame the engine sent on its loopback is received on it too: it is written once, when it is received and
     * its verdict known, as Linux's {@code lo} shows each packet once; otherwise Wireshark would take the second
     * copy for a retransmission.
     */
    private static boolean isDeliveredLater(final JournalRecord record)
    {
        return record.type() == JournalFormat.TX_FRAME && record.interfaceId() == FrameTap.INTERFACE_LOOPBACK &&
            record.txResult() == TxResult.SENT;
    }

    /**
     * @return the {@code epb_verdict} of a received frame: passed when delivered, dropped under any drop reason, none
     * while its fate is open (a fragment held, a verdict not recorded).
     */
    private static int rxVerdict(final int verdict)
    {
        if (verdict == EngineTap.DELIVERED)
        {
            return PcapFormat.XDP_PASS;
        }
        return verdict == FrameTap.HELD || verdict == JournalFormat.VERDICT_PENDING ?
            PcapFormat.NO_VERDICT : PcapFormat.XDP_DROP;
    }

    /**
     * @return the {@code epb_verdict} of a transmitted frame: dropped when it was not sent, else none.
     */
    private static int txVerdict(final int result)
    {
        return result == TxResult.SENT ? PcapFormat.NO_VERDICT : PcapFormat.XDP_DROP;
    }

    /**
     * @return {@link #dropComment(SessionHeader, int)} in UTF-8, made once per drop reason and kept in
     * {@code madeByReason}, so that a journal of drops costs no string per frame.
     */
    private static byte[] dropComment(final SessionHeader header, final int verdict, final byte[][] madeByReason)
    {
        if (verdict >= 0 && verdict < madeByReason.length)
        {
            if (madeByReason[verdict] == null)
            {
                madeByReason[verdict] = utf8(dropComment(header, verdict));
            }
            return madeByReason[verdict];
        }
        return utf8(dropComment(header, verdict));
    }

    private static byte[] utf8(final String text)
    {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return why a received frame was not delivered, or {@code null} when it was: only trouble gets a comment, so
     * that Wireshark's Expert Info lists the drops and nothing else.
     */
    private static String dropComment(final SessionHeader header, final int verdict)
    {
        if (verdict == EngineTap.DELIVERED)
        {
            return null;
        }
        if (verdict == JournalFormat.VERDICT_PENDING)
        {
            return "verdict not recorded";
        }
        final String name = header.verdictName(verdict);
        for (final DropReason reason : DropReason.values())
        {
            if (reason.name().equals(name))
            {
                return "drop " + name + ": " + reason.description();
            }
        }
        return "drop " + name;
    }

    private static String failureComment(final int result)
    {
        return result == TxResult.SENT ? null : "not sent: " + TxResult.describe(result);
    }
}
