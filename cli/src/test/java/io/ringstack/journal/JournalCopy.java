package io.ringstack.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import org.agrona.ExpandableArrayBuffer;

import java.nio.file.Path;

/**
 * Copies a journal record by record, with valid lengths, CRCs and sequence numbers, letting a test change one
 * record on the way: how a journal with a perturbed input is made.
 */
public final class JournalCopy
{
    /**
     * Changes the body of one record in place.
     */
    @FunctionalInterface
    public interface Edit
    {
        void apply(ExpandableArrayBuffer body, int bodyLength);
    }

    private JournalCopy()
    {
    }

    /**
     * Copy {@code from} into the new journal {@code to}, applying {@code edit} to the body of record
     * {@code sequence}.
     */
    public static void copy(final Path from, final Path to, final long sequence, final Edit edit)
    {
        final ExpandableArrayBuffer body = new ExpandableArrayBuffer(64 * 1024);
        try (JournalReader reader = JournalReader.open(from);
            ChronicleQueue queue = QueueFiles.create(to);
            JournalWriter writer = new JournalWriter(queue, 1024 * 1024))
        {
            reader.read((record) ->
            {
                final int length = record.bodyLength();
                body.putBytes(0, record.buffer(), record.bodyOffset(), length);
                if (record.sequence() == sequence)
                {
                    edit.apply(body, length);
                }
                if (!writer.hasRoomFor(length))
                {
                    writer.flush();
                }
                writer.append(record.type(), body, 0, length);
                return true;
            });
            writer.flush();
        }
    }
}
