package io.ringstack.journal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target of capture import: any bytes as a capture file are read packet by packet as
 * {@link CaptureReader} reads pcap and pcapng, then imported into a new journal as {@code ringstack journal import}
 * does, which configures an engine from what the capture says of its interface and feeds it every inbound frame.
 * Seeds: the pcapng export of a real journal, and classic pcap of the same kind of frames in both byte orders with
 * microsecond and nanosecond timestamps.
 * <p>
 * It proves, for every input: the reader and the import either do their work or refuse with the documented
 * {@link JournalException} and a one-line message; nothing else is thrown, every packet handed on lies inside the
 * buffer it is handed in, and every read ends, within the per-input timeout.
 */
class CaptureFuzzTest
{

    @MethodSource("seeds")
    @FuzzTest
    @Timeout(60)
    void noCaptureMakesTheReaderOrTheImportThrowOrHang(final byte[] input)
    {
        final Path directory = FuzzFiles.temporaryDirectory("ringstack-fuzz-capture");
        try
        {
            final Path capture = directory.resolve("input.pcapng");
            Files.write(capture, input);
            try (CaptureReader reader = CaptureReader.open(capture))
            {
                reader.read(CaptureFuzzTest::touch);
            }
            catch (final JournalException refusal)
            {
                FuzzFiles.assertClearRefusal(refusal);
            }
            try
            {
                CaptureImport.run(capture, directory.resolve("journal"),
                    new CaptureImport.Settings(null, null, null), ProgressListener.NONE);
            }
            catch (final JournalException refusal)
            {
                FuzzFiles.assertClearRefusal(refusal);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            FuzzFiles.delete(directory);
        }
    }

    @Test
    void everySeedIsReadWhole() throws IOException
    {
        final Path directory = FuzzFiles.temporaryDirectory("ringstack-fuzz-capture");
        try
        {
            for (final Arguments seed : seeds().toList())
            {
                final Path capture = directory.resolve("seed");
                Files.write(capture, (byte[])seed.get()[0]);
                try (CaptureReader reader = CaptureReader.open(capture))
                {
                    assertTrue(reader.read(CaptureFuzzTest::touch) >= 3, "packets read");
                    assertFalse(reader.truncated(), "truncated");
                }
            }
        }
        finally
        {
            FuzzFiles.delete(directory);
        }
    }

    static Stream<Arguments> seeds()
    {
        final List<UnsafeBuffer> frames = List.of(PeerFrames.arpRequest(), PeerFrames.echoRequest(1, 1),
            PeerFrames.udp(40000, 7, 32));
        return Stream.of(
            FuzzFiles.sessionCapture(),
            classicPcap(ByteOrder.LITTLE_ENDIAN, PcapFormat.PCAP_MAGIC_MICROSECONDS, frames),
            classicPcap(ByteOrder.BIG_ENDIAN, PcapFormat.PCAP_MAGIC_NANOSECONDS, frames))
            .map(capture -> Arguments.of((Object)capture));
    }

    /**
     * Read every byte of a packet, so that one handed on outside its buffer fails the bounds check.
     */
    private static void touch(
        final CaptureReader.Interface captureInterface, final long epochNs, final int direction,
        final UnsafeBuffer packet, final int offset, final int length, final int wireLength)
    {
        assertTrue(length >= 0 && offset >= 0 && offset + length <= packet.capacity(),
            () -> "packet [" + offset + ", +" + length + ") outside its buffer of " + packet.capacity());
        for (int i = 0; i < length; i++)
        {
            packet.getByte(offset + i);
        }
    }

    /**
     * A classic pcap file (Ethernet) holding {@code frames}, one a second.
     */
    private static byte[] classicPcap(final ByteOrder order, final int magic, final List<UnsafeBuffer> frames)
    {
        final List<byte[]> packets = frames.stream().map(frame ->
        {
            final byte[] bytes = new byte[frame.capacity()];
            frame.getBytes(0, bytes);
            return bytes;
        }).toList();
        return ClassicPcap.of(order, magic, PcapFormat.LINKTYPE_ETHERNET, packets, 1_000_000_000L, 1_000_000_000L);
    }
}
