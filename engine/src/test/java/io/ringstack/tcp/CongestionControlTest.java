package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CongestionControlTest
{
    private static final int MSS = 1000;
    private static final long RTT_NS = 10_000_000;

    @Test
    void initialWindowIsRfc6928s()
    {
        assertEquals(10 * 1460, CongestionControl.initialWindow(1460));
        assertEquals(14600, CongestionControl.initialWindow(2000), "max(2 MSS, 14600) caps 10 MSS");
        assertEquals(2 * 8000, CongestionControl.initialWindow(8000), "2 MSS for a large MSS");
    }

    @Test
    void renoGrowsExponentiallyThenLinearlyAndHalvesOnLoss()
    {
        final RenoCongestionControl reno = new RenoCongestionControl();
        reno.start(MSS, 0);
        final long initial = reno.congestionWindow();
        reno.onAck(MSS, initial, 0, RTT_NS, -1);
        assertEquals(initial + MSS, reno.congestionWindow(), "slow start: one MSS per MSS acknowledged");

        reno.onLoss(20 * MSS, 0);
        assertEquals(10 * MSS, reno.slowStartThreshold());
        assertEquals(10 * MSS, reno.congestionWindow());
        for (int i = 0; i < 10; i++)
        {
            reno.onAck(MSS, reno.congestionWindow(), 0, RTT_NS, -1);
        }
        assertEquals(11 * MSS, reno.congestionWindow(), "avoidance: one MSS per window acknowledged");

        reno.onTimeout(20 * MSS, 0);
        assertEquals(MSS, reno.congestionWindow(), "RTO: the loss window");
    }

    @Test
    void applicationLimitedSenderDoesNotGrow()
    {
        final RenoCongestionControl reno = new RenoCongestionControl();
        reno.start(MSS, 0);
        final long initial = reno.congestionWindow();

        reno.onAck(MSS, MSS, 0, RTT_NS, -1);

        assertEquals(initial, reno.congestionWindow());
    }

    @Test
    void cubicReducesByBetaAndGrowsBackToWmaxAlongTheCubic()
    {
        final CubicCongestionControl cubic = new CubicCongestionControl();
        cubic.start(MSS, 0);
        for (int i = 0; i < 90; i++)
        {
            cubic.onAck(MSS, cubic.congestionWindow(), 0, RTT_NS, -1);
        }
        assertEquals(100 * MSS, cubic.congestionWindow());

        cubic.onLoss(100 * MSS, 0);
        assertEquals(70 * MSS, cubic.congestionWindow(), "beta = 0.7");
        assertEquals(100.0, cubic.maxWindowSegments(), 1e-9);

        final double k = Math.cbrt(100 * (1 - CubicCongestionControl.BETA) / CubicCongestionControl.C);
        long nowNs = 0;
        while (nowNs < (long)(k * 1e9) - RTT_NS)
        {
            cubic.onAck(MSS, cubic.congestionWindow(), nowNs, RTT_NS, -1);
            nowNs += RTT_NS / 10;
        }
        final long atK = cubic.congestionWindow();
        assertTrue(atK > 95 * MSS && atK <= 101 * MSS, "back near W_max after K = " + k + " s: " + atK);

        cubic.onLoss(cubic.congestionWindow(), nowNs);
        assertTrue(cubic.maxWindowSegments() < 100, "fast convergence: a loss below W_max lowers W_max");
    }
}
