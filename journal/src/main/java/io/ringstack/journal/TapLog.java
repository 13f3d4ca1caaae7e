package io.ringstack.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static io.ringstack.journal.JournalFormat.RECORD_LENGTH_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_SEQUENCE_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_TYPE_OFFSET;

/**
 * The memory the journal owns and the engine writes into: an off-heap log of {@link JournalFormat} records, one
 * producer (the {@link JournalTap}, on the engine thread) and one consumer (the {@link JournalAgent}), after Aeron's
 * log buffer. The producer writes each record once, header and body, exactly as it will be in the journal, its CRC
 * field 0; the consumer seals each run of records as one batch, one CRC in its first record, and hands the run to
 * Chronicle Queue in one bulk write. Records are packed back to back, as in a batch, and never straddle the end of
 * the log: where the next record does not fit, the rest of the log is padding, marked by a record length of 0 when
 * there is room for a header, and implied when there is not.
 * <pre>
 *   [ records: capacity bytes, a power of two ][ trailer: tail | producer's claim and head cache | head ]
 * </pre>
 * Positions only grow; a position's index in the log is {@code position & (capacity - 1)}. The producer publishes
 * its tail with a release store once a record is whole; the consumer publishes its head the same way once it has
 * persisted the records before it. Nothing here allocates, locks or throws after construction.
 * <p>
 * The producer keeps its own positions in fields and writes a record through the {@code put} methods, which skip
 * Agrona's bounds check per access: {@link #claim} has checked the whole record against the log once, and the
 * producer writes only inside the body it was given (after {@code UncheckedReads} of the wire flyweights).
 */
final class TapLog
{
    /** The length field of padding: no record is shorter than its header. */
    static final int PADDING = 0;
    /** Room each position of the trailer takes, against false sharing (two cache lines, as Agrona's rings). */
    private static final int TRAILER_SLOT = 2 * BitUtil.CACHE_LINE_LENGTH;
    private static final int TAIL_OFFSET = 0;
    private static final int HEAD_OFFSET = TRAILER_SLOT;
    static final int TRAILER_LENGTH = 2 * TRAILER_SLOT;
    /** The journal's byte order is big-endian for Unsafe's unaligned accesses only on a big-endian machine. */
    private static final boolean BIG_ENDIAN = BYTE_ORDER == ByteOrder.BIG_ENDIAN;

    private final ByteBuffer memory;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int maxRecordLength;
    private final long address;
    private final int tailIndex;
    private final int headIndex;
    /** Producer: the position after the last committed record, as published. */
    private long tail;
    /** Producer: the position after the record claimed and not yet committed. */
    private long claimedTail;
    /** Producer: the consumer's head as last read, so that most claims read no shared memory. */
    private long headCache;

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
        address = buffer.addressOffset();
        tailIndex = capacity + TAIL_OFFSET;
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
     * The log's memory as a buffer, for the consumer and for tests.
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
        int index = (int)tail & mask;
        final int toEnd = capacity - index;
        final int padding = recordLength > toEnd ? toEnd : 0;
        final long claimed = tail + padding + recordLength;
        if (claimed - headCache > capacity)
        {
            final long head = buffer.getLongVolatile(headIndex);
            if (claimed - head > capacity)
            {
                return -1;
            }
            headCache = head;
        }
        if (padding > 0)
        {
            if (padding >= RECORD_HEADER_LENGTH)
            {
                putInt(index + RECORD_LENGTH_OFFSET, PADDING);
            }
            index = 0;
        }
        // The length, and in the next four bytes the CRC, 0 unless the consumer seals a batch from this record.
        putLong(index + RECORD_LENGTH_OFFSET, recordLength & 0xFFFF_FFFFL);
        putLong(index + RECORD_SEQUENCE_OFFSET, sequence);
        putInt(index + RECORD_TYPE_OFFSET, type & 0xFFFF);
        claimedTail = claimed;
        return index + RECORD_HEADER_LENGTH;
    }

    /**
     * Producer: make the record last claimed visible to the consumer.
     */
    void commit()
    {
        tail = claimedTail;
        buffer.putLongOrdered(tailIndex, tail);
    }

    /**
     * Producer: write a little-endian long at {@code index}, inside the body {@link #claim} gave.
     */
    void putLong(final int index, final long value)
    {
        UnsafeApi.putLongUnaligned(null, address + index, value, BIG_ENDIAN);
    }

    /**
     * Producer: write a little-endian int at {@code index}, inside the body {@link #claim} gave.
     */
    void putInt(final int index, final int value)
    {
        UnsafeApi.putIntUnaligned(null, address + index, value, BIG_ENDIAN);
    }

    /**
     * Producer: copy {@code length} bytes of {@code source} to {@code index}, inside the body {@link #claim} gave.
     */
    void putBytes(final int index, final DirectBuffer source, final int sourceIndex, final int length)
    {
        source.boundsCheck(sourceIndex, length);
        UnsafeApi.copyMemory(source.byteArray(), source.addressOffset() + sourceIndex, null, address + index, length);
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
