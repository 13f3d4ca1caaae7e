package io.ringstack.tcp;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BBR's model (draft-cardwell-iccrg-bbr-congestion-control-00 section 4, Linux's {@code tcp_bbr.c}) against a
 * 100 Mbit/s bottleneck 20 ms away on the virtual clock ({@link BbrBottleneck}): its BDP is 250,000 bytes, 172
 * segments.
 */
class BbrCongestionControlTest
{
    private static final long RATE_BITS = 100_000_000L;
    private static final long RTT_NS = 20_000_000L;

    /**
     * STARTUP's gain of 2/ln 2 doubles what is delivered each round; BtlBw stops growing at the bottleneck's rate, and
     * three rounds later (growth under 25 %) the sender leaves STARTUP with BtlBw at that rate.
     */
    @Test
    void startupDoublesTheRatePerRoundAndLeavesAtThePlateau()
    {
        final BbrBottleneck path = new BbrBottleneck(RATE_BITS, RTT_NS, 0, 1);
        final List<Long> bandwidthByRound = new ArrayList<>();
        long round = 0;
        while (path.bbr.mode() == BbrCongestionControl.Mode.STARTUP)
        {
            path.step();
            if (path.bbr.roundCount() != round)
            {
                round = path.bbr.roundCount();
                bandwidthByRound.add(path.bbr.bandwidth());
            }
            assertTrue(path.nowNs() < 1_000_000_000L, "still in STARTUP after a second");
        }

        final long bottleneck = path.bottleneckBytesPerSecond();
        int doubled = 0;
        double product = 1;
        for (int i = 2; i < bandwidthByRound.size() && bandwidthByRound.get(i) < bottleneck * 3 / 4; i++)
        {
            final double growth = (double)bandwidthByRound.get(i) / bandwidthByRound.get(i - 1);
            assertTrue(growth > 1.6 && growth < 2.4, "round " + i + " grew " + growth + ": " + bandwidthByRound);
            product *= growth;
            doubled++;
        }
        assertTrue(doubled >= 3, "rounds of growth: " + doubled + " of " + bandwidthByRound);
        final double perRound = Math.pow(product, 1.0 / doubled);
        assertTrue(perRound > 1.85 && perRound < 2.15, "growth per round " + perRound + ": " + bandwidthByRound);
        final int plateau = firstRoundAtOrAbove(bandwidthByRound, bottleneck * 9 / 10);
        assertTrue(bandwidthByRound.size() - 1 - plateau <= 4,
            "left STARTUP within four rounds of reaching the bottleneck: " + bandwidthByRound);
        assertEquals(BbrCongestionControl.Mode.DRAIN, path.bbr.mode());
        assertTrue(path.bbr.fullBandwidthReached());
        assertWithin(bottleneck, path.bbr.bandwidth(), 0.03, "BtlBw at the end of STARTUP");
    }

    /**
     * DRAIN paces at ln 2/2 of BtlBw until the flight is down to a BDP (the queue STARTUP built is gone), then
     * PROBE_BW begins: STARTUP's window gain of 2/ln 2 leaves up to 1.9 BDP queued, which drains at 1 - ln 2/2 of the
     * rate, in about three round trips.
     */
    @Test
    void drainPacesBelowTheRateUntilTheFlightIsOneBdp()
    {
        final BbrBottleneck path = new BbrBottleneck(RATE_BITS, RTT_NS, 0, 1);
        runWhile(path, BbrCongestionControl.Mode.STARTUP);
        final long drainStartNs = path.nowNs();
        assertEquals(BbrCongestionControl.DRAIN_GAIN, path.bbr.pacingGain(), 1e-9);
        assertTrue(path.pipe() > path.bbr.inflight(1), "STARTUP left a queue: " + path.pipe());

        runWhile(path, BbrCongestionControl.Mode.DRAIN);

        assertEquals(BbrCongestionControl.Mode.PROBE_BW, path.bbr.mode());
        assertTrue(path.pipe() <= path.bbr.inflight(1) + BbrBottleneck.MSS,
            "PROBE_BW begins with a BDP in flight: " + path.pipe() + " of " + path.bbr.inflight(1));
        assertTrue(path.nowNs() - drainStartNs <= 4 * RTT_NS, "DRAIN took " + (path.nowNs() - drainStartNs));
    }

    /**
     * PROBE_BW cycles its pacing gain 1.25, 0.75, then 1 for six phases, each phase about an RTprop, and BtlBw stays
     * at the bottleneck's rate throughout.
     */
    @Test
    void probeBandwidthCyclesItsGainsOnePhasePerRoundTrip()
    {
        final BbrBottleneck path = new BbrBottleneck(RATE_BITS, RTT_NS, 0, 1);
        runWhile(path, BbrCongestionControl.Mode.STARTUP);
        runWhile(path, BbrCongestionControl.Mode.DRAIN);
        final List<Integer> phases = new ArrayList<>();
        final List<Long> phaseStartNs = new ArrayList<>();
        int phase = -1;
        while (phases.size() < 17)
        {
            path.step();
            if (path.bbr.cycleIndex() != phase)
            {
                phase = path.bbr.cycleIndex();
                phases.add(phase);
                phaseStartNs.add(path.nowNs());
                assertEquals(BbrCongestionControl.pacingGainOf(phase), path.bbr.pacingGain(), 1e-9);
            }
        }

        assertTrue(phases.get(0) != 1, "PROBE_BW does not start in the draining phase: " + phases);
        for (int i = 1; i < phases.size(); i++)
        {
            assertEquals((phases.get(i - 1) + 1) % BbrCongestionControl.CYCLE_LENGTH, phases.get(i), "" + phases);
        }
        for (int i = 2; i < phases.size(); i++)
        {
            final long lengthNs = phaseStartNs.get(i) - phaseStartNs.get(i - 1);
            assertTrue(lengthNs >= RTT_NS && lengthNs < 2 * RTT_NS,
                "phase " + phases.get(i - 1) + " lasted " + lengthNs + " ns");
        }
        assertWithin(path.bottleneckBytesPerSecond(), path.bbr.bandwidth(), 0.03, "BtlBw in PROBE_BW");
    }

