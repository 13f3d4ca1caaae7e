package io.ringstack.tcp;

/**
 * What Reno and CUBIC share: the window and threshold, Reno's slow start (RFC 5681 with RFC 3465's L = 2 segments,
 * of the MSS or of what the device cuts, {@link #sendsSegmentsOf}) for
 * window-limited senders only (RFC 7661), and the deflation at the end of recovery (RFC 6582 section 3.2).
 * Subclasses say how the window grows in congestion avoidance and how it shrinks on loss.
 */
abstract class WindowedCongestionControl implements CongestionControl
{
    protected int mss;
    protected long congestionWindow;
    protected long slowStartThreshold;
    private long slowStartLimit;

    public final void start(final int mss, final long nowNs)
    {
        this.mss = mss;
        congestionWindow = CongestionControl.initialWindow(mss);
        slowStartThreshold = Long.MAX_VALUE;
        slowStartLimit = 2L * mss;
        restart();
    }

    public final void sendsSegmentsOf(final int bytes)
    {
        slowStartLimit = 2L * Math.max(mss, bytes);
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
        if (congestionWindow < slowStartThreshold)
        {
            congestionWindow += Math.min(ackedBytes, slowStartLimit);
            return;
        }
        avoidCongestion(ackedBytes, nowNs, smoothedRttNs);
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
     * Forget the state of a previous connection; the window and threshold are already reset.
     */
    protected abstract void restart();

    /**
     * Grow the window for {@code ackedBytes} acknowledged in congestion avoidance by a window-limited sender.
     */
    protected abstract void avoidCongestion(long ackedBytes, long nowNs, long smoothedRttNs);
}
