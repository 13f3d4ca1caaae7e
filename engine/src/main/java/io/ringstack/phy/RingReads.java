package io.ringstack.phy;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Reads from Agrona ring buffers that never report "empty" while a message waits. When the record at the head is
 * the padding before a wrap, {@link RingBuffer#read} skips it and returns 0 even though a message follows; a
 * reader that took that 0 for "empty" would leave the message waiting, so this reads once more, unless the read
 * left the ring empty (the usual 0 of an idle ring, which costs one read, not two).
 */
public final class RingReads
{
    private RingReads()
    {
    }

    /**
     * @return messages handed to {@code handler}; 0 only when the ring was empty.
     */
    public static int read(final RingBuffer ring, final MessageHandler handler, final int limit)
    {
        if (isEmpty(ring))
        {
            return 0;
        }
        final int read = ring.read(handler, limit);
        return read != 0 || isEmpty(ring) ? read : ring.read(handler, limit);
    }

    /**
     * @return whether the ring holds nothing, not even a message being written: a producer moves the producer
     * position when it claims its room, before it commits.
     */
    public static boolean isEmpty(final RingBuffer ring)
    {
        return ring.consumerPosition() == ring.producerPosition();
    }
}
