package io.ringstack.tcp;

/**
 * BBR, version 1 (draft-cardwell-iccrg-bbr-congestion-control-00, as Linux's {@code tcp_bbr.c}): a model of the path
 * built from the delivery rate samples ({@link DeliveryRate}), not from loss. The bottleneck bandwidth BtlBw is the
 * largest delivery rate over the last ten round trips (a round ends when what was sent at its start is delivered),
 * the round-trip propagation time RTprop the smallest RTT over ten seconds; the sender is paced at
 * {@code pacing_gain * BtlBw} and keeps at most {@code cwnd_gain * BDP} plus a quantum in flight:
 * <pre>
 *   STARTUP    pacing and cwnd gain 2/ln 2 (the rate doubles per round); left when BtlBw grew less than 25 % in three
 *              rounds that were not application-limited (the pipe is full)
 *   DRAIN      pacing gain ln 2/2, until the flight is down to one BDP
 *   PROBE_BW   cwnd gain 2, pacing gain cycling 1.25, 0.75, 1 x6, a phase per RTprop (1.25 until the flight reaches
 *              1.25 BDP or a loss, 0.75 until it is down to one BDP), entered at a random phase other than 0.75
 *   PROBE_RTT  RTprop not renewed for ten seconds: cwnd 4 segments until 200 ms and a round have passed at it
 *   cwnd       min(cwnd + acked, cwnd_gain * BDP + 3 quanta) once the pipe is full, cwnd + acked before; at least
 *              4 segments; a quantum is a millisecond at the pacing rate, 2 to 44 segments ({@code tcp_tso_autosize})
 * </pre>
 * Loss does not shrink the model. Fast recovery conserves packets for its first round ({@code cwnd = pipe + acked}),
 * then lets the window grow as outside recovery, and restores the window it began with at its end
 * ({@code bbr_set_cwnd_to_recover_or_restore}); each ACK takes what it newly deemed lost off the window; a
 * retransmission timeout sets the window to one segment, which grows by what each ACK delivers. Not carried over
 * from Linux: the long-term bandwidth of a policed path ({@code bbr_lt_bw_sampling}), the extra window for
 * aggregated ACKs of later kernels, and the pacing at BtlBw of a restart from idle. Deterministic: the random phase
 * comes from a generator seeded with the engine's clock at {@link #start}. Nothing allocates.
 */
public final class BbrCongestionControl implements CongestionControl
{
    /** The modes of section 4.3. */
    enum Mode
    {
        STARTUP, DRAIN, PROBE_BW, PROBE_RTT
    }

    static final double HIGH_GAIN = 2 / Math.log(2);
    static final double DRAIN_GAIN = 1 / HIGH_GAIN;
    static final double CWND_GAIN = 2;
    static final int CYCLE_LENGTH = 8;
    /** BtlBw's window, in round trips: a gain cycle and two more. */
    static final int BANDWIDTH_ROUNDS = CYCLE_LENGTH + 2;
    static final long MIN_RTT_WINDOW_NS = 10_000_000_000L;
    static final long PROBE_RTT_NS = 200_000_000L;
    static final int FULL_BANDWIDTH_ROUNDS = 3;
    static final double FULL_BANDWIDTH_GROWTH = 1.25;
    static final int MIN_WINDOW_SEGMENTS = 4;
    /** Pace 1 % below the estimate, so that the bottleneck's queue drains ({@code bbr_pacing_margin_percent}). */
    static final double PACING_MARGIN = 0.99;
    /** Before any RTT sample the initial window is paced over a millisecond. */
    private static final long DEFAULT_RTT_NS = 1_000_000;
    private static final int MAX_QUANTUM_BYTES = 64 * 1024;
    /** Below 1.2 Mbit/s a quantum is one segment, above it two at least ({@code bbr_min_tso_rate}). */
    private static final long MIN_TWO_SEGMENT_RATE = 1_200_000 / 8;
    private static final double NANOS_PER_SECOND = 1e9;

    private final WindowedMax bandwidth = new WindowedMax();
    private int mss;
    private long congestionWindow;
    private Mode mode;
    private double pacingGain;
    private double cwndGain;
    private long pacingRate;
    private boolean hasSeenRtt;
    private long roundCount;
    private long nextRoundDelivered;
    private boolean roundStart;
    private long minRttNs;
    private long minRttStampNs;
    private boolean probeRttDoneSet;
    private long probeRttDoneNs;
    private boolean probeRttRoundDone;
    private long fullBandwidth;
    private int fullBandwidthCount;
    private boolean fullBandwidthReached;
    private int cycleIndex;
    private long cycleStartNs;
    private long priorCwnd;
    private boolean packetConservation;
    private boolean wasRecovering;
    private long random;

