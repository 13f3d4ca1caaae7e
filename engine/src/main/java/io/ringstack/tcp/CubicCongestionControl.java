package io.ringstack.tcp;

/**
 * CUBIC (RFC 9438): after a loss the window follows a cubic function of the time since the loss, concave up to
 * the window at which the loss happened, then convex beyond it, independent of the round-trip time.
 * <pre>
 *   W_cubic(t) = C (t - K)^3 + W_max            C = 0.4, t and K in seconds, windows in segments
 *   K          = cbrt((W_max - cwnd_epoch) / C)  (section 4.2)
 *   target     = W_cubic(t + RTT), clamped to [cwnd, 1.5 cwnd]; cwnd += (target - cwnd) / cwnd per segment acked
 *   W_est     += alpha * acked / cwnd, alpha = 3 (1 - beta) / (1 + beta)   Reno-friendly region (section 4.3)
 *   loss:        W_max = cwnd, or cwnd (1 + beta) / 2 when below the last W_max (fast convergence, 4.7);
 *                ssthresh = max(beta cwnd, 2 MSS), cwnd = ssthresh, beta = 0.7 (4.6)
 *   timeout:     as loss, then cwnd = 1 MSS (4.8)
 * </pre>
 * Slow start is Reno's. Arithmetic is in doubles, which the JIT keeps in registers: no allocation.
 */
public final class CubicCongestionControl extends WindowedCongestionControl
{
    static final double C = 0.4;
    static final double BETA = 0.7;
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private double maxWindowSegments;
    private double kSeconds;
    private double estimatedRenoSegments;
    private long epochStartNs;
    private boolean inEpoch;

    protected void restart()
    {
        maxWindowSegments = 0;
        kSeconds = 0;
        inEpoch = false;
    }

    protected void avoidCongestion(final long ackedBytes, final long nowNs, final long smoothedRttNs)
    {
        final double cwndSegments = (double)congestionWindow / mss;
        if (!inEpoch)
        {
            inEpoch = true;
            epochStartNs = nowNs;
            estimatedRenoSegments = cwndSegments;
            if (cwndSegments < maxWindowSegments)
            {
                kSeconds = Math.cbrt((maxWindowSegments - cwndSegments) / C);
            }
            else
            {
                kSeconds = 0;
                maxWindowSegments = cwndSegments;
            }
        }
        final double t = (nowNs - epochStartNs + smoothedRttNs) / 1e9;
        final double offset = t - kSeconds;
        final double cubicTarget = C * offset * offset * offset + maxWindowSegments;
        final double target = Math.min(Math.max(cubicTarget, cwndSegments), 1.5 * cwndSegments);
        final double ackedSegments = (double)ackedBytes / mss;
        estimatedRenoSegments += ALPHA * ackedSegments / cwndSegments;
        final double next = estimatedRenoSegments > cubicTarget ?
            Math.max(estimatedRenoSegments, cwndSegments) :
            cwndSegments + (target - cwndSegments) * ackedSegments / cwndSegments;
        congestionWindow = Math.max(congestionWindow, (long)(next * mss));
    }

    protected void reduceOnLoss(final long bytesInFlight, final long nowNs)
    {
        reduce();
        congestionWindow = slowStartThreshold;
    }

    protected void reduceOnTimeout(final long bytesInFlight, final long nowNs)
    {
        reduce();
        congestionWindow = mss;
    }

    /**
     * @return W_max in segments: where the last loss happened, as fast convergence left it.
     */
    double maxWindowSegments()
    {
        return maxWindowSegments;
    }

    private void reduce()
    {
        final double cwndSegments = (double)congestionWindow / mss;
        maxWindowSegments = cwndSegments < maxWindowSegments ? cwndSegments * (1 + BETA) / 2 : cwndSegments;
        slowStartThreshold = Math.max((long)(congestionWindow * BETA), 2L * mss);
        inEpoch = false;
    }
}
