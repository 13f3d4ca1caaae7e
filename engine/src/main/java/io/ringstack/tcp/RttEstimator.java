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
 * expiry (section 5.5) and a new sample ends the back-off.
 * <p>
 * A connection with SACK or timestamps gives a sample on every ACK of new data that can give one
 * ({@link #onSample}, RFC 7323 section 4.3); without either, samples come from one timed segment at a time, by
 * Karn's algorithm (section 3): the sender starts timing a new segment when none is timed, stops when it
 * retransmits (the acknowledgment would be ambiguous), and the first acknowledgment at or past the timed segment's
 * end gives the sample.
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
    private boolean timing;
    private int timedSequence;
    private long timedSentNs;

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
        timing = false;
        rtoNs = clamp(initialRtoNs);
    }

    /**
     * @return {@code true} while a segment is being timed.
     */
    public boolean isTiming()
    {
        return timing;
    }

    /**
     * Time the segment sent at {@code sentNs} whose acknowledgment is {@code endSequence}, in place of any timed.
     */
    public void startTiming(final int endSequence, final long sentNs)
    {
        timing = true;
        timedSequence = endSequence;
        timedSentNs = sentNs;
    }

    /**
     * Stop timing: the timed segment's bytes were sent again, so no acknowledgment of them is a sample.
     */
    public void stopTiming()
    {
        timing = false;
    }

    /**
     * Take an acknowledgment: one at or past the timed segment's end is a sample and ends the timing.
     *
     * @return the sample, or -1 when this acknowledgment gave none.
     */
    public long onAcknowledged(final int ack, final long nowNs)
    {
        if (timing && SequenceNumbers.afterOrAt(ack, timedSequence))
        {
            timing = false;
            final long sampleNs = nowNs - timedSentNs;
            onSample(sampleNs);
            return sampleNs;
        }
        return -1;
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