    public void start(final int mss, final long nowNs)
    {
        this.mss = mss;
        congestionWindow = CongestionControl.initialWindow(mss);
        bandwidth.reset(0, 0);
        pacingRate = 0;
        hasSeenRtt = false;
        roundCount = 0;
        nextRoundDelivered = 0;
        roundStart = false;
        minRttNs = Long.MAX_VALUE;
        minRttStampNs = nowNs;
        probeRttDoneSet = false;
        probeRttRoundDone = false;
        fullBandwidth = 0;
        fullBandwidthCount = 0;
        fullBandwidthReached = false;
        cycleIndex = 0;
        cycleStartNs = nowNs;
        priorCwnd = 0;
        packetConservation = false;
        wasRecovering = false;
        random = nowNs ^ 0x9E37_79B9_7F4A_7C15L;
        enter(Mode.STARTUP);
    }

    public long congestionWindow()
    {
        return congestionWindow;
    }

    /**
     * @return no threshold: BBR does not slow start against one.
     */
    public long slowStartThreshold()
    {
        return Long.MAX_VALUE;
    }

    /**
     * The window follows the model in {@link #onDelivered}, not the acknowledged bytes alone.
     */
    public void onAck(
        final long ackedBytes, final long bytesInFlight, final long nowNs, final long smoothedRttNs,
        final long rttSampleNs)
    {
    }

    /**
     * Recovery begins: remember the window to restore at its end ({@code bbr_ssthresh}, {@code bbr_save_cwnd}).
     */
    public void onLoss(final long bytesInFlight, final long nowNs)
    {
        saveCwnd();
    }

    /**
     * The window comes back at the first ACK outside recovery ({@link #onDelivered}).
     */
    public void onRecoveryEnd(final long bytesInFlight)
    {
    }

    /**
     * A spurious recovery: the window it began with comes back, and STARTUP's plateau is judged afresh
     * ({@code bbr_undo_cwnd}).
     */
    public void undo(final long priorWindow, final long priorThreshold)
    {
        fullBandwidth = 0;
        fullBandwidthCount = 0;
        congestionWindow = Math.max(congestionWindow, priorCwnd);
    }

    /**
     * The window drops to one segment and a round ends, as Linux's loss state begins ({@code bbr_set_state}).
     */
    public void onTimeout(final long bytesInFlight, final long nowNs)
    {
        saveCwnd();
        congestionWindow = mss;
        wasRecovering = true;
        packetConservation = false;
        fullBandwidth = 0;
        roundStart = true;
    }

    public long pacingRate(final long smoothedRttNs)
    {
        return hasSeenRtt ? pacingRate : initialPacingRate(smoothedRttNs > 0 ? smoothedRttNs : DEFAULT_RTT_NS);
    }

    public boolean reducesOnCongestion()
    {
        return false;
    }

    /**
     * {@code bbr_main}: update the model from the sample, then the pacing rate and the window.
     */
    public void onDelivered(final DeliveryRate sample, final long pipe, final boolean recovering, final long nowNs)
    {
        updateBandwidth(sample);
        if (mode == Mode.PROBE_BW && isNextCyclePhase(sample, nowNs))
        {
            advanceCyclePhase(nowNs);
        }
        checkFullBandwidth(sample);
        checkDrain(pipe, nowNs);
        updateMinRtt(sample, pipe, nowNs);
        updatePacingRate();
        updateWindow(sample, pipe, recovering);
    }

    Mode mode()
    {
        return mode;
    }

    /**
     * @return BtlBw in bytes per second.
     */
    long bandwidth()
    {
        return bandwidth.get();
    }

    long minRttNs()
    {
        return minRttNs;
    }

    double pacingGain()
    {
        return pacingGain;
    }

    int cycleIndex()
    {
        return cycleIndex;
    }

    long roundCount()
    {
        return roundCount;
    }

    boolean fullBandwidthReached()
    {
        return fullBandwidthReached;
    }