    /**
     * RTprop not renewed for ten seconds (the path's RTT never falls below the first sample): PROBE_RTT holds the
     * window at four segments for 200 ms and a round, then PROBE_BW comes back with the window it had.
     */
    @Test
    void probeRttAfterTenSecondsWithoutANewMinimum()
    {
        final BbrBottleneck path = new BbrBottleneck(RATE_BITS, RTT_NS, 0, 1);
        runWhile(path, BbrCongestionControl.Mode.STARTUP);
        runWhile(path, BbrCongestionControl.Mode.DRAIN);
        final long windowBefore = path.bbr.congestionWindow();
        final long probeBandwidthNs = path.nowNs();
        runWhile(path, BbrCongestionControl.Mode.PROBE_BW);

        assertEquals(BbrCongestionControl.Mode.PROBE_RTT, path.bbr.mode());
        assertTrue(path.nowNs() > BbrCongestionControl.MIN_RTT_WINDOW_NS &&
            path.nowNs() < BbrCongestionControl.MIN_RTT_WINDOW_NS + 2 * RTT_NS,
            "PROBE_RTT began at " + path.nowNs() + " ns, PROBE_BW at " + probeBandwidthNs);
        final long probeRttStartNs = path.nowNs();
        long largestWindow = 0;
        while (path.bbr.mode() == BbrCongestionControl.Mode.PROBE_RTT)
        {
            path.step();
            if (path.bbr.mode() == BbrCongestionControl.Mode.PROBE_RTT)
            {
                largestWindow = Math.max(largestWindow, path.bbr.congestionWindow());
            }
        }
        final long probeRttNs = path.nowNs() - probeRttStartNs;

        assertEquals(4L * BbrBottleneck.MSS, largestWindow, "the window in PROBE_RTT");
        assertTrue(probeRttNs >= BbrCongestionControl.PROBE_RTT_NS &&
            probeRttNs < BbrCongestionControl.PROBE_RTT_NS + 3 * RTT_NS, "PROBE_RTT lasted " + probeRttNs);
        assertEquals(BbrCongestionControl.Mode.PROBE_BW, path.bbr.mode());
        assertTrue(path.bbr.congestionWindow() >= windowBefore, "window restored: " + path.bbr.congestionWindow());
    }

    /**
     * One segment in a hundred dropped at random, through STARTUP and five seconds of PROBE_BW: BtlBw stays at the
     * bottleneck's rate, the window above 0.9 BDP (each ACK takes what it deemed lost off the window, and recovery
     * conserves packets for a round, as Linux's BBR does), and the path is used to 90 %, where a loss-based window
     * would halve at each loss (Mathis: about 1.2 / sqrt(0.01) segments per round trip, 7 % of this BDP).
     */
    @Test
    void randomOnePercentLossDoesNotShrinkTheRateOrTheWindow()
    {
        final BbrBottleneck path = new BbrBottleneck(RATE_BITS, RTT_NS, 0.01, 7);
        runWhile(path, BbrCongestionControl.Mode.STARTUP);
        runWhile(path, BbrCongestionControl.Mode.DRAIN);
        final long startNs = path.nowNs();
        final long deliveredBefore = path.deliveredBytes();
        long smallestWindow = Long.MAX_VALUE;
        long smallestBandwidth = Long.MAX_VALUE;
        while (path.nowNs() - startNs < 5_000_000_000L)
        {
            path.step();
            if (path.bbr.mode() == BbrCongestionControl.Mode.PROBE_BW)
            {
                smallestWindow = Math.min(smallestWindow, path.bbr.congestionWindow());
                smallestBandwidth = Math.min(smallestBandwidth, path.bbr.bandwidth());
            }
        }
        final double used = (path.deliveredBytes() - deliveredBefore) * 1e9 / (path.nowNs() - startNs) /
            path.bottleneckBytesPerSecond();

        assertTrue(path.lostSegments() > 100, "losses: " + path.lostSegments());
        assertTrue(smallestBandwidth >= path.bottleneckBytesPerSecond() * 9 / 10, "BtlBw fell to " + smallestBandwidth);
        assertTrue(smallestWindow >= path.bdp() * 9 / 10, "the window fell to " + smallestWindow + " of a BDP of " + path.bdp());
        assertTrue(used >= 0.9, "the path was used to " + used);
    }

    private static void runWhile(final BbrBottleneck path, final BbrCongestionControl.Mode mode)
    {
        final long limitNs = path.nowNs() + 20_000_000_000L;
        while (path.bbr.mode() == mode)
        {
            path.step();
            assertTrue(path.nowNs() < limitNs, "still in " + mode);
        }
    }

    private static int firstRoundAtOrAbove(final List<Long> bandwidthByRound, final long floor)
    {
        for (int i = 0; i < bandwidthByRound.size(); i++)
        {
            if (bandwidthByRound.get(i) >= floor)
            {
                return i;
            }
        }
        return bandwidthByRound.size();
    }

    private static void assertWithin(final long expected, final long actual, final double fraction, final String what)
    {
        assertTrue(Math.abs(actual - expected) <= expected * fraction, what + ": " + actual + " against " + expected);
    }
}
