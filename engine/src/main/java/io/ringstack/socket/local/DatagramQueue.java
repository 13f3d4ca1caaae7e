package io.ringstack.socket.local;

import io.ringstack.phy.RingReads;
import io.ringstack.socket.SockAddr;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import static io.ringstack.errno.Errno.EAGAIN;
import static io.ringstack.errno.Errno.EMSGSIZE;

/**
 * The receive queue of a bound local datagram socket: whole messages in an off-heap
 * {@link ManyToOneRingBuffer}, so that any number of senders may offer at once without a lock. Each record
 * carries the sender's name before the payload:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               Sender name length (native order)               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |             Sender name, UTF-8 (0 bytes: unnamed)          ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                            Payload                          ...
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The ring's own limit, an eighth of its capacity, bounds a record; a larger message is {@code EMSGSIZE}.
 * Receivers are serialised by the queue's monitor, as the ring allows one consumer.
 */
final class DatagramQueue
{
    private static final int MESSAGE_TYPE_ID = 1;
    private static final int NAME_LENGTH_OFFSET = 0;
    private static final int NAME_OFFSET = NAME_LENGTH_OFFSET + BitUtil.SIZE_OF_INT;

    private final ManyToOneRingBuffer ring;
    private final MessageHandler copyOutHandler = this::copyOut;

    // The receive in progress: set by poll, under the monitor, for the handler to fill.
    private byte[] dst;
    private int dstOffset;
    private int dstLength;
    private SockAddr source;
    private int received;

    /**
     * @param capacity bytes of records the queue holds, a power of two.
     */
    DatagramQueue(final int capacity)
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            capacity + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH)));
    }

    /**
     * @param senderName the sender's name in UTF-8, empty when it is unnamed.
     * @return {@code length}, {@code -EAGAIN} when the queue has no room, {@code -EMSGSIZE} when it never will.
     */
    int offer(final byte[] src, final int offset, final int length, final byte[] senderName)
    {
        if (length > ring.maxMsgLength() - NAME_OFFSET - senderName.length)
        {
            return -EMSGSIZE;
        }
        final int index = ring.tryClaim(MESSAGE_TYPE_ID, NAME_OFFSET + senderName.length + length);
        if (index < 0)
        {
            return -EAGAIN;
        }
        final AtomicBuffer buffer = ring.buffer();
        buffer.putInt(index + NAME_LENGTH_OFFSET, senderName.length);
        buffer.putBytes(index + NAME_OFFSET, senderName);
        buffer.putBytes(index + NAME_OFFSET + senderName.length, src, offset, length);
        ring.commit(index);
        return length;
    }

    /**
     * Take the oldest message, truncated to {@code length} bytes as Linux truncates it.
     *
     * @param source filled with the sender's name when not {@code null}.
     * @return bytes copied, {@code -EAGAIN} when the queue is empty.
     */
    synchronized int poll(final byte[] dst, final int offset, final int length, final SockAddr source)
    {
        this.dst = dst;
        this.dstOffset = offset;
        this.dstLength = length;
        this.source = source;
        received = -EAGAIN;
        RingReads.read(ring, copyOutHandler, 1);
        this.dst = null;
        this.source = null;
        return received;
    }

    boolean isEmpty()
    {
        return ring.size() == 0;
    }

    private void copyOut(final int messageTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int nameLength = buffer.getInt(index + NAME_LENGTH_OFFSET);
        final int payloadOffset = index + NAME_OFFSET + nameLength;
        received = Math.min(length - NAME_OFFSET - nameLength, dstLength);
        buffer.getBytes(payloadOffset, dst, dstOffset, received);
        if (source != null)
        {
            source.setLocal(
                nameLength == 0 ? null : buffer.getStringWithoutLengthUtf8(index + NAME_OFFSET, nameLength));
        }
    }
}
