package io.ringstack.drivers.faults;

import io.ringstack.phy.Cable;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Two NICs of one model joined by a {@link Cable}, both drivers on one virtual clock, with nothing above them: the
 * test thread transmits on one and polls both, as an engine's duty cycles would.
 */
final class CabledNics implements AutoCloseable
{
    static final long MAC_A = 0x0200_0000_00A1L;
    static final long MAC_B = 0x0200_0000_00B2L;
    static final int FRAME_LENGTH = 128;
    /** Frames each poll takes at most, an engine's frame budget. */
    static final int POLL_LIMIT = 64;

    final CachedNanoClock clock = new CachedNanoClock();
    final NicModel.Nic a;
    final NicModel.Nic b;
    final Received atA = new Received();
    final Received atB = new Received();
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);

    CabledNics(final NicModel model)
    {
        final Link[] ends = Cable.ends(1 << 20);
        a = model.create(model.name().toLowerCase() + ".a", ends[0], MAC_A, NicModel.newCountersManager(), clock);
        b = model.create(model.name().toLowerCase() + ".b", ends[1], MAC_B, NicModel.newCountersManager(), clock);
    }

    /**
     * {@code count} frames from {@code from}, numbered from {@code first} in their last two bytes.
     *
     * @return how many the driver took ({@code TX_OK}).
     */
    int send(final NicModel.Nic from, final int first, final int count)
    {
        int taken = 0;
        for (int i = 0; i < count; i++)
        {
            frame.putShort(FRAME_LENGTH - 2, (short)(first + i));
            if (from.driver().transmit(frame, 0, FRAME_LENGTH) == 0)
            {
                taken++;
            }
        }
        return taken;
    }

    /**
     * One poll of each driver: A, B, then A again, so that frames either way cross the cable within one poll;
     * then the clock moves on by {@code stepNs}.
     */
    void poll(final long stepNs)
    {
        a.driver().receive(atA, POLL_LIMIT);
        b.driver().receive(atB, POLL_LIMIT);
        a.driver().receive(atA, POLL_LIMIT);
        clock.advance(stepNs);
    }

    public void close()
    {
        CloseHelper.closeAll(a, b);
    }

    /**
     * The frames a driver handed up: how many, and the number of the last.
     */
    static final class Received implements FrameHandler
    {
        long frames;
        int lastNumber = -1;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            frames++;
            lastNumber = buffer.getShort(offset + FRAME_LENGTH - 2) & 0xFFFF;
        }
    }
}
