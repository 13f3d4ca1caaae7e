package io.ringstack.journal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;

/**
 * {@code ringstack journal diff A B}: two journals compared record by record, the i-th of one with the i-th of the
 * other, as the sequence numbers pair them. Two records are the same when they are of one type and their bodies are
 * equal, with times taken from each journal's own clock origin (so that two runs of one scenario compare), or
 * ignored altogether; session headers are compared without their clock origin and wall-clock offset. Journal B is
 * read on a thread of its own while A is read on the caller's, each checked as every tool checks a journal, so that
 * neither is held in memory.
 */
public final class JournalDiff
{
    /** How long the comparison waits for the next record of B. */
    static final long STALL_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int QUEUED_RECORDS = 4096;
    private static final byte[] END_OF_B = new byte[0];

    /**
     * A place where the journals differ.
     *
     * @param sequence the record's sequence number.
     * @param a        journal A's record as {@code journal dump} prints it, or {@code null} when A has none there.
     * @param b        journal B's record, or {@code null}.
     */
    public record Divergence(long sequence, String a, String b)
    {
    }

    /**
     * What the comparison found.
     *
     * @param compared     records both journals have.
     * @param differing    of those, how many differ.
     * @param onlyA        records A has past B's end.
     * @param onlyB        records B has past A's end.
     * @param typesA       A's records by type ({@link JournalFormat#typeName}), index the type.
     * @param typesB       B's records by type.
     * @param divergences  the first divergences, as many as asked for.
     * @param problem      what stopped a read (naming the journal), or {@code null}.
     */
    public record Result(
        long compared, long differing, long onlyA, long onlyB, long[] typesA, long[] typesB,
        List<Divergence> divergences, String problem)
    {
        public boolean identical()
        {
            return problem == null && differing == 0 && onlyA == 0 && onlyB == 0;
        }
    }

    private final JournalReader readerA;
    private final JournalReader readerB;
    private final boolean ignoreTime;
    private final int maxDivergences;
    private final RecordFormatter formatterA;
    private final RecordFormatter formatterB;
    private final JournalRecord recordB = new JournalRecord();
    private final UnsafeBuffer bufferB = new UnsafeBuffer(new byte[0]);
    private final long[] typesA = new long[JournalFormat.LAST_TYPE + 1];
    private final long[] typesB = new long[JournalFormat.LAST_TYPE + 1];
    private final List<Divergence> divergences = new ArrayList<>();
    private final BlockingQueue<byte[]> queueB = new ArrayBlockingQueue<>(QUEUED_RECORDS);
    private volatile ReadResult resultB;
    private volatile boolean cancelled;
    private boolean endOfB;
    private long compared;
    private long differing;
    private long onlyA;
    private long onlyB;
    private String stall;

    private JournalDiff(
        final JournalReader readerA, final JournalReader readerB, final boolean ignoreTime, final int maxDivergences)
    {
        this.readerA = readerA;
        this.readerB = readerB;
        this.ignoreTime = ignoreTime;
        this.maxDivergences = maxDivergences;
        formatterA = new RecordFormatter(readerA.header());
        formatterB = new RecordFormatter(readerB.header());
    }

    /**
     * Compare two journals.
     *
     * @param ignoreTime     compare records without their timestamps.
     * @param maxDivergences how many divergences to describe; every one is counted.
     */
    public static Result compare(
        final JournalReader a, final JournalReader b, final boolean ignoreTime, final int maxDivergences)
    {
        return new JournalDiff(a, b, ignoreTime, maxDivergences).run();
    }

    private Result run()
    {
        final Thread threadB = new Thread(this::readB, "journal-diff-b");
        threadB.setDaemon(true);
        threadB.start();
        final ReadResult resultA;
        try
        {
            resultA = readerA.read(this::onRecordA);
            while (stall == null && nextB())
            {
                onlyB++;
                divergence(recordB.sequence(), null, recordB);
            }
        }
        finally
        {
            cancelled = true;
            queueB.clear();
            join(threadB);
        }
        final String problem = !resultA.intact() ? "journal A: " + resultA.problem() : stall != null ? stall :
            resultB != null && !resultB.intact() ? "journal B: " + resultB.problem() : null;
        return new Result(compared, differing, onlyA, onlyB, typesA, typesB, List.copyOf(divergences), problem);
    }

