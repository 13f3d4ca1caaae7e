package io.ringstack.tcp;

/**
 * A congestion controller: it owns the congestion window and the slow start threshold of one connection
 * (RFC 5681 section 3.1), and the rate it is paced at. Loss recovery (fast retransmit, NewReno partial
 * acknowledgments) is the connection's business; the controller is told when a loss is detected and when recovery
 * ends, and is asked to grow the window only for acknowledgments outside recovery. A loss-based controller (Reno,
 * CUBIC) reduces its window on loss through Proportional Rate Reduction and is not paced; a model-based one (BBR)
 * sets its window and pacing rate from the delivery rate sample of every ACK ({@link #onDelivered}). All values are
 * bytes; nothing here allocates.
 */
public interface CongestionControl
{
    /**
     * Start a connection: the initial window of RFC 6928, {@code min(10 MSS, max(2 MSS, 14600))}, and an
     * unbounded threshold.
     */
    void start(int mss, long nowNs);

    long congestionWindow();

    long slowStartThreshold();

    /**
     * New data was acknowledged outside loss recovery.
     *
     * @param ackedBytes      bytes this acknowledgment covered.
     * @param bytesInFlight   the most bytes outstanding over the window it acknowledges, to tell a window-limited
     *                        sender from an application-limited one (RFC 7661: an application-limited sender does
     *                        not grow its window).
     * @param smoothedRttNs   the smoothed round-trip time, 0 before any sample.
     * @param rttSampleNs     the round-trip time this acknowledgment measured, or -1 when it measured none.
     */
    void onAck(long ackedBytes, long bytesInFlight, long nowNs, long smoothedRttNs, long rttSampleNs);

    /**
     * Loss detected by duplicate acknowledgments or SACK: reduce the threshold and the window (multiplicative
     * decrease) as recovery begins.
     */
    void onLoss(long bytesInFlight, long nowNs);

    /**
     * Loss recovery ended with a full acknowledgment (RFC 6582 section 3.2 step 3).
     */
    void onRecoveryEnd(long bytesInFlight);

    /**
     * The reduction that left {@code priorWindow} and {@code priorThreshold} behind was spurious: restore them, but
     * lower neither (RFC 3522 section 3.3, as Linux undoes).
     */
    void undo(long priorWindow, long priorThreshold);

    /**
     * The retransmission timer expired: the window drops to one segment, the loss window of RFC 5681 section 3.1.
     */
    void onTimeout(long bytesInFlight, long nowNs);

    /**
     * An ACK delivered data, cumulatively or by SACK, in recovery or not, after the connection took it.
     *
     * @param sample     its delivery rate sample.
     * @param pipe       bytes in flight after it (RFC 6675's pipe).
     * @param recovering whether the connection repairs losses: in fast recovery, or after a retransmission timeout
     *                   until SND.UNA passes what was outstanding at it (Linux's Recovery and Loss states).
     */
    void onDelivered(DeliveryRate sample, long pipe, boolean recovering, long nowNs);

    /**
     * @param smoothedRttNs the smoothed round-trip time, 0 before any sample: a controller that has no rate yet
     *                      derives one from it.
     * @return the rate to pace data at in bytes per second, or 0 to send as fast as the windows allow.
     */
    long pacingRate(long smoothedRttNs);

    /**
     * @return {@code true} when a loss or an ECN echo reduces the window ({@link #onLoss}) and the sender runs the
     * reduction through Proportional Rate Reduction; {@code false} for a model that loss does not shrink.
     */
    boolean reducesOnCongestion();

    /**
     * @return RFC 6928's initial window for this MSS.
     */
    static long initialWindow(final int mss)
    {
        return Math.min(10L * mss, Math.max(2L * mss, 14600));
    }

    /**
     * @return {@code true} when a sender with {@code bytesInFlight} outstanding was using its window: within a
     * segment of it, or (in slow start) at least half of it, as Linux judges.
     */
    static boolean isWindowLimited(
        final long bytesInFlight, final long congestionWindow, final long slowStartThreshold, final int mss)
    {
        if (congestionWindow < slowStartThreshold)
        {
            return 2 * bytesInFlight >= congestionWindow;
        }
        return bytesInFlight + mss >= congestionWindow;
    }
}
