package io.ringstack.tcp;

/**
 * Delivery rate estimation (draft-cheng-iccrg-delivery-rate-estimation-02), as Linux's {@code tcp_rate.c}: the
 * connection counts the bytes delivered and when, each transmission is logged with that count, its time and the
 * time the first segment of its flight went out ({@link TransmitLog}), and each ACK that delivers data (cumulatively
 * or by SACK) yields a sample from the newest transmission it delivered:
 * <pre>
 *   send:   nothing in flight: first_sent_time = delivered_time = now
 *           P.delivered, P.delivered_time, P.first_sent_time, P.is_app_limited = C's
 *   ACK:    for the delivered P with the largest P.delivered: prior_delivered = P.delivered,
 *           send_elapsed = P.sent_time - P.first_sent_time, first_sent_time = P.sent_time
 *           C.delivered += bytes delivered, C.delivered_time = now
 *           rate = (C.delivered - prior_delivered) / max(send_elapsed, now - P.delivered_time)
 * </pre>
 * An interval shorter than the minimum RTT is not a rate (a compressed ACK train) and the sample is invalid. A sender
 * with less than a segment to send and room in its window is application-limited until what it has in flight is
 * delivered: its samples say so, and a model takes them only where they raise its estimate. Engine thread only;
 * nothing allocates.
 */
final class DeliveryRate
{
    /** C.delivered: bytes delivered over the connection's life. */
    private long delivered;
    private long deliveredNs;
    private long firstSentNs;
    /** C.app_limited: the delivered count at which the application-limited phase ends; 0 when none runs. */
    private long appLimitedUntil;

    private boolean hasPrior;
    private long priorDelivered;
    private long priorDeliveredNs;
    private long priorSentNs;
    private long sendElapsedNs;
    private boolean sampleAppLimited;
    private long sampleRttNs;
    private long sampleDelivered;
    private long intervalNs;
    private long priorInFlight;
    private long ackedBytes;
    private long lostBytes;

    void reset()
    {
        delivered = 0;
        deliveredNs = 0;
        firstSentNs = 0;
        appLimitedUntil = 0;
        hasPrior = false;
        intervalNs = -1;
    }

    /**
     * A transmission is about to be logged; with nothing in flight its flight starts now.
     */
    void onSend(final boolean nothingInFlight, final long nowNs)
    {
        if (nothingInFlight)
        {
            firstSentNs = nowNs;
            deliveredNs = nowNs;
        }
    }

    long delivered()
    {
        return delivered;
    }

    long deliveredNs()
    {
        return deliveredNs;
    }

    long firstSentNs()
    {
        return firstSentNs;
    }

    boolean isAppLimited()
    {
        return appLimitedUntil != 0;
    }

    /**
     * The sender has less than a segment to send and room in its window ({@code tcp_rate_check_app_limited}): the
     * samples until {@code inFlight} more bytes are delivered are application-limited.
     */
    void onAppLimited(final long inFlight)
    {
        appLimitedUntil = Math.max(delivered + inFlight, 1);
    }

    /**
     * An ACK begins: {@code inFlight} is the pipe before it.
     */
    void beginSample(final long inFlight)
    {
        hasPrior = false;
        priorInFlight = inFlight;
        lostBytes = 0;
        ackedBytes = 0;
        sampleRttNs = -1;
    }

    /**
     * The ACK delivered a logged transmission sent at {@code sentNs} with the state it was logged with.
     */
    void onDelivered(final long entryDelivered, final long entryDeliveredNs, final long entryFirstSentNs,
        final long sentNs, final boolean appLimited, final boolean retransmitted, final long nowNs)
    {
        if (hasPrior && (entryDelivered < priorDelivered ||
            (entryDelivered == priorDelivered && sentNs - priorSentNs <= 0)))
        {
            return;
        }
        hasPrior = true;
        priorDelivered = entryDelivered;
        priorDeliveredNs = entryDeliveredNs;
        priorSentNs = sentNs;
        sendElapsedNs = sentNs - entryFirstSentNs;
        sampleAppLimited = appLimited;
        sampleRttNs = retransmitted ? -1 : nowNs - sentNs;
        firstSentNs = sentNs;
    }

    /**
     * RACK deemed {@code bytes} lost while this ACK was taken.
     */
    void onLost(final long bytes)
    {
        lostBytes += bytes;
    }

    /**
     * The ACK delivered {@code bytes} in all: count them and make the sample.
     *
     * @param minRttNs the connection's minimum RTT, {@link Long#MAX_VALUE} before any.
     */
    void endSample(final long bytes, final long minRttNs, final long nowNs)
    {
        ackedBytes = bytes;
        if (bytes > 0)
        {
            delivered += bytes;
            deliveredNs = nowNs;
        }
        if (appLimitedUntil != 0 && delivered > appLimitedUntil)
        {
            appLimitedUntil = 0;
        }
        intervalNs = -1;
        if (!hasPrior)
        {
            return;
        }
        sampleDelivered = delivered - priorDelivered;
        final long interval = Math.max(sendElapsedNs, deliveredNs - priorDeliveredNs);
        if (interval > 0 && (minRttNs == Long.MAX_VALUE || interval >= minRttNs))
        {
            intervalNs = interval;
        }
    }

    /**
     * @return whether the last ACK made a rate sample.
     */
    boolean isValid()
    {
        return intervalNs > 0;
    }

    /**
     * @return the last sample's rate in bytes per second, 0 when it made none.
     */
    long rateBytesPerSecond()
    {
        return intervalNs > 0 ? (long)(sampleDelivered * 1e9 / intervalNs) : 0;
    }

    long priorDelivered()
    {
        return priorDelivered;
    }

    boolean sampleAppLimited()
    {
        return sampleAppLimited;
    }

    /**
     * @return the RTT of the newest transmission the last ACK delivered, -1 when it was a retransmission or none.
     */
    long rttNs()
    {
        return sampleRttNs;
    }

    long priorInFlight()
    {
        return priorInFlight;
    }

    long ackedBytes()
    {
        return ackedBytes;
    }

    long lostBytes()
    {
        return lostBytes;
    }
}
