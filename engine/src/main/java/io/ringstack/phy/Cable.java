package io.ringstack.phy;

import org.agrona.DirectBuffer;

/**
 * A cable: two {@link Link}s joined crosswise by one {@link FrameRing} per direction, so that what one end sends
 * the other polls, and the two ends may run on different threads.
 */
public final class Cable
{
    private Cable()
    {
    }

    /**
     * @param capacity bytes per direction, a power of two.
     */
    public static Link[] ends(final int capacity)
    {
        final FrameRing aToB = new FrameRing(capacity);
        final FrameRing bToA = new FrameRing(capacity);
        return new Link[]{ new End(aToB, bToA), new End(bToA, aToB) };
    }

    private static final class End implements Link
    {
        private final FrameRing outbound;
        private final FrameRing inbound;

        End(final FrameRing outbound, final FrameRing inbound)
        {
            this.outbound = outbound;
            this.inbound = inbound;
        }

        public boolean send(final DirectBuffer frame, final int offset, final int length)
        {
            return outbound.offer(frame, offset, length);
        }

        public int poll(final FrameHandler handler, final int limit)
        {
            return inbound.poll(handler, limit);
        }
    }
}
