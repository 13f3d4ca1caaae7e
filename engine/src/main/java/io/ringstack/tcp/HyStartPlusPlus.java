package io.ringstack.tcp;

/**
 * HyStart++ (RFC 9406): leaves the first slow start when the round-trip time begins to rise, before the queue it
 * builds overflows, instead of at the first loss. Each round (the ACKs of what was in flight when it began) keeps
 * the smallest RTT of its ACKs; once a round has {@value #RTT_SAMPLES} samples and its minimum exceeds the last
 * round's by the threshold, slow start gives way to Conservative Slow Start (CSS), which grows the window by a
 * quarter of what slow start would. An RTT back under the minimum CSS began at resumes slow start (the rise was
 * noise); {@value #CSS_ROUNDS} whole rounds of CSS end it in congestion avoidance, with ssthresh at the window.
 * <pre>
 *   RttThresh = clamp(lastRoundMinRTT / 8, 4 ms, 16 ms)                               section 4.2
 *   slow start -> CSS      currentRoundMinRTT >= lastRoundMinRTT + RttThresh
 *   CSS -> slow start      currentRoundMinRTT &lt; cssBaselineMinRtt
 *   CSS -> avoidance       5 whole rounds in CSS: ssthresh = cwnd
 * </pre>
 * Only the first slow start: once a loss, a timeout or a CSS ends it, later slow starts are standard (section 4.3).
 * There is no per-ACK limit L: the sender counts every byte acknowledged, as its slow start does. A round ends when
 * as many bytes have been acknowledged as were in flight when it began, which is when SND.UNA reaches the SND.NXT
 * of its start.
 */
final class HyStartPlusPlus
{
    static final long MIN_RTT_THRESHOLD_NS = 4_000_000L;
    static final long MAX_RTT_THRESHOLD_NS = 16_000_000L;
    static final int MIN_RTT_DIVISOR = 8;
    static final int RTT_SAMPLES = 8;
    static final int CSS_GROWTH_DIVISOR = 4;
    static final int CSS_ROUNDS = 5;

    private static final long NONE = Long.MAX_VALUE;

    private boolean active;
    private boolean conservative;
    private long roundBytesLeft;
    private long lastRoundMinRttNs;
    private long currentRoundMinRttNs;
    private int samples;
    private long cssBaselineMinRttNs;
    private int cssRounds;

    /**
     * A connection's first slow start begins.
     */
    void start()
    {
        active = true;
        conservative = false;
        roundBytesLeft = 0;
        lastRoundMinRttNs = NONE;
        currentRoundMinRttNs = NONE;
        samples = 0;
        cssBaselineMinRttNs = NONE;
        cssRounds = 0;
    }

    /**
     * The first slow start ended otherwise (a loss, a timeout): what follows is standard.
     */
    void stop()
    {
        active = false;
        conservative = false;
    }

    /**
     * Take an ACK of slow start.
     *
     * @param ackedBytes    bytes it newly acknowledged.
     * @param bytesInFlight bytes that were in flight before it.
     * @param rttSampleNs   its RTT sample, or a negative value for none.
     * @return how much of {@code ackedBytes} the window grows by: all of it in slow start, a quarter in CSS (as the
     * ACK found it: one that ends slow start or CSS still grows the window as before it), or a negative value when
     * CSS has run its rounds and slow start ends here.
     */
    long onAck(final long ackedBytes, final long bytesInFlight, final long rttSampleNs)
    {
        if (!active)
        {
            return ackedBytes;
        }
        if (roundBytesLeft <= 0)
        {
            lastRoundMinRttNs = currentRoundMinRttNs;
            currentRoundMinRttNs = NONE;
            samples = 0;
            roundBytesLeft = bytesInFlight;
            if (conservative && ++cssRounds > CSS_ROUNDS)
            {
                stop();
                return -1;
            }
        }
        roundBytesLeft -= ackedBytes;
        final long growth = conservative ? ackedBytes / CSS_GROWTH_DIVISOR : ackedBytes;
        if (rttSampleNs >= 0)
        {
            currentRoundMinRttNs = Math.min(currentRoundMinRttNs, rttSampleNs);
            samples++;
        }
        if (samples >= RTT_SAMPLES && currentRoundMinRttNs != NONE)
        {
            if (!conservative && lastRoundMinRttNs != NONE &&
                currentRoundMinRttNs >= lastRoundMinRttNs + threshold(lastRoundMinRttNs))
            {
                conservative = true;
                cssRounds = 0;
                cssBaselineMinRttNs = currentRoundMinRttNs;
            }
            else if (conservative && currentRoundMinRttNs < cssBaselineMinRttNs)
            {
                conservative = false;
                cssBaselineMinRttNs = NONE;
            }
        }
        return growth;
    }

    static long threshold(final long lastRoundMinRttNs)
    {
        return Math.max(MIN_RTT_THRESHOLD_NS, Math.min(lastRoundMinRttNs / MIN_RTT_DIVISOR, MAX_RTT_THRESHOLD_NS));
    }
}
