package io.ringstack.journal;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Files for the journal module's fuzz targets: a real journal of a short session (ARP, pings, UDP to a bound and to
 * an unbound port, an application's send) as its raw Chronicle documents, a journal written from any documents,
 * and the pcapng export of a journal; plus the check every target makes of a refusal.
 */
final class FuzzFiles
{
    private static final long MILLISECOND = 1_000_000L;
    private static final int BOUND_PORT = 7;

    private FuzzFiles()
    {
    }

    /**
     * @return the batches, one per Chronicle document, of a journal of a short session.
     */
    static List<byte[]> sessionBatches()
    {
        final Path directory = temporaryDirectory("ringstack-fuzz-seed");
        try
        {
            final Path journal = directory.resolve("journal");
            recordSession(journal);
            return readBatches(journal);
        }
        finally
        {
            delete(directory);
        }
    }

    /**
     * @return the pcapng export of {@link #sessionBatches()}'s journal.
     */
    static byte[] sessionCapture()
    {
        final Path directory = temporaryDirectory("ringstack-fuzz-seed");
        try
        {
            final Path journal = directory.resolve("journal");
            final Path capture = directory.resolve("session.pcapng");
            recordSession(journal);
            try (JournalReader reader = JournalReader.open(journal))
            {
                JournalExport.write(reader, capture);
            }
            return Files.readAllBytes(capture);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        finally
        {
            delete(directory);
        }
    }

    /**
     * Write each of {@code batches} as one Chronicle document of a new journal in {@code journal}, as the journal
     * writer does, whatever the bytes.
     */
    static void writeBatches(final Path journal, final List<byte[]> batches)
    {
        try (ChronicleQueue queue = QueueFiles.create(journal); ExcerptAppender appender = queue.createAppender())
        {
            for (final byte[] batch : batches)
            {
                appender.writeBytes(Bytes.wrapForRead(ByteBuffer.wrap(batch)));
            }
        }
    }

    /**
     * A refusal is the documented one: a {@link JournalException} whose message is one line for people.
     */
    static void assertClearRefusal(final JournalException refusal)
    {
        assertNotNull(refusal.getMessage(), "a refusal says why");
        assertFalse(refusal.getMessage().isBlank() || refusal.getMessage().contains("\n"),
            () -> "a refusal is one line: " + refusal.getMessage());
    }

    static Path temporaryDirectory(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static void delete(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void recordSession(final Path journal)
    {
        try (JournaledEngine engine = JournaledEngine.start(journal, context -> context))
        {
            final Sockets sockets = engine.sockets();
            final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
            sockets.bind(fd, SockAddr.inet(0, BOUND_PORT));
            engine.fromPeer(PeerFrames.arpRequest());
            engine.cycle(MILLISECOND);
            engine.fromPeer(PeerFrames.echoRequest(1, 1));
            engine.fromPeer(PeerFrames.udp(40000, BOUND_PORT, 32));
            engine.fromPeer(PeerFrames.udp(40000, 9999, 16));
            engine.cycle(MILLISECOND);
            final byte[] payload = "answer".getBytes();
            sockets.sendto(fd, payload, 0, payload.length, 0, SockAddr.inet(PeerFrames.PEER_ADDRESS, 40000));
            engine.fromPeer(PeerFrames.echoRequest(1, 2));
            for (int i = 0; i < 3; i++)
            {
                engine.cycle(MILLISECOND);
            }
        }
    }

    /**
     * @return the documents of {@code journal}, each a batch as it was written.
     */
    static List<byte[]> readBatches(final Path journal)
    {
        final List<byte[]> batches = new ArrayList<>();
        try (ChronicleQueue queue = QueueFiles.openReadOnly(journal); ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        return batches;
                    }
                    final Bytes<?> bytes = context.wire().bytes();
                    final byte[] batch = new byte[(int)bytes.readRemaining()];
                    bytes.read(batch);
                    batches.add(batch);
                }
            }
        }
    }
}
