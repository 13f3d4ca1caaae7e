package io.ringstack.tcp;

/**
 * What Reno and CUBIC share: the window and threshold, slow start for window-limited senders only (RFC 7661), and the
 * deflation at the end of recovery (RFC 6582 section 3.2); they reduce on loss, are not paced and take no rate
 * samples. Subclasses say how the window grows in congestion avoidance and how it shrinks on loss.
 * <p>
 * Slow start grows the window by every byte an ACK newly acknowledges, up to the threshold, and hands what is left
 * over to congestion avoidance, as Linux's {@code tcp_slow_start} does: appropriate byte counting (RFC 3465) without
 * its per-ACK limit L. A receiver that acknowledges every third segment, or every segment its device took in whole
 * (segmentation offload), then doubles the window each round trip as one that acknowledges every second segment
 * does; with L = 2 SMSS the window grew by two thirds a round trip behind a Linux receiver that stretched its ACKs
 * over bursts, and an 8 MiB download over a 20 ms path took four more round trips than Linux's. The window still at
 * most doubles per round trip: an ACK acknowledges only what was sent.
 * <p>
 * The first slow start runs HyStart++ ({@link HyStartPlusPlus}, RFC 9406): it slows to a quarter of its growth when
 * the round-trip time rises and ends in congestion avoidance five rounds later, before the queue it builds
 * overflows. A loss or a timeout ends it as it ends any slow start, and later slow starts are standard.
 */
abstract class WindowedCongestionControl implements CongestionControl
{
    protected int mss;
    protected long congestionWindow;
    protected long slowStartThreshold;
    private final HyStartPlusPlus hyStart = new HyStartPlusPlus();

    public final void start(final int mss, final long nowNs)
    {
        this.mss = mss;
        congestionWindow = CongestionControl.initialWindow(mss);
        slowStartThreshold = Long.MAX_VALUE;
        hyStart.start();
        restart();
    }

    public final long congestionWindow()
    {
        return congestionWindow;
    }

    public final long slowStartThreshold()
    {
        return slowStartThreshold;
    }

    public final void onAck(
        final long ackedBytes, final long bytesInFlight, final long nowNs, final long smoothedRttNs,
        final long rttSampleNs)
    {
        if (!CongestionControl.isWindowLimited(bytesInFlight, congestionWindow, slowStartThreshold, mss))
        {
            return;
        }
        long left = ackedBytes;
        if (congestionWindow < slowStartThreshold)
        {
            final long growth = hyStart.onAck(ackedBytes, bytesInFlight, rttSampleNs);
            if (growth < 0)
            {
                slowStartThreshold = congestionWindow;
            }
            else if (congestionWindow + growth <= slowStartThreshold)
            {
                congestionWindow += growth;
                return;
            }
            else
            {
                left -= slowStartThreshold - congestionWindow;
                congestionWindow = slowStartThreshold;
            }
        }
        avoidCongestion(left, nowNs, smoothedRttNs);
    }

    /**
     * A loss or an ECN echo reduces the window: the first slow start, if it still ran, is over.
     */
    public final void onLoss(final long bytesInFlight, final long nowNs)
    {
        hyStart.stop();
        reduceOnLoss(bytesInFlight, nowNs);
    }

    /**
     * The retransmission timer expired: the first slow start, if it still ran, is over.
     */
    public final void onTimeout(final long bytesInFlight, final long nowNs)
    {
        hyStart.stop();
        reduceOnTimeout(bytesInFlight, nowNs);
    }

    public final void onRecoveryEnd(final long bytesInFlight)
    {
        congestionWindow = Math.min(slowStartThreshold, Math.max(bytesInFlight, mss) + mss);
    }

    public final void undo(final long priorWindow, final long priorThreshold)
    {
        congestionWindow = Math.max(congestionWindow, priorWindow);
        slowStartThreshold = Math.max(slowStartThreshold, priorThreshold);
    }

    /**
     * A window that only loss shrinks does not use the rate sample.
     */
    public final void onDelivered(
        final DeliveryRate sample, final long pipe, final boolean recovering, final long nowNs)
    {
    }

    public final long pacingRate(final long smoothedRttNs)
    {
        return 0;
    }

    public final boolean reducesOnCongestion()
    {
        return true;
    }

    /**
     * Reduce the threshold and the window for a loss (multiplicative decrease).
     */
    protected abstract void reduceOnLoss(long bytesInFlight, long nowNs);

    /**
     * Reduce the threshold and the window for a retransmission timeout.
     */
    protected abstract void reduceOnTimeout(long bytesInFlight, long nowNs);

    /**
     * Forget the state of a previous connection; the window and threshold are already reset.
     */
    protected abstract void restart();

    /**
     * Grow the window for {@code ackedBytes} acknowledged in congestion avoidance by a window-limited sender.
     */
    protected abstract void avoidCongestion(long ackedBytes, long nowNs, long smoothedRttNs);
}
