package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
