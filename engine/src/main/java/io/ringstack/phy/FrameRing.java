package io.ringstack.phy;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * One direction of a wire: Ethernet frames in an off-heap single-producer/single-consumer ring, so the sender and
 * the receiver may be on different threads. Full is a result, never an eviction.
 */
public final class FrameRing implements MessageHandler
{
    private static final int FRAME_MESSAGE = 1;

    private final OneToOneRingBuffer ring;
    private FrameHandler handler;

    /**
     * @param capacity bytes, a power of two.
     */
    public FrameRing(final int capacity)
    {
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    /**
     * Producer side: copy one frame in.
     *
     * @return {@code false} when the ring is full, or the frame longer than its largest message (an eighth of it).
     */
    public boolean offer(final DirectBuffer frame, final int offset, final int length)
    {
        return length <= ring.maxMsgLength() && ring.write(FRAME_MESSAGE, frame, offset, length);
    }

    /**
     * Consumer side: hand up to {@code limit} frames to {@code handler}.
     *
     * @return how many were handed over.
     */
    public int poll(final FrameHandler handler, final int limit)
    {
        this.handler = handler;
        return RingReads.read(ring, this, limit);
    }

    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        handler.onFrame(buffer, index, length);
    }
}
