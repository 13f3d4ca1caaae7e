package io.ringstack.phy.relay;

import io.ringstack.phy.WireWait;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An idle relay spins, then yields, then sleeps on its wires until the next delayed frame is due, never longer than
 * a millisecond and not at all when one is due already; work puts it back to spinning.
 */
class RelayIdleStrategyTest
{
    private static final long NOW_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int BEFORE_SLEEP = RelayIdleStrategy.SPINS + RelayIdleStrategy.YIELDS;

    private final List<Long> waits = new ArrayList<>();
    private final CachedNanoClock clock = new CachedNanoClock();
    private long nextReleaseNs = Long.MAX_VALUE;
    private final RelayIdleStrategy idle = new RelayIdleStrategy(new WireWait()
    {
        public void await(final long timeoutNs)
        {
            waits.add(timeoutNs);
        }

        public void wake()
        {
        }
    }, () -> nextReleaseNs, clock);

    @Test
    void withNothingDelayedItSleepsOnItsWiresForAMillisecondOnceItHasSpunAndYielded()
    {
        clock.update(NOW_NS);

        idleTimes(BEFORE_SLEEP);
        assertEquals(List.of(), waits, "spins and yields first");
        idleTimes(2);

        assertEquals(List.of(1_000_000L, 1_000_000L), waits);
    }

    @Test
    void itSleepsNoLaterThanTheNextDelayedFrameIsDue()
    {
        clock.update(NOW_NS);
        nextReleaseNs = NOW_NS + 200_000;
        idleTimes(BEFORE_SLEEP + 1);

        nextReleaseNs = NOW_NS;
        idle.idle(0);

        assertEquals(List.of(200_000L), waits, "the frame due now is sent, not slept over");
    }

    @Test
    void workStartsTheBackOffAgain()
    {
        clock.update(NOW_NS);
        idleTimes(BEFORE_SLEEP + 1);
        idle.idle(3);

        idleTimes(BEFORE_SLEEP);

        assertEquals(1, waits.size(), "spins and yields again before the next sleep");
    }

    private void idleTimes(final int times)
    {
        for (int i = 0; i < times; i++)
        {
            idle.idle(0);
        }
    }
}