    private boolean onRecordA(final JournalRecord a)
    {
        typesA[a.type()]++;
        if (endOfB || !nextB())
        {
            onlyA++;
            divergence(a.sequence(), a, null);
            return stall == null;
        }
        compared++;
        if (!same(a, readerA.header(), recordB, readerB.header()))
        {
            divergence(a.sequence(), a, recordB);
        }
        return true;
    }

    private void divergence(final long sequence, final JournalRecord a, final JournalRecord b)
    {
        if (a != null && b != null)
        {
            differing++;
        }
        if (divergences.size() < maxDivergences)
        {
            divergences.add(new Divergence(sequence, a == null ? null : formatterA.format(a, null),
                b == null ? null : formatterB.format(b, null)));
        }
    }

    /**
     * @return {@code true} with {@link #recordB} over B's next record; {@code false} at its end or when it stalled.
     */
    private boolean nextB()
    {
        if (endOfB)
        {
            return false;
        }
        final byte[] bytes;
        try
        {
            bytes = queueB.poll(STALL_NS, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            stall = "interrupted while reading journal B";
            endOfB = true;
            return false;
        }
        if (bytes == null)
        {
            stall = "reading journal B stalled for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NS) + " s";
        }
        if (bytes == null || bytes == END_OF_B)
        {
            endOfB = true;
            return false;
        }
        bufferB.wrap(bytes);
        recordB.wrap(bufferB, 0);
        typesB[recordB.type()]++;
        return true;
    }

    private void readB()
    {
        try
        {
            resultB = readerB.read((record) -> offer(copy(record)));
        }
        finally
        {
            offer(END_OF_B);
        }
    }

    private boolean offer(final byte[] bytes)
    {
        try
        {
            while (!cancelled)
            {
                if (queueB.offer(bytes, 10, TimeUnit.MILLISECONDS))
                {
                    return true;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static byte[] copy(final JournalRecord record)
    {
        final byte[] bytes = new byte[record.length()];
        record.buffer().getBytes(record.offset(), bytes);
        return bytes;
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join(TimeUnit.NANOSECONDS.toMillis(STALL_NS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @return whether two records say the same: one type, and equal bodies once their times are taken from each
     * journal's clock origin (or dropped); session headers without their clock origin and wall-clock offset.
     */
    private boolean same(final JournalRecord a, final SessionHeader headerA, final JournalRecord b,
        final SessionHeader headerB)
    {
        return a.type() == b.type() && Arrays.equals(normalised(a, headerA), normalised(b, headerB));
    }

    /**
     * @return the record's body with its time since the clock origin in place of the engine's clock, or with no time
     * at all when times are ignored (for an IDLE run, its count only).
     */
    private byte[] normalised(final JournalRecord record, final SessionHeader header)
    {
        final byte[] body = new byte[record.bodyLength()];
        record.buffer().getBytes(record.bodyOffset(), body);
        final UnsafeBuffer view = new UnsafeBuffer(body);
        if (record.type() == JournalFormat.SESSION)
        {
            view.putLong(JournalFormat.SESSION_CLOCK_ORIGIN_OFFSET, 0, BYTE_ORDER);
            view.putLong(JournalFormat.SESSION_EPOCH_OFFSET_OFFSET, 0, BYTE_ORDER);
            return body;
        }
        if (!record.hasTimestamp())
        {
            return body;
        }
        if (ignoreTime && record.type() == JournalFormat.IDLE)
        {
            return Arrays.copyOf(body, JournalFormat.IDLE_FIRST_TIME_OFFSET);
        }
        view.putLong(record.timestampOffset(), ignoreTime ? 0 : record.timestampNs() - header.clockOriginNs(),
            BYTE_ORDER);
        return body;
    }
}
