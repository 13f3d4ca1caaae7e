package io.ringstack.journal;

import java.nio.ByteBuffer;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;

/**
 * The memory the journal owns and the engine writes into: an off-heap log of {@link JournalFormat} records, one
 * producer (the {@link JournalTap}, on the engine thread) and one consumer (the {@link JournalAgent}), after Aeron's
 * log buffer. The producer writes each record once, header and body, exactly as it will be in the journal, only its
 * CRC left for the consumer; the consumer checksums records in place and hands whole runs of them to Chronicle
 * Queue in one bulk write. Records are packed back to back, as in a batch, and never straddle the end of the log:
 * where the next record does not fit, the rest of the log is padding, marked by a record length of 0 when there is
 * room for a header, and implied when there is not.
 * <pre>
 *   [ records: capacity bytes, a power of two ][ trailer: tail | producer's claim and head cache | head ]
 * </pre>
 * Positions only grow; a position's index in the log is {@code position & (capacity - 1)}. The producer publishes
 * its tail with a release store once a record is whole; the consumer publishes its head the same way once it has
 * persisted the records before it. Nothing here allocates, locks or throws after construction.
 */
final class TapLog
{
    /** The length field of padding: no record is shorter than its header. */
    static final int PADDING = 0;
    /** Room each position of the trailer takes, against false sharing (two cache lines, as Agrona's rings). */
    private static final int TRAILER_SLOT = 2 * BitUtil.CACHE_LINE_LENGTH;
    private static final int TAIL_OFFSET = 0;
    private static final int CLAIMED_TAIL_OFFSET = TRAILER_SLOT;
    private static final int HEAD_CACHE_OFFSET = TRAILER_SLOT + 8;
    private static final int HEAD_OFFSET = 2 * TRAILER_SLOT;
    static final int TRAILER_LENGTH = 3 * TRAILER_SLOT;

    private final ByteBuffer memory;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final int tailIndex;
    private final int claimedTailIndex;
    private final int headCacheIndex;
    private final int headIndex;

    /**
     * @param capacity bytes of records, a power of two; the largest record is an eighth of it.
     */
    TapLog(final int capacity)
    {
        if (!BitUtil.isPowerOfTwo(capacity))
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        mask = capacity - 1;
        maxRecordLength = capacity / 8;
        memory = BufferUtil.allocateDirectAligned(capacity + TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH);
        buffer = new UnsafeBuffer(memory);
        tailIndex = capacity + TAIL_OFFSET;
        claimedTailIndex = capacity + CLAIMED_TAIL_OFFSET;
        headCacheIndex = capacity + HEAD_CACHE_OFFSET;
        headIndex = capacity + HEAD_OFFSET;
    }

    /**
     * The log's memory, records and trailer, for the consumer's bulk reads and checksums.
     */
    ByteBuffer memory()
    {
        return memory;
    }

    /**
     * The log's memory as a buffer: the producer writes record bodies through it at the indexes {@link #claim}
     * gives.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    int capacity()
    {
        return capacity;
    }

    int maxBodyLength()
    {
        return maxRecordLength - RECORD_HEADER_LENGTH;
    }

    /**
     * Producer: claim room for the next record after the last committed one and write its header. The record is
     * not visible to the consumer until {@link #commit()}; commit it before claiming another.
     *
     * @param bodyLength at most {@link #maxBodyLength()}.
     * @return the index of the record's body in {@link #buffer()}, or -1 when the log has no room for it.
     */
    int claim(final int type, final long sequence, final int bodyLength)
    {
        final int recordLength = RECORD_HEADER_LENGTH + bodyLength;
        final long tail = buffer.getLong(tailIndex);
        int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = recordLength > toEnd ? toEnd : 0;
        final long claimedTail = tail + padding + recordLength;
        if (claimedTail - buffer.getLong(headCacheIndex) > capacity)
        {
            final long head = buffer.getLongVolatile(headIndex);
            if (claimedTail - head > capacity)
            {
                return -1;
            }
            buffer.putLong(headCacheIndex, head);
        }
        if (padding > 0)
        {
            if (padding >= RECORD_HEADER_LENGTH)
            {
                buffer.putInt(index + RECORD_LENGTH_OFFSET, PADDING, BYTE_ORDER);
            }
            index = 0;
        }
        JournalFormat.putRecordHeader(buffer, index, recordLength, sequence, type);
        buffer.putLong(claimedTailIndex, claimedTail);
        return index + RECORD_HEADER_LENGTH;
    }

    /**
     * Producer: make the record last claimed visible to the consumer.
     */
    void commit()
    {
        buffer.putLongOrdered(tailIndex, buffer.getLong(claimedTailIndex));
    }

    /**
     * Consumer: the position up to which records are whole.
     */
    long tailVolatile()
    {
        return buffer.getLongVolatile(tailIndex);
    }

    /**
     * Consumer: the position of the first record not yet persisted.
     */
    long head()
    {
        return buffer.getLong(headIndex);
    }

    /**
     * Consumer: give the producer back the room before {@code position}.
     */
    void headOrdered(final long position)
    {
        buffer.putLongOrdered(headIndex, position);
    }

    /**
     * Consumer: the index of the record at {@code position}, or -1 when the log's end from there is padding.
     */
    int recordIndex(final long position)
    {
        final int index = (int)position & mask;
        return capacity - index < RECORD_HEADER_LENGTH ||
            buffer.getInt(index + RECORD_LENGTH_OFFSET, BYTE_ORDER) == PADDING ? -1 : index;
    }

    /**
     * Consumer: the length of the record at {@code index}, header included.
     */
    int recordLength(final int index)
    {
        return buffer.getInt(index + RECORD_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Consumer: the position after the padding at {@code position}: the start of the next lap.
     */
    long nextLap(final long position)
    {
        return (position | mask) + 1;
    }
}
