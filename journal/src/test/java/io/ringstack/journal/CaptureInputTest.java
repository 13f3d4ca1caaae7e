package io.ringstack.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A capture is read through a forward window ({@link CaptureInput}): packets that straddle the window's edges, a
 * capture several windows long and a gzip-compressed capture (RFC 1952) all read packet for packet as the plain
 * file does; a gzip stream cut short reads what came before it and says the capture was cut.
 */
class CaptureInputTest
{
    /** Packet lengths 60..1513 in turn: no window edge falls on a packet boundary for long. */
    private static final int PACKETS = 3 * CaptureInput.WINDOW_BYTES / 700;

    @TempDir
    Path directory;

    /**
     * What a read saw: packets, bytes, and a checksum of every timestamp, length and byte in order.
     */
    private record Seen(long packets, long bytes, long checksum, boolean truncated)
    {
    }

    @Test
    void aCaptureSeveralWindowsLongReadsEveryPacketWhole() throws IOException
    {
        final byte[] pcap = pcap(PACKETS);

        final Seen seen = read(write("plain.pcap", pcap));

        assertEquals(new Seen(PACKETS, payloadBytes(PACKETS), expectedChecksum(PACKETS), false), seen);
    }

    @Test
    void aGzipCompressedCaptureReadsAsThePlainOne() throws IOException
    {
        final byte[] pcap = pcap(PACKETS);

        final Seen seen = read(write("capture.pcap.gz", gzip(pcap)));

        assertEquals(new Seen(PACKETS, payloadBytes(PACKETS), expectedChecksum(PACKETS), false), seen);
    }

    @Test
    void aGzipStreamCutShortReadsWhatCameBeforeAndSaysSo() throws IOException
    {
        final byte[] compressed = gzip(pcap(PACKETS));

        final Seen seen = read(write("cut.pcap.gz", Arrays.copyOf(compressed, compressed.length / 2)));

        assertTrue(seen.truncated(), "the cut is reported");
        assertTrue(seen.packets() > 0 && seen.packets() < PACKETS, "packets before the cut: " + seen.packets());
        assertEquals(expectedChecksum((int)seen.packets()), seen.checksum());
    }

    @Test
    void aFileOfTheGzipMagicAloneIsNotACapture() throws IOException
    {
        final Path capture = write("magic.gz", new byte[]{ 0x1F, (byte)0x8B });

        final JournalException refusal = assertThrows(JournalException.class, () -> CaptureReader.open(capture));

        assertEquals("not a pcap or pcapng capture: " + capture + " (a gzip stream cut in its header)",
            refusal.getMessage());
    }

    @Test
    void aGzipOfSomethingElseIsNotACapture() throws IOException
    {
        final Path capture = write("text.gz", gzip("hello, world\n".repeat(10).getBytes()));

        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final JournalException refusal = assertThrows(JournalException.class,
                () -> reader.read((i, t, d, packet, offset, captured, wire) -> { }));
            assertEquals("not a pcap or pcapng capture: " + capture, refusal.getMessage());
        }
    }

    private static Seen read(final Path capture)
    {
        final long[] totals = new long[2];
        final CRC32 checksum = new CRC32();
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final long packets = reader.read((i, epochNs, d, packet, offset, captured, wire) ->
            {
                totals[0]++;
                totals[1] += captured;
                final byte[] bytes = new byte[captured];
                packet.getBytes(offset, bytes);
                checksum.update(ByteBuffer.allocate(12).putLong(epochNs).putInt(wire).array());
                checksum.update(bytes);
            });
            assertEquals(totals[0], packets);
            return new Seen(packets, totals[1], checksum.getValue(), reader.truncated());
        }
    }

    private static long expectedChecksum(final int packets)
    {
        final CRC32 checksum = new CRC32();
        for (int i = 0; i < packets; i++)
        {
            checksum.update(ByteBuffer.allocate(12).putLong(timestampNs(i)).putInt(length(i)).array());
            checksum.update(payload(i));
        }
        return checksum.getValue();
    }

    private static long payloadBytes(final int packets)
    {
        long bytes = 0;
        for (int i = 0; i < packets; i++)
        {
            bytes += length(i);
        }
        return bytes;
    }

    /**
     * A classic nanosecond pcap, little-endian, Ethernet, of {@code packets} packets of varied lengths and bytes.
     */
    private static byte[] pcap(final int packets)
    {
        final List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < packets; i++)
        {
            payloads.add(payload(i));
        }
        return ClassicPcap.of(ByteOrder.LITTLE_ENDIAN, PcapFormat.PCAP_MAGIC_NANOSECONDS, PcapFormat.LINKTYPE_ETHERNET,
            payloads, timestampNs(0), timestampNs(1) - timestampNs(0));
    }

    private static long timestampNs(final int packet)
    {
        return 1_700_000_000_000_000_000L + packet * 1_001L;
    }

    private static int length(final int packet)
    {
        return 60 + (packet * 97) % 1454;
    }

    private static byte[] payload(final int packet)
    {
        final byte[] bytes = new byte[length(packet)];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(packet * 31 + i);
        }
        return bytes;
    }

    private static byte[] gzip(final byte[] bytes) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(final String name, final byte[] bytes) throws IOException
    {
        final Path file = directory.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}
