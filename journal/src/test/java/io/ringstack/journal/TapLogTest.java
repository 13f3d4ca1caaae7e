package io.ringstack.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The tap's log: records written once, whole and packed as in a batch, visible to the consumer only once committed,
 * never straddling the end of the log, and refused when the consumer has not made room.
 */
class TapLogTest
{
    private static final int CAPACITY = 1024;

    private final TapLog log = new TapLog(CAPACITY);
    private final UnsafeBuffer buffer = log.buffer();

    @Test
    void aClaimedRecordHasItsJournalHeaderAndIsVisibleOnlyOnceCommitted()
    {
        final int body = log.claim(JournalFormat.CYCLE, 7, JournalFormat.CYCLE_LENGTH);
        assertEquals(RECORD_HEADER_LENGTH, body);
        assertEquals(0, log.tailVolatile(), "not committed yet");
        log.commit();
        assertEquals(RECORD_HEADER_LENGTH + JournalFormat.CYCLE_LENGTH, log.tailVolatile());

        final byte[] header = new byte[RECORD_HEADER_LENGTH];
        buffer.getBytes(0, header);
        final byte[] expected = {
            28, 0, 0, 0,              // record length: header and an 8-byte body
            0, 0, 0, 0,               // CRC: the agent's to write
            7, 0, 0, 0, 0, 0, 0, 0,   // sequence
            2, 0, 0, 0 };             // type CYCLE, reserved
        assertArrayEquals(expected, header);
        assertEquals(0, log.recordIndex(0));
        assertEquals(28, log.recordLength(0));
    }

    @Test
    void aRecordThatDoesNotFitBeforeTheEndGoesToTheStartAfterAPaddingMarker()
    {
        fill(CAPACITY - 100);
        log.headOrdered(CAPACITY - 100);
        final int body = log.claim(JournalFormat.RX_FRAME, 1, 96);
        log.commit();
        assertEquals(RECORD_HEADER_LENGTH, body, "the record starts the next lap");
        assertEquals(TapLog.PADDING, buffer.getInt(CAPACITY - 100, BYTE_ORDER), "the rest of the lap is padding");
        assertEquals(-1, log.recordIndex(CAPACITY - 100));
        assertEquals(CAPACITY, log.nextLap(CAPACITY - 100));
        assertEquals(0, log.recordIndex(CAPACITY));
        assertEquals(CAPACITY + RECORD_HEADER_LENGTH + 96, log.tailVolatile());
    }

    @Test
    void lessThanAHeaderBeforeTheEndIsPaddingWithoutAMarker()
    {
        fill(CAPACITY - 12);
        log.headOrdered(CAPACITY - 12);
        log.claim(JournalFormat.VERDICT, 1, JournalFormat.VERDICT_LENGTH);
        log.commit();
        assertEquals(-1, log.recordIndex(CAPACITY - 12));
        assertEquals(CAPACITY + RECORD_HEADER_LENGTH + JournalFormat.VERDICT_LENGTH, log.tailVolatile());
    }

    @Test
    void aFullLogRefusesUntilTheConsumerMakesRoom()
    {
        fill(CAPACITY - 28);
        assertEquals(-1, log.claim(JournalFormat.CYCLE, 1, 9), "one byte more than the room left");
        final int body = log.claim(JournalFormat.CYCLE, 1, JournalFormat.CYCLE_LENGTH);
        log.commit();
        assertEquals(CAPACITY - 28 + RECORD_HEADER_LENGTH, body, "exactly the room left");
        assertEquals(-1, log.claim(JournalFormat.CYCLE, 2, JournalFormat.CYCLE_LENGTH));
        log.headOrdered(28);
        assertEquals(RECORD_HEADER_LENGTH, log.claim(JournalFormat.CYCLE, 2, JournalFormat.CYCLE_LENGTH));
    }

    @Test
    void theProducerWritesLittleEndianFieldsAndCopiesOnlyFromInsideItsSource()
    {
        final int body = log.claim(JournalFormat.RX_FRAME, 1, JournalFormat.FRAME_DATA_OFFSET + 4);
        log.putLong(body, 0x0102_0304_0506_0708L);
        log.putInt(body + 8, -1);
        log.putBytes(body + JournalFormat.FRAME_DATA_OFFSET, new UnsafeBuffer(new byte[] { 9, 8, 7, 6, 5 }), 1, 4);
        final byte[] written = new byte[JournalFormat.FRAME_DATA_OFFSET + 4];
        buffer.getBytes(body, written);
        assertArrayEquals(new byte[] { 8, 7, 6, 5, 4, 3, 2, 1, -1, -1, -1, -1, 0, 0, 0, 0, 8, 7, 6, 5 }, written);
        assertThrows(IndexOutOfBoundsException.class,
            () -> log.putBytes(body, new UnsafeBuffer(new byte[4]), 1, 4), "a source range past the source's end");
    }

    @Test
    void theCapacityIsAPowerOfTwoAndTheLargestRecordAnEighthOfIt()
    {
        assertEquals(CAPACITY / 8 - RECORD_HEADER_LENGTH, log.maxBodyLength());
        assertThrows(IllegalArgumentException.class, () -> new TapLog(1000));
    }

    /**
     * Write and commit records from the log's start, {@code bytes} in all: 64-byte bodies, then one to make up the
     * rest.
     */
    private void fill(final int bytes)
    {
        final int record = RECORD_HEADER_LENGTH + 64;
        int written = 0;
        long sequence = 100;
        while (bytes - written > record + RECORD_HEADER_LENGTH)
        {
            log.claim(JournalFormat.APP_DATA, sequence++, record - RECORD_HEADER_LENGTH);
            log.commit();
            written += record;
        }
        log.claim(JournalFormat.APP_DATA, sequence, bytes - written - RECORD_HEADER_LENGTH);
        log.commit();
        assertEquals(bytes, log.tailVolatile());
    }
}
