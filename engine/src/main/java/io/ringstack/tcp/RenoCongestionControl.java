package io.ringstack.tcp;

/**
 * Reno's window (RFC 5681), the window of NewReno (RFC 6582 changes only the recovery, which the connection
 * runs):
 * <pre>
 *   slow start (cwnd &lt; ssthresh):   cwnd += min(acked, 2 MSS)           per ACK (RFC 3465, L = 2 MSS)
 *   congestion avoidance:          cwnd += MSS once per cwnd of acknowledged bytes
 *   loss (3 duplicate ACKs, SACK): ssthresh = max(flight / 2, 2 MSS), cwnd = ssthresh
 *   retransmission timeout:        ssthresh = max(flight / 2, 2 MSS), cwnd = 1 MSS
 * </pre>
 */
public final class RenoCongestionControl implements CongestionControl
{
    private int mss;
    private long congestionWindow;
    private long slowStartThreshold;
    private long bytesAckedInAvoidance;

    public void start(final int mss, final long nowNs)
    {
        this.mss = mss;
        congestionWindow = CongestionControl.initialWindow(mss);
        slowStartThreshold = Long.MAX_VALUE;
        bytesAckedInAvoidance = 0;
    }

    public long congestionWindow()
    {
        return congestionWindow;
    }

    public long slowStartThreshold()
    {
        return slowStartThreshold;
    }

    public void onAck(final long ackedBytes, final long bytesInFlight, final long nowNs, final long smoothedRttNs)
    {
        if (!CongestionControl.isWindowLimited(bytesInFlight, congestionWindow, slowStartThreshold, mss))
        {
            return;
        }
        if (congestionWindow < slowStartThreshold)
        {
            congestionWindow += Math.min(ackedBytes, 2L * mss);
            return;
        }
        bytesAckedInAvoidance += ackedBytes;
        if (bytesAckedInAvoidance >= congestionWindow)
        {
            bytesAckedInAvoidance -= congestionWindow;
            congestionWindow += mss;
        }
    }

    public void onLoss(final long bytesInFlight, final long nowNs)
    {
        slowStartThreshold = Math.max(bytesInFlight / 2, 2L * mss);
        congestionWindow = slowStartThreshold;
        bytesAckedInAvoidance = 0;
    }

    public void onRecoveryEnd(final long bytesInFlight)
    {
        congestionWindow = Math.min(slowStartThreshold, Math.max(bytesInFlight, mss) + mss);
    }

    public void onTimeout(final long bytesInFlight, final long nowNs)
    {
        slowStartThreshold = Math.max(bytesInFlight / 2, 2L * mss);
        congestionWindow = mss;
        bytesAckedInAvoidance = 0;
    }
}
