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
 */
abstract class WindowedCongestionControl implements CongestionControl
{
    protected int mss;
    protected long congestionWindow;
    protected long slowStartThreshold;

    public final void start(final int mss, final long nowNs)
    {
        this.mss = mss;
        congestionWindow = CongestionControl.initialWindow(mss);
        slowStartThreshold = Long.MAX_VALUE;
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

    public final void onAck(final long ackedBytes, final long bytesInFlight, final long nowNs, final long smoothedRttNs)
    {
        if (!CongestionControl.isWindowLimited(bytesInFlight, congestionWindow, slowStartThreshold, mss))
        {
            return;
        }
        long left = ackedBytes;
        if (congestionWindow < slowStartThreshold)
        {
            final long grown = Math.min(congestionWindow + ackedBytes, slowStartThreshold);
            left -= grown - congestionWindow;
            congestionWindow = grown;
            if (left <= 0)
            {
                return;
            }
        }
        avoidCongestion(left, nowNs, smoothedRttNs);
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
     * Forget the state of a previous connection; the window and threshold are already reset.
     */
    protected abstract void restart();

    /**
     * Grow the window for {@code ackedBytes} acknowledged in congestion avoidance by a window-limited sender.
     */
    protected abstract void avoidCongestion(long ackedBytes, long nowNs, long smoothedRttNs);
}
