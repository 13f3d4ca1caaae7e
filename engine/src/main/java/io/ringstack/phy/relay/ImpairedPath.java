package io.ringstack.phy.relay;

import io.ringstack.phy.FaultModel;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;

import java.util.SplittableRandom;

/**
 * One direction of a relay: frames polled from one link pass the {@link FaultModel}, queue at the
 * {@link Bottleneck}, wait out their delay in a {@link DelayLine} and go out on the other link when due. Frames
 * chosen for reordering wait in a second line, {@code holdNs} longer, and leave merged by release time with the
 * rest, so the frames behind them overtake them. The jitter has a generator of its own, seeded from the faults'
 * seed, so that turning it on does not change which frames the fault model picks.
 * <p>
 * Every frame is counted ({@link RelayCounters}). The engine of neither side is involved; one thread runs both
 * directions; nothing allocates per frame.
 */
public final class ImpairedPath implements FrameHandler
{
    private static final long JITTER_SEED_MIX = 0x9E37_79B9_7F4A_7C15L;

    private final FaultModel model;
    private final Bottleneck bottleneck;
    private final DelayLine line;
    private final DelayLine heldLine;
    private final long delayNs;
    private final long jitterNs;
    private final long holdNs;
    private final SplittableRandom jitter;
    private final RelayCounters counters;
    private long nowNs;
    private long lastReleaseNs;
    private long lastHeldReleaseNs;

    public ImpairedPath(final Impairment impairment, final RelayCounters counters)
    {
        model = new FaultModel(impairment.faults());
        bottleneck = new Bottleneck(impairment.rateBitsPerSecond(), impairment.queueFrames());
        line = new DelayLine(impairment.lineFrames());
        heldLine = new DelayLine(impairment.lineFrames());
        delayNs = impairment.delayNs();
        jitterNs = impairment.jitterNs();
        holdNs = impairment.faults().holdNs();
        jitter = new SplittableRandom(impairment.faults().seed() ^ JITTER_SEED_MIX);
        this.counters = counters;
    }

    /**
     * Take up to {@code limit} frames from {@code from}, as they arrive at {@code nowNs}.
     *
     * @return how many frames were taken.
     */
    public int receive(final Link from, final long nowNs, final int limit)
    {
        this.nowNs = nowNs;
        return from.poll(this, limit);
    }

    /**
     * Take one frame that arrived now; {@link #receive} calls this for each frame its link hands over.
     */
    public void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        counters.rxFrames.incrementRelease();
        if (length > DelayLine.SLOT_LENGTH)
        {
            counters.oversize.incrementRelease();
            return;
        }
        final int verdict = model.decide(length, true);
        if (verdict == FaultModel.LOSE)
        {
            counters.lost.incrementRelease();
            return;
        }
        if ((verdict & FaultModel.CORRUPT) != 0)
        {
            counters.corrupted.incrementRelease();
        }
        if ((verdict & FaultModel.REORDER) != 0)
        {
            counters.reordered.incrementRelease();
        }
        final boolean marked = (verdict & FaultModel.MARK) != 0 && FaultModel.isEcnCapable(buffer, offset, length);
        if (marked)
        {
            counters.marked.incrementRelease();
        }
        final int applied = marked ? verdict : verdict & ~FaultModel.MARK;
        enter(buffer, offset, length, applied);
        if ((verdict & FaultModel.DUPLICATE) != 0)
        {
            counters.duplicated.incrementRelease();
            enter(buffer, offset, length, applied);
        }
    }

    private void enter(final DirectBuffer buffer, final int offset, final int length, final int verdict)
    {
        final boolean held = (verdict & FaultModel.REORDER) != 0;
        final DelayLine target = held ? heldLine : line;
        if (target.size() == target.capacity())
        {
            counters.lineFull.incrementRelease();
            return;
        }
        final long departureNs = bottleneck.admit(nowNs, length);
        if (departureNs < 0)
        {
            counters.queueFull.incrementRelease();
            return;
        }
        final long jitterDrawNs = jitterNs == 0 ? 0 : jitter.nextLong(-jitterNs, jitterNs + 1);
        final long releaseNs = departureNs + Math.max(0, delayNs + jitterDrawNs) + (held ? holdNs : 0);
        final int at;
        if (held)
        {
            lastHeldReleaseNs = Math.max(lastHeldReleaseNs, releaseNs);
            at = heldLine.offer(buffer, offset, length, lastHeldReleaseNs);
        }
        else
        {
            lastReleaseNs = Math.max(lastReleaseNs, releaseNs);
            at = line.offer(buffer, offset, length, lastReleaseNs);
        }
        if ((verdict & FaultModel.MARK) != 0)
        {
            FaultModel.markCongestion(target.buffer(), at);
        }
        if ((verdict & FaultModel.CORRUPT) != 0)
        {
            model.corrupt(target.buffer(), at);
        }
    }

    /**
     * Send the frames due by {@code nowNs} to {@code to}, at most {@code limit}, in order of release time, and flush
     * the link once after them ({@link Link#flush}). A frame the link refuses stays first in line for the next call.
     *
     * @return how many frames went.
     */
    public int transmit(final Link to, final long nowNs, final int limit)
    {
        int sent = 0;
        while (sent < limit)
        {
            final DelayLine next = line.headReleaseNs() <= heldLine.headReleaseNs() ? line : heldLine;
            if (next.headReleaseNs() > nowNs)
            {
                break;
            }
            if (!to.send(next.buffer(), next.headOffset(), next.headLength()))
            {
                counters.linkBusy.incrementRelease();
                break;
            }
            next.pop();
            counters.forwarded.incrementRelease();
            sent++;
        }
        if (sent > 0)
        {
            to.flush();
        }
        return sent;
    }

    /**
     * @return frames in the delay lines, not yet forwarded.
     */
    public int inFlight()
    {
        return line.size() + heldLine.size();
    }

    /**
     * @return when the next frame is due, {@link Long#MAX_VALUE} when none waits.
     */
    public long nextReleaseNs()
    {
        return Math.min(line.headReleaseNs(), heldLine.headReleaseNs());
    }

    public RelayCounters counters()
    {
        return counters;
    }
}
