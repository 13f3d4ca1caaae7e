package io.ringstack.tcp;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HyStart++ (RFC 9406) in CUBIC's first slow start, round by round: each round acknowledges, one segment per ACK,
 * the window it began with, and every ACK carries the round's RTT sample.
 */
class HyStartPlusPlusTest
{
    private static final int MSS = 1000;
    private static final long MS = 1_000_000L;

    private final CubicCongestionControl cubic = new CubicCongestionControl();
    private long nowNs;

    /**
     * Section 4.2: RttThresh = max(4 ms, min(lastRoundMinRTT / 8, 16 ms)).
     */
    @Test
    void theRttThresholdIsAnEighthOfTheLastRoundsMinimumWithin4To16Ms()
    {
        assertEquals(4 * MS, HyStartPlusPlus.threshold(10 * MS));
        assertEquals(4 * MS, HyStartPlusPlus.threshold(32 * MS));
        assertEquals(10 * MS, HyStartPlusPlus.threshold(80 * MS));
        assertEquals(16 * MS, HyStartPlusPlus.threshold(128 * MS));
        assertEquals(16 * MS, HyStartPlusPlus.threshold(500 * MS));
    }

    @Test
    void aSteadyRttKeepsSlowStartDoublingTheWindow()
    {
        cubic.start(MSS, 0);

        final List<Long> windows = rounds(8, 10 * MS);

        for (int i = 1; i < windows.size(); i++)
        {
            assertEquals(2 * windows.get(i - 1), windows.get(i), "round " + i + ": " + windows);
        }
        assertEquals(Long.MAX_VALUE, cubic.slowStartThreshold());
    }

    @Test
    void aRiseUnderTheThresholdIsNotTakenForAQueue()
    {
        cubic.start(MSS, 0);
        rounds(3, 10 * MS);

        final List<Long> windows = rounds(3, 13 * MS);

        assertEquals(List.of(160L * MSS, 320L * MSS, 640L * MSS), windows);
        assertEquals(Long.MAX_VALUE, cubic.slowStartThreshold());
    }

    /**
     * The fourth round's RTT rises 5 ms, past the 4 ms threshold: after its eighth ACK the window grows by a quarter
     * of what is acknowledged (CSS), and after five whole rounds of CSS slow start ends with ssthresh at the window.
     */
    @Test
    void aRisingRttSlowsGrowthToAQuarterThenEndsSlowStartFiveRoundsLater()
    {
        cubic.start(MSS, 0);
        rounds(3, 10 * MS);
        assertEquals(80L * MSS, cubic.congestionWindow());

        final long risen = rounds(1, 15 * MS).get(0);

        assertEquals(80L * MSS + 8 * MSS + 72 * MSS / 4, risen, "8 ACKs of slow start, 72 of CSS");
        long window = risen;
        for (int round = 1; round <= HyStartPlusPlus.CSS_ROUNDS; round++)
        {
            final long next = rounds(1, 15 * MS).get(0);
            final long quarter = acksOf(window) * MSS / HyStartPlusPlus.CSS_GROWTH_DIVISOR;
            assertEquals(window + quarter, next, "CSS round " + round);
            assertEquals(Long.MAX_VALUE, cubic.slowStartThreshold(), "CSS round " + round);
            window = next;
        }
        cubic.onAck(MSS, window, nowNs, 15 * MS, 15 * MS);
        assertEquals(window, cubic.slowStartThreshold(), "congestion avoidance from the window CSS reached");
        final long avoiding = rounds(1, 15 * MS).get(0);
        assertTrue(avoiding < window + window / 4, "grows as CUBIC avoids congestion: " + window + " -> " + avoiding);
    }

    /**
     * An RTT back under the minimum at which CSS began was noise: slow start resumes and doubles again.
     */
    @Test
    void anRttBackUnderTheBaselineResumesSlowStart()
    {
        cubic.start(MSS, 0);
        rounds(3, 10 * MS);
        final long risen = rounds(1, 15 * MS).get(0);

        final List<Long> windows = rounds(2, 10 * MS);

        assertEquals(risen + 8 * MSS / 4 + (risen - 8 * MSS), windows.get(0), "8 ACKs of CSS, then slow start");
        assertEquals(2 * windows.get(0), windows.get(1));
        assertEquals(Long.MAX_VALUE, cubic.slowStartThreshold());
    }

    /**
     * Section 4.3: once a loss ended the first slow start, a slow start after a timeout is standard however the RTT
     * rises: it doubles up to ssthresh.
     */
    @Test
    void aSlowStartAfterALossIsStandard()
    {
        cubic.start(MSS, 0);
        rounds(3, 10 * MS);
        cubic.onLoss(cubic.congestionWindow(), nowNs);
        cubic.onTimeout(cubic.congestionWindow(), nowNs);
        assertEquals(MSS, cubic.congestionWindow());
        final long threshold = cubic.slowStartThreshold();

        final List<Long> windows = rounds(5, 30 * MS);

        assertEquals(List.of(2L * MSS, 4L * MSS, 8L * MSS, 16L * MSS, 32L * MSS), windows);
        assertFalse(windows.get(4) > threshold, "below ssthresh " + threshold);
    }

    /**
     * @return the ACKs of a round that began with {@code window}: one a segment, the last one's partly empty.
     */
    private static long acksOf(final long window)
    {
        return (window + MSS - 1) / MSS;
    }

    /**
     * @return the window after each of {@code count} rounds whose every ACK measured {@code rttNs}.
     */
    private List<Long> rounds(final int count, final long rttNs)
    {
        final List<Long> windows = new ArrayList<>();
        for (int round = 0; round < count; round++)
        {
            final long window = cubic.congestionWindow();
            for (long ack = 0; ack < acksOf(window); ack++)
            {
                cubic.onAck(MSS, window, nowNs, rttNs, rttNs);
            }
            nowNs += rttNs;
            windows.add(cubic.congestionWindow());
        }
        return windows;
    }
}
