package io.ringstack.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.journal.JournalFormat.BYTE_ORDER;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_OFFSET;
import static io.ringstack.journal.JournalFormat.RECORD_CRC_START;

/**
 * Seals a batch of {@link JournalFormat} records in place: writes the CRC-32C (RFC 3720, appendix B.4) of the
 * records' bytes, from the first record's sequence field to the last record's end, into the first record's CRC
 * field. One call per batch, not per record; over direct memory, where the JDK computes CRC-32C with the
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
     * Write the CRC of the records at {@code index}, {@code length} bytes of whole records, into the first's.
     */
    void seal(final int index, final int length)
    {
        view.limit(index + length).position(index + RECORD_CRC_START);
        crc.reset();
        crc.update(view);
        buffer.putInt(index + RECORD_CRC_OFFSET, (int)crc.getValue(), BYTE_ORDER);
    }
}
