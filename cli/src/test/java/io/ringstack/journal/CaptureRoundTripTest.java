package io.ringstack.journal;

import io.ringstack.engine.EngineTap;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Export to pcapng, checked by tshark's own decoder, and import back: a journal's device input survives the round
 * trip bit for bit and time for time, and the imported journal replays identical.
 */
class CaptureRoundTripTest
{
    private final SeedJournals journals = SeedJournals.recorded();

    @Test
    void tsharkDecodesTheExportedFramesWithDirectionsAndDropReasons() throws Exception
    {
        assumeTrue(tsharkIsInstalled(),
            "tshark is not installed (apt-get install tshark; CI's .ci/run installs it): pcapng decode not checked");
        final Path capture = journals.newDirectory("tshark").resolve("guest.pcapng");
        export(journals.guest(), capture);

        final List<String> datagram = tshark(capture, "udp.dstport == 7777 && !icmp",
            "frame.interface_name", "ip.src", "ip.dst", "udp.dstport", "frame.packet_flags_direction");
        assertEquals(List.of("device\t10.0.2.15\t10.0.2.2\t7777\t0x00000002"), datagram);

        final List<String> unreachable = tshark(capture, "icmp.type == 3",
            "ip.src", "icmp.code", "frame.packet_flags_direction", "frame.comment");
        assertEquals(1, unreachable.size(), unreachable::toString);
        assertTrue(unreachable.get(0).startsWith("10.0.2.2,10.0.2.15\t3\t0x00000001\tdrop ICMP_ERROR_NOT_REPORTED: "),
            unreachable.get(0));

        final List<String> loopback = tshark(capture, "frame.interface_id == 1 && udp.dstport == 54321",
            "frame.interface_name", "ip.src", "udp.srcport", "frame.packet_flags_direction");
        assertEquals(List.of("loopback\t10.0.2.15\t12345\t0x00000001"), loopback,
            "a loopback frame once, as it is received, not again as it was sent");

        final List<String> commented = tshark(capture, "frame.comment", "frame.comment");
        assertFalse(commented.isEmpty());
        assertTrue(commented.stream().allMatch((comment) -> comment.startsWith("drop ")), commented::toString);

        assertEquals(List.of(), tshark(capture, "tcp.analysis.retransmission || tcp.analysis.duplicate_ack",
            "frame.number", "tcp.stream"), "no segment is shown twice");

        final List<String> firstTime = tshark(capture, "frame.number == 1", "frame.time_epoch");
        final long firstEpochNs = firstFrame(journals.guest()).epochNs;
        assertEquals(firstEpochNs / 1_000_000_000L + "." + String.format("%09d", firstEpochNs % 1_000_000_000L),
            firstTime.get(0));
    }

    @Test
    void exportThenImportKeepsEveryDeviceInputAndReplaysIdentical()
    {
        final Path directory = journals.newDirectory("round-trip");
        final Path capture = directory.resolve("guest.pcapng");
        export(journals.guest(), capture);

        final Path imported = directory.resolve("imported");
        final CaptureImport.Result result =
            CaptureImport.run(capture, imported, new CaptureImport.Settings(null, null, null), ProgressListener.NONE);

        final List<Frame> original = deviceInputs(journals.guest());
        assertEquals(original.size(), result.imported());
        assertEquals(original, deviceInputs(imported));
        assertEquals("10.0.2.15/24", result.header().addressText());
        assertEquals("52:54:00:12:34:56", result.header().macText());
        assertTrue(Replayer.replay(imported, null).identical());
    }

    @Test
    void classicPcapImportsAsItsInboundFrames() throws IOException
    {
        final Path directory = journals.newDirectory("pcap");
        final Path capture = directory.resolve("inputs.pcap");
        final List<Frame> original = deviceInputs(journals.guest());
        writeClassicPcap(capture, original);

        final CaptureImport.Result result = CaptureImport.run(
            capture, directory.resolve("imported"), new CaptureImport.Settings("10.0.2.15/24", "10.0.2.2", null),
            ProgressListener.NONE);

        assertEquals(original.size(), result.packets());
        assertEquals(original.size(), result.imported());
        assertFalse(result.captureTruncated());
        assertEquals(original, deviceInputs(directory.resolve("imported")));
    }

    /**
     * A received device frame as the journal has it: wall-clock time and bytes.
     */
    record Frame(long epochNs, String hex)
    {
    }

    static List<Frame> deviceInputs(final Path journal)
    {
        final List<Frame> frames = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(journal))
        {
            final SessionHeader header = reader.header();
            reader.read((record) ->
            {
                if (record.type() == JournalFormat.RX_FRAME && record.interfaceId() == EngineTap.INTERFACE_DEVICE)
                {
                    final byte[] bytes = new byte[record.frameLength()];
                    record.buffer().getBytes(record.frameOffset(), bytes);
                    frames.add(new Frame(header.epochNs(record.timestampNs()), hex(bytes)));
                }
                return true;
            });
        }
        assertFalse(frames.isEmpty());
        return frames;
    }

    private static Frame firstFrame(final Path journal)
    {
        final Frame[] first = new Frame[1];
        try (JournalReader reader = JournalReader.open(journal))
        {
            reader.read((record) ->
            {
                if (record.type() == JournalFormat.RX_FRAME || record.type() == JournalFormat.TX_FRAME)
                {
                    first[0] = new Frame(reader.header().epochNs(record.timestampNs()), "");
                    return false;
                }
                return true;
            });
        }
        return first[0];
    }

    static void export(final Path journal, final Path capture)
    {
        try (JournalReader reader = JournalReader.open(journal))
        {
            final JournalExport.Result result = JournalExport.write(reader, capture);
            assertTrue(result.read().intact());
            assertTrue(result.frames() > 0);
        }
    }

    private static void writeClassicPcap(final Path file, final List<Frame> frames) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(PcapFormat.PCAP_MAGIC_NANOSECONDS).putShort((short)2).putShort((short)4).putInt(0).putInt(0)
            .putInt(65535).putInt(PcapFormat.LINKTYPE_ETHERNET);
        for (final Frame frame : frames)
        {
            final byte[] bytes = unhex(frame.hex());
            buffer.putInt((int)(frame.epochNs() / 1_000_000_000L)).putInt((int)(frame.epochNs() % 1_000_000_000L))
                .putInt(bytes.length).putInt(bytes.length).put(bytes);
        }
        buffer.flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            channel.write(buffer);
        }
    }

    static boolean tsharkIsInstalled()
    {
        try
        {
            final Process process = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * @return tshark's decode of the frames that {@code filter} selects, one tab-separated line of fields each.
     */
    private static List<String> tshark(final Path capture, final String filter, final String... fields)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            "tshark", "-r", capture.toString(), "-Y", filter, "-T", "fields"));
        for (final String field : fields)
        {
            command.add("-e");
            command.add(field);
        }
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark did not finish");
        assertEquals(0, process.exitValue(), () -> "tshark failed on " + capture + ": " + out);
        return out.lines().toList();
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte b : bytes)
        {
            text.append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }

    private static byte[] unhex(final String hex)
    {
        final byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
