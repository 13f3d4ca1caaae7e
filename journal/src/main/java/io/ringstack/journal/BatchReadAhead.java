package io.ringstack.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a journal's Chronicle documents on a thread of its own, ahead of whoever uses their records: documents are
 * copied out of Chronicle's mapped memory into one of a few slots the reader owns, as many as fill
 * {@link #SLOT_FILL_BYTES} (each after its length and its count of intact records), so the reading thread and the
 * using thread overlap on two cores, a journal of small documents costs one hand-over per slot rather than per
 * document, and nothing is allocated per document (a slot grows only for documents larger than any before). One
 * producer (the read-ahead thread), one consumer (the caller of {@link #next()}), the slots handed over through two
 * counters: published with release, read with acquire.
 * <p>
 * Each document is checked ({@link RecordChecks}) in its slot, by the consumer as it takes it, or, for a consumer that
 * does much with each record (a dump's formatting), by the read-ahead thread as it copies it, so that the checks share
 * the other core with the copy; then the first document with a problem is the last one read. A Chronicle failure (a
 * corrupt or cut file) ends the documents; {@link #failure()} says what it was. The consumer waits for a document with
 * a deadline ({@link #STALL_NS}), after which it reports the read as stalled rather than hanging; the read-ahead thread
 * waits for a free slot as long as the consumer takes, until {@link #close()}.
 */
final class BatchReadAhead implements BatchSource
{
    /** How long either side waits for the other before it gives up. */
    static final long STALL_NS = TimeUnit.SECONDS.toNanos(30);
    /** Bytes of documents after which a slot is handed over. */
    static final int SLOT_FILL_BYTES = 256 * 1024;
    private static final int SLOTS = 8;
    private static final int INITIAL_SLOT_CAPACITY = 2 * SLOT_FILL_BYTES;
    private static final int LENGTH_OFFSET = 0;
    private static final int INTACT_OFFSET = 4;
    private static final int DOCUMENT_HEADER_BYTES = 8;
    private static final int SPINS = 100;
    private static final long PARK_NS = 20_000;

    private final SingleChronicleQueue queue;
    private final long startIndex;
    private final RecordChecks checks;
    private final boolean checkAhead;
    private final ByteBuffer[] memory = new ByteBuffer[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private final UnsafeBuffer mapped = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer batch = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer slot = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer filling = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer checking = new UnsafeBuffer(0, 0);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong released = new AtomicLong();
    private final Thread thread;
    private volatile boolean finished;
    private volatile boolean cancelled;
    private volatile String failure;
    private volatile long documents;
    private String aheadProblem;
    private long aheadProblemDocument;
    private long taken;
    private long documentsTaken;
    private int intactRecords;
    private String problem;
    private int slotPosition;
    private boolean ended;

    /**
     * Start reading {@code queue} from the document at {@code startIndex}, or from its first with
     * {@link JournalPosition#FIRST_INDEX}, each document checked by {@code checks}.
     *
     * @param checkAhead check on the read-ahead thread, which then owns {@code checks}, rather than the consumer's.
     */
    BatchReadAhead(
        final SingleChronicleQueue queue, final long startIndex, final RecordChecks checks, final boolean checkAhead)
    {
        this.queue = queue;
        this.startIndex = startIndex;
        this.checks = checks;
        this.checkAhead = checkAhead;
        for (int i = 0; i < SLOTS; i++)
        {
            memory[i] = BufferUtil.allocateDirectAligned(INITIAL_SLOT_CAPACITY, 64);
        }
        thread = new Thread(this::run, "journal-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Next document: from the slot in hand, or, once it is used up, from the next slot, waiting for it (and releasing
     * the one before).
     *
     * @return {@code true} with {@link #batch()} over it; {@code false} at the end of the queue, or on a failure.
     */
    public boolean next()
    {
        if (slotPosition >= slot.capacity() && !nextSlot())
        {
            return false;
        }
        final int start = slotPosition + DOCUMENT_HEADER_BYTES;
        final int length = slot.getInt(slotPosition + LENGTH_OFFSET);
        batch.wrap(slot, start, length);
        slotPosition = start + length;
        documentsTaken++;
        if (checkAhead)
        {
            intactRecords = slot.getInt(start - DOCUMENT_HEADER_BYTES + INTACT_OFFSET);
            problem = documentsTaken == aheadProblemDocument ? aheadProblem : null;
        }
        else
        {
            intactRecords = checks.check(batch, memory[(int)((taken - 1) % SLOTS)], start);
            problem = checks.problem();
        }
        return true;
    }

    private boolean nextSlot()
    {
        if (taken > released.get())
        {
            released.lazySet(taken);
        }
        final long deadlineNs = System.nanoTime() + STALL_NS;
        for (int attempt = 0; published.get() == taken; attempt++)
        {
            if (finished)
            {
                if (published.get() == taken)
                {
                    return false;
                }
                break;
            }
            if (!idle(attempt, deadlineNs))
            {
                failure = "reading its queue stalled for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NS) + " s";
                return false;
            }
        }
        final int index = (int)(taken % SLOTS);
        slot.wrap(memory[index], 0, lengths[index]);
        slotPosition = 0;
        taken++;
        return true;
    }

    public UnsafeBuffer batch()
    {
        return batch;
    }

    public int intactRecords()
    {
        return intactRecords;
    }

    /**
     * Checking ahead, written by the read-ahead thread before it publishes the slot of the document, read after the
     * consumer has taken that slot.
     */
    public String problem()
    {
        return problem;
    }

    public String failure()
    {
        return failure;
    }

    public long documentsRead()
    {
        return documents;
    }

    /**
     * Stop reading ahead and wait for the thread to end (it notices within one document).
     */
    public void close()
    {
        cancelled = true;
        try
        {
            thread.join(TimeUnit.NANOSECONDS.toMillis(STALL_NS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void run()
    {
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (startIndex != JournalPosition.FIRST_INDEX && !tailer.moveToIndex(startIndex))
            {
                failure = "no document at index " + Long.toHexString(startIndex);
                return;
            }
            long produced = 0;
            while (!cancelled && !ended && waitForSlot(produced) && fillSlot(tailer, (int)(produced % SLOTS)))
            {
                published.lazySet(++produced);
            }
        }
        catch (final Exception | InternalError ex)
        {
            failure = QueueFiles.describe(ex);
        }
        finally
        {
            finished = true;
        }
    }

    /**
     * Copy documents into {@code index} until it holds {@link #SLOT_FILL_BYTES}, the queue ends or a document has a
     * problem.
     *
     * @return whether the slot holds any.
     */
    private boolean fillSlot(final ExcerptTailer tailer, final int index)
    {
        int used = 0;
        filling.wrap(memory[index]);
        while (used < SLOT_FILL_BYTES && !ended && readDocument(tailer, index, used))
        {
            used += DOCUMENT_HEADER_BYTES + filling.getInt(used + LENGTH_OFFSET);
        }
        lengths[index] = used;
        return used > 0;
    }

    private boolean waitForSlot(final long produced)
    {
        for (int attempt = 0; produced - released.get() >= SLOTS; attempt++)
        {
            if (cancelled)
            {
                return false;
            }
            idle(attempt, Long.MAX_VALUE);
        }
        return true;
    }

    /**
     * Copy the next document into slot {@code index} at {@code position}, after its length and its count of intact
     * records, growing the slot if it does not fit, and when checking ahead check it there. Chronicle failures are
     * caught here, so that a corrupt file is a read problem rather than an exception.
     *
     * @return {@code true} when a document was read; {@code false} at the end of the queue or on a failure. Either,
     * or a document with a problem, sets {@link #ended}.
     */
    private boolean readDocument(final ExcerptTailer tailer, final int index, final int position)
    {
        try (DocumentContext context = tailer.readingDocument())
        {
            if (!context.isPresent())
            {
                ended = true;
                return false;
            }
            final Bytes<?> bytes = context.wire().bytes();
            final int length = (int)bytes.readRemaining();
            final int start = position + DOCUMENT_HEADER_BYTES;
            final int end = start + length;
            if (end > memory[index].capacity())
            {
                final ByteBuffer larger = BufferUtil.allocateDirectAligned(Integer.highestOneBit(end) * 2, 64);
                new UnsafeBuffer(larger).putBytes(0, filling, 0, position);
                memory[index] = larger;
                filling.wrap(larger);
            }
            mapped.wrap(bytes.addressForRead(bytes.readPosition()), length);
            filling.putInt(position + LENGTH_OFFSET, length);
            filling.putBytes(start, mapped, 0, length);
            documents++;
            if (checkAhead)
            {
                checking.wrap(filling, start, length);
                filling.putInt(position + INTACT_OFFSET, checks.check(checking, memory[index], start));
                if (checks.problem() != null)
                {
                    aheadProblem = checks.problem();
                    aheadProblemDocument = documents;
                    ended = true;
                }
            }
            return true;
        }
        catch (final Exception | InternalError ex)
        {
            failure = QueueFiles.describe(ex);
            ended = true;
            return false;
        }
    }

    /**
     * Spin a little, then park briefly.
     *
     * @return {@code false} once {@code deadlineNs} has passed ({@link Long#MAX_VALUE}: never).
     */
    private static boolean idle(final int attempt, final long deadlineNs)
    {
        if (attempt < SPINS)
        {
            Thread.onSpinWait();
            return true;
        }
        LockSupport.parkNanos(PARK_NS);
        return deadlineNs == Long.MAX_VALUE || System.nanoTime() - deadlineNs < 0;
    }
}
