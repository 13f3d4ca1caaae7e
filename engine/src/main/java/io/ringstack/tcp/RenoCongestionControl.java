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
public final class RenoCongestionControl extends WindowedCongestionControl
{
    private long bytesAckedInAvoidance;

    protected void restart()
    {
        bytesAckedInAvoidance = 0;
    }

    protected void avoidCongestion(final long ackedBytes, final long nowNs, final long smoothedRttNs)
    {
        bytesAckedInAvoidance += ackedBytes;
        if (bytesAckedInAvoidance >= congestionWindow)
        {
            bytesAckedInAvoidance -= congestionWindow;
            congestionWindow += mss;
        }
    }

    protected void reduceOnLoss(final long bytesInFlight, final long nowNs)
    {
        slowStartThreshold = Math.max(bytesInFlight / 2, 2L * mss);
        congestionWindow = slowStartThreshold;
        bytesAckedInAvoidance = 0;
    }

    protected void reduceOnTimeout(final long bytesInFlight, final long nowNs)
    {
        slowStartThreshold = Math.max(bytesInFlight / 2, 2L * mss);
        congestionWindow = mss;
        bytesAckedInAvoidance = 0;
    }
}
