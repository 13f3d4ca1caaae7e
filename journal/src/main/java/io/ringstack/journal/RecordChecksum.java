package io.ringstack.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_START;

/**
 * Seals {@link JournalFormat} records in place: writes the CRC-32C (RFC 3720, appendix B.4) of each record's bytes
 * from its sequence field to its end into its CRC field. Over direct memory, where the JDK computes CRC-32C with the
 * processor's own instruction. One thread only.
 */
final class RecordChecksum
{
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer view;
    private final UnsafeBuffer buffer;

    /**
     * @param memory the direct memory the records are in.
     */
    RecordChecksum(final ByteBuffer memory)
    {
        view = memory.duplicate();
        buffer = new UnsafeBuffer(memory);
    }

    /**
     * Write the CRC of the record at {@code index}, {@code recordLength} bytes with its header.
     */
    void seal(final int index, final int recordLength)
    {
        view.limit(index + recordLength).position(index + RECORD_CRC_START);
        crc.reset();
        crc.update(view);
        buffer.putInt(index + RECORD_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
    }
}
