package io.ringstack.drivers;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;

/**
 * A link for tests that hands every frame of the link it wraps over with the offloads set last
 * ({@link FrameHandler#CHECKSUM_GOOD}: as a TAP's link hands over frames the kernel vouched for).
 */
public final class OffloadingLink implements Link
{
    private final Link wire;
    private int offloads;
    private FrameHandler handler;
    private final FrameHandler withOffloads = (buffer, offset, length) ->
        handler.onFrame(buffer, offset, length, offloads);

    public OffloadingLink(final Link wire)
    {
        this.wire = wire;
    }

    /**
     * Hand the frames from now on over with {@code offloads}.
     */
    public void offloads(final int offloads)
    {
        this.offloads = offloads;
    }

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        return wire.send(frame, offset, length);
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        this.handler = handler;
        return wire.poll(withOffloads, limit);
    }
}
