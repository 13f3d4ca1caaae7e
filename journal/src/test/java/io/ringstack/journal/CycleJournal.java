package io.ringstack.journal;

import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ChronicleQueue;
import org.agrona.ExpandableArrayBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;

/**
 * Writes a journal of duty cycles and nothing else, document by document, for tests of how tools find their way
 * through a journal: a session header (a document of its own), then documents of CYCLE records, each
 * {@link #CYCLE_NS} after the one before from the clock origin {@link #ORIGIN_NS}, then END when closed. Record
 * {@code r >= 1} is at {@code (r - 1) * CYCLE_NS} since the origin. One thread only.
 */
final class CycleJournal implements AutoCloseable
{
    static final long ORIGIN_NS = 5_000_000_000L;
    static final long CYCLE_NS = 1_000;

    private final ChronicleQueue queue;
    private final JournalWriter writer;
    private final ExpandableArrayBuffer body = new ExpandableArrayBuffer(1024);
    private long timeNs = ORIGIN_NS;

    /**
     * Create the journal in {@code directory} and write its session header.
     */
    CycleJournal(final Path directory)
    {
        queue = QueueFiles.create(directory);
        writer = new JournalWriter(queue, 4096);
        final SessionHeader header = SessionHeader.of(new EngineContext().name("cycles")
            .interfaceConfig(InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", 0x5254_0012_3456L)),
            "x86_64/e1000", TapPolicy.BLOCK, ORIGIN_NS, 0);
        writer.append(JournalFormat.SESSION, body, 0, header.encode(body, 0));
        writer.flush();
    }

    /**
     * Write one document of {@code cycles} CYCLE records.
     */
    CycleJournal document(final int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            body.putLong(0, timeNs, BYTE_ORDER);
            writer.append(JournalFormat.CYCLE, body, 0, JournalFormat.CYCLE_LENGTH);
            timeNs += CYCLE_NS;
        }
        writer.flush();
        return this;
    }

    /**
     * Write the END record, as a journal closed cleanly has.
     */
    CycleJournal end()
    {
        body.putLong(JournalFormat.END_RECORDS_OFFSET, writer.recordCount(), BYTE_ORDER);
        body.putLong(JournalFormat.END_LOST_OFFSET, 0, BYTE_ORDER);
        writer.append(JournalFormat.END, body, 0, JournalFormat.END_LENGTH);
        writer.flush();
        return this;
    }

    public void close()
    {
        writer.close();
        queue.close();
    }
}
