package io.ringstack.drivers;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.FrameRing;
import org.agrona.DirectBuffer;

/**
 * A cable between two device models: one {@link FrameRing} per direction, so the two ends may run on different
 * threads. {@link #ends} gives the two {@link Link}s.
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
