package io.ringstack.tcp;

/**
 * The round-trip time estimator and retransmission timeout of RFC 6298:
 * <pre>
 *   first sample R:   SRTT = R, RTTVAR = R/2
 *   later samples R': RTTVAR = (1 - 1/4) RTTVAR + 1/4 |SRTT - R'|
 *                     SRTT   = (1 - 1/8) SRTT   + 1/8 R'
 *   RTO = SRTT + max(G, 4 RTTVAR), clamped to [min RTO, max RTO]; 1 s before any sample (section 2.1)
 * </pre>
 * where G is the clock granularity, here the engine's timer tick. {@link #backOff()} doubles the timeout after an
 * expiry (section 5.5) and a new sample ends the back-off. Samples follow Karn's algorithm: the caller never
 * times a segment that was retransmitted.
 */
public final class RttEstimator
{
    private final long minRtoNs;
    private final long maxRtoNs;
    private final long initialRtoNs;
    private final long granularityNs;
    private long smoothedRttNs;
    private long rttVariationNs;
    private long rtoNs;
    private boolean hasSample;

    public RttEstimator(final long minRtoNs, final long maxRtoNs, final long initialRtoNs, final long granularityNs)
    {
        this.minRtoNs = minRtoNs;
        this.maxRtoNs = maxRtoNs;
        this.initialRtoNs = initialRtoNs;
        this.granularityNs = granularityNs;
        reset();
    }

    public void reset()
    {
        smoothedRttNs = 0;
        rttVariationNs = 0;
        hasSample = false;
        rtoNs = clamp(initialRtoNs);
    }

    public void onSample(final long rttNs)
    {
        final long sample = Math.max(rttNs, 1);
        if (!hasSample)
        {
            smoothedRttNs = sample;
            rttVariationNs = sample / 2;
            hasSample = true;
        }
        else
        {
            rttVariationNs = (3 * rttVariationNs + Math.abs(smoothedRttNs - sample)) / 4;
            smoothedRttNs = (7 * smoothedRttNs + sample) / 8;
        }
        rtoNs = clamp(smoothedRttNs + Math.max(granularityNs, 4 * rttVariationNs));
    }

    /**
     * Double the timeout after a retransmission timer expired, up to the maximum.
     */
    public void backOff()
    {
        rtoNs = Math.min(rtoNs * 2, maxRtoNs);
    }

    public long rtoNs()
    {
        return rtoNs;
    }

    public long smoothedRttNs()
    {
        return smoothedRttNs;
    }

    public long rttVariationNs()
    {
        return rttVariationNs;
    }

    private long clamp(final long timeoutNs)
    {
        return Math.min(Math.max(timeoutNs, minRtoNs), maxRtoNs);
    }
}
