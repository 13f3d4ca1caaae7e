package io.ringstack.engine;

import io.ringstack.phy.WireWait;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine with a wire to wait on idles by spinning, then yielding, then waiting on the wire for 1 ms at a time,
 * never past the time its timers are due, never while a command or doorbell waits; a poster's wake ends that wait only once the engine sleeps, and work
 * found starts the phases over.
 */
class EngineIdleStrategyTest
{
    private static final int SPINS_AND_YIELDS = 15;
    private static final long ONE_MS = 1_000_000;

    private final RecordingWireWait wire = new RecordingWireWait();
    private boolean posted;
    private final EngineIdleStrategy strategy = new EngineIdleStrategy(() -> posted, wire);

    @Test
    void afterSpinsAndYieldsTheEngineWaitsOnTheWireAMillisecondAtATime()
    {
        idle(SPINS_AND_YIELDS);
        assertEquals(List.of(), wire.awaits, "spins and yields first");
        assertTrue(strategy.isSleeping(), "asleep from the first yield");

        idle(3);

        assertEquals(List.of(ONE_MS, ONE_MS, ONE_MS), wire.awaits);
    }

    /**
     * A TCP connection's pacing timer due in 300 µs: the wait ends then, not a millisecond later; a timer due now
     * is not waited for at all.
     */
    @Test
    void noWaitRunsPastTheTimeTheTimersAreDue()
    {
        final long[] dueInNs = { 300_000 };
        final EngineIdleStrategy timed = new EngineIdleStrategy(() -> posted, wire, () -> dueInNs[0]);
        for (int i = 0; i < SPINS_AND_YIELDS + 1; i++)
        {
            timed.idle(0);
        }
        dueInNs[0] = 0;
        timed.idle(0);

        assertEquals(List.of(300_000L), wire.awaits);
    }

    @Test
    void aPostedCommandIsTakenInsteadOfWaitedOver()
    {
        idle(SPINS_AND_YIELDS);
        posted = true;

        idle(2);

        assertEquals(List.of(), wire.awaits);
    }

    @Test
    void aWakeEndsTheWireWaitOnlyWhileTheEngineSleeps()
    {
        strategy.wake();
        assertEquals(0, wire.wakes, "awake: the poster's command is seen without a wake");

        idle(SPINS_AND_YIELDS);
        strategy.wake();
        assertEquals(1, wire.wakes);

        strategy.idle(1);
        assertFalse(strategy.isSleeping(), "work found: awake again");
        strategy.wake();
        assertEquals(1, wire.wakes);
    }

    private void idle(final int times)
    {
        for (int i = 0; i < times; i++)
        {
            strategy.idle(0);
        }
    }

    private static final class RecordingWireWait implements WireWait
    {
        final List<Long> awaits = new ArrayList<>();
        int wakes;

        public void await(final long timeoutNs)
        {
            awaits.add(timeoutNs);
        }

        public void wake()
        {
            wakes++;
        }
    }
}