    private void updateBandwidth(final DeliveryRate sample)
    {
        roundStart = false;
        if (!sample.isValid())
        {
            return;
        }
        if (sample.priorDelivered() >= nextRoundDelivered)
        {
            nextRoundDelivered = sample.delivered();
            roundCount++;
            roundStart = true;
            packetConservation = false;
        }
        final long rate = sample.rateBytesPerSecond();
        if (!sample.sampleAppLimited() || rate >= bandwidth.get())
        {
            bandwidth.update(BANDWIDTH_ROUNDS, roundCount, rate);
        }
    }

    /**
     * A phase lasts an RTprop; the probing phase goes on until the flight reaches its BDP or a loss, the draining
     * one ends early once the flight is down to one BDP.
     */
    private boolean isNextCyclePhase(final DeliveryRate sample, final long nowNs)
    {
        final boolean fullLength = nowNs - cycleStartNs > minRttNs;
        if (pacingGain == 1)
        {
            return fullLength;
        }
        final long inflight = sample.priorInFlight();
        if (pacingGain > 1)
        {
            return fullLength && (sample.lostBytes() > 0 || inflight >= inflight(pacingGain));
        }
        return fullLength || inflight <= inflight(1);
    }

    private void advanceCyclePhase(final long nowNs)
    {
        cycleIndex = (cycleIndex + 1) % CYCLE_LENGTH;
        cycleStartNs = nowNs;
        pacingGain = pacingGainOf(cycleIndex);
    }

    static double pacingGainOf(final int phase)
    {
        switch (phase)
        {
            case 0:
                return 1.25;
            case 1:
                return 0.75;
            default:
                return 1;
        }
    }

    private void checkFullBandwidth(final DeliveryRate sample)
    {
        if (fullBandwidthReached || !roundStart || sample.sampleAppLimited())
        {
            return;
        }
        if (bandwidth.get() >= fullBandwidth * FULL_BANDWIDTH_GROWTH)
        {
            fullBandwidth = bandwidth.get();
            fullBandwidthCount = 0;
            return;
        }
        fullBandwidthReached = ++fullBandwidthCount >= FULL_BANDWIDTH_ROUNDS;
    }

    private void checkDrain(final long pipe, final long nowNs)
    {
        if (mode == Mode.STARTUP && fullBandwidthReached)
        {
            enter(Mode.DRAIN);
        }
        if (mode == Mode.DRAIN && pipe <= inflight(1))
        {
            enterProbeBandwidth(nowNs);
        }
    }

    /**
     * RTprop takes a smaller RTT, or any once ten seconds passed without one; then PROBE_RTT runs: the window of four
     * segments for 200 ms from when the flight came down to it, and a round.
     */
    private void updateMinRtt(final DeliveryRate sample, final long pipe, final long nowNs)
    {
        final boolean expired = nowNs - minRttStampNs > MIN_RTT_WINDOW_NS;
        final long rtt = sample.rttNs();
        if (rtt >= 0 && (rtt < minRttNs || expired))
        {
            minRttNs = rtt;
            minRttStampNs = nowNs;
        }
        if (expired && mode != Mode.PROBE_RTT)
        {
            enter(Mode.PROBE_RTT);
            saveCwnd();
            probeRttDoneSet = false;
        }
        if (mode != Mode.PROBE_RTT)
        {
            return;
        }
        sample.onAppLimited(pipe);
        if (!probeRttDoneSet && pipe <= (long)MIN_WINDOW_SEGMENTS * mss)
        {
            probeRttDoneSet = true;
            probeRttDoneNs = nowNs + PROBE_RTT_NS;
            probeRttRoundDone = false;
            nextRoundDelivered = sample.delivered();
        }
        else if (probeRttDoneSet)
        {
            probeRttRoundDone |= roundStart;
            if (probeRttRoundDone && nowNs - probeRttDoneNs > 0)
            {
                minRttStampNs = nowNs;
                congestionWindow = Math.max(congestionWindow, priorCwnd);
                if (fullBandwidthReached)
                {
                    enterProbeBandwidth(nowNs);
                }
                else
                {
                    enter(Mode.STARTUP);
                }
            }
        }
    }

    private void updatePacingRate()
    {
        if (!hasSeenRtt && minRttNs != Long.MAX_VALUE)
        {
            hasSeenRtt = true;
            pacingRate = initialPacingRate(minRttNs);
        }
        final long rate = (long)(bandwidth.get() * pacingGain * PACING_MARGIN);
        if (fullBandwidthReached || rate > pacingRate)
        {
            pacingRate = rate;
        }
    }

