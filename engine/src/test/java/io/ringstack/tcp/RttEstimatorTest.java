package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RttEstimatorTest
{
    private static final long MS = 1_000_000;

    @Test
    void followsRfc6298()
    {
        final RttEstimator rtt = new RttEstimator(200 * MS, 120_000 * MS, 1000 * MS, MS);
        assertEquals(1000 * MS, rtt.rtoNs(), "1 s before any sample (2.1)");

        rtt.onSample(100 * MS);
        assertEquals(100 * MS, rtt.smoothedRttNs());
        assertEquals(50 * MS, rtt.rttVariationNs());
        assertEquals(300 * MS, rtt.rtoNs(), "SRTT + 4 RTTVAR (2.2)");

        rtt.onSample(200 * MS);
        assertEquals((3 * 50 * MS + 100 * MS) / 4, rtt.rttVariationNs(), "RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|");
        assertEquals((7 * 100 * MS + 200 * MS) / 8, rtt.smoothedRttNs(), "SRTT = 7/8 SRTT + 1/8 R'");
    }

    @Test
    void clampsToTheMinimumAndBacksOffToTheMaximum()
    {
        final RttEstimator rtt = new RttEstimator(200 * MS, 1000 * MS, 1000 * MS, MS);
        rtt.onSample(1000);
        assertEquals(200 * MS, rtt.rtoNs());

        rtt.backOff();
        rtt.backOff();
        assertEquals(800 * MS, rtt.rtoNs());
        rtt.backOff();
        assertEquals(1000 * MS, rtt.rtoNs(), "never above the maximum (5.5)");
        rtt.onSample(1000);
        assertEquals(200 * MS, rtt.rtoNs(), "a new sample ends the back-off");
    }

    @Test
    void karnsAlgorithmSamplesOnlyTheTimedSegmentOnceItsEndIsAcknowledged()
    {
        final RttEstimator rtt = new RttEstimator(MS, 120_000 * MS, 1000 * MS, MS);
        rtt.startTiming(1000, 0);

        rtt.onAcknowledged(999, 50 * MS);
        assertTrue(rtt.isTiming(), "an ACK short of the timed segment's end is no sample");
        assertEquals(1000 * MS, rtt.rtoNs());

        rtt.onAcknowledged(1500, 80 * MS);
        assertFalse(rtt.isTiming());
        assertEquals(80 * MS, rtt.smoothedRttNs(), "the sample runs from the send to the first ACK past the end");

        rtt.onAcknowledged(2000, 500 * MS);
        assertEquals(80 * MS, rtt.smoothedRttNs(), "one sample per timed segment");
    }

    @Test
    void aRetransmittedSegmentGivesNoSample()
    {
        final RttEstimator rtt = new RttEstimator(MS, 120_000 * MS, 1000 * MS, MS);
        rtt.startTiming(1000, 0);
        rtt.stopTiming();
        rtt.onAcknowledged(1000, 3000 * MS);
        assertEquals(0, rtt.smoothedRttNs(), "the ACK may answer either transmission (RFC 6298 3)");
        assertEquals(1000 * MS, rtt.rtoNs());
    }

    @Test
    void timingWrapsWithTheSequenceSpace()
    {
        final RttEstimator rtt = new RttEstimator(MS, 120_000 * MS, 1000 * MS, MS);
        rtt.startTiming(0x7FFF_FFF0 + 0x20, 0);
        rtt.onAcknowledged(0x7FFF_FFF0 + 0x20, 10 * MS);
        assertEquals(10 * MS, rtt.smoothedRttNs());
        rtt.startTiming(5, 0);
        rtt.onAcknowledged(-5, 20 * MS);
        assertTrue(rtt.isTiming(), "-5 lies before 5 in sequence space");
    }
}