    /**
     * {@code bbr_set_cwnd}, with {@code bbr_set_cwnd_to_recover_or_restore} before it.
     */
    private void updateWindow(final DeliveryRate sample, final long pipe, final boolean recovering)
    {
        final long acked = sample.ackedBytes();
        if (acked > 0)
        {
            long cwnd = congestionWindow;
            if (sample.lostBytes() > 0)
            {
                cwnd = Math.max(cwnd - sample.lostBytes(), mss);
            }
            if (recovering && !wasRecovering)
            {
                packetConservation = true;
                nextRoundDelivered = sample.delivered();
                cwnd = pipe + acked;
            }
            else if (!recovering && wasRecovering)
            {
                cwnd = Math.max(cwnd, priorCwnd);
                packetConservation = false;
            }
            wasRecovering = recovering;
            if (packetConservation)
            {
                cwnd = Math.max(cwnd, pipe + acked);
            }
            else
            {
                final long target = inflight(cwndGain);
                if (fullBandwidthReached)
                {
                    cwnd = Math.min(cwnd + acked, target);
                }
                else if (cwnd < target || sample.delivered() < CongestionControl.initialWindow(mss))
                {
                    cwnd += acked;
                }
                cwnd = Math.max(cwnd, (long)MIN_WINDOW_SEGMENTS * mss);
            }
            congestionWindow = cwnd;
        }
        if (mode == Mode.PROBE_RTT)
        {
            congestionWindow = Math.min(congestionWindow, (long)MIN_WINDOW_SEGMENTS * mss);
        }
    }

    /**
     * @return the flight the model wants at {@code gain}: {@code gain * BtlBw * RTprop} (the initial window before an
     * RTT is known), plus three quanta for the segments a sender batches, and two segments more in the probing phase
     * ({@code bbr_inflight}, {@code bbr_quantization_budget}).
     */
    long inflight(final double gain)
    {
        final long bdp = minRttNs == Long.MAX_VALUE ? CongestionControl.initialWindow(mss) :
            (long)(bandwidth.get() * gain * minRttNs / NANOS_PER_SECOND);
        return bdp + 3L * quantum() + (mode == Mode.PROBE_BW && cycleIndex == 0 ? 2L * mss : 0);
    }

    /**
     * @return the bytes the sender batches at the pacing rate: a millisecond's worth, whole segments, at least two
     * (one below 1.2 Mbit/s), at most 64 KiB ({@code bbr_tso_segs_goal}).
     */
    private long quantum()
    {
        final long minSegments = pacingRate < MIN_TWO_SEGMENT_RATE ? 1 : 2;
        final long segments = Math.max(Math.min(pacingRate >> 10, MAX_QUANTUM_BYTES) / mss, minSegments);
        return segments * mss;
    }

    private long initialPacingRate(final long rttNs)
    {
        return (long)(CongestionControl.initialWindow(mss) * HIGH_GAIN * PACING_MARGIN * NANOS_PER_SECOND /
            Math.max(rttNs, 1));
    }

    private void saveCwnd()
    {
        priorCwnd = !wasRecovering && mode != Mode.PROBE_RTT ? congestionWindow : Math.max(priorCwnd, congestionWindow);
    }

    private void enterProbeBandwidth(final long nowNs)
    {
        enter(Mode.PROBE_BW);
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        cycleIndex = CYCLE_LENGTH - 1 - (int)((random >>> 1) % (CYCLE_LENGTH - 1));
        advanceCyclePhase(nowNs);
    }

    /**
     * Enter {@code next} with its gains ({@code bbr_update_gains}).
     */
    private void enter(final Mode next)
    {
        mode = next;
        switch (next)
        {
            case STARTUP:
                pacingGain = HIGH_GAIN;
                cwndGain = HIGH_GAIN;
                break;
            case DRAIN:
                pacingGain = DRAIN_GAIN;
                cwndGain = HIGH_GAIN;
                break;
            case PROBE_BW:
                pacingGain = pacingGainOf(cycleIndex);
                cwndGain = CWND_GAIN;
                break;
            default:
                pacingGain = 1;
                cwndGain = 1;
                break;
        }
    }
}
