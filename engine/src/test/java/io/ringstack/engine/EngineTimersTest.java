package io.ringstack.engine;

import io.ringstack.iface.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class EngineTimersTest
{
    private static final long START_NS = TimeUnit.SECONDS.toNanos(1000);

    private final EngineTimers timers = new EngineTimers(START_NS);
    private final List<Long> fired = new ArrayList<>();

    @Test
    void aTimerFiresOnTheFirstPollAtOrPastItsDeadlineAndNotBefore()
    {
        timers.schedule(START_NS + TimeUnit.MILLISECONDS.toNanos(200), (nowNs, context) -> fired.add(context), 7);

        assertEquals(0, timers.poll(START_NS + TimeUnit.MILLISECONDS.toNanos(150)));
        assertEquals(1, timers.poll(START_NS + TimeUnit.MILLISECONDS.toNanos(200) + Timers.GRANULARITY_NS));
        assertEquals(List.of(7L), fired);
    }

    @Test
    void aClockThatLeapsByYearsFiresEveryDueTimerAtOnceAndKeepsTheLaterOnesInBoundedTime()
    {
        final long leapNs = TimeUnit.DAYS.toNanos(365 * 3);
        timers.schedule(START_NS + TimeUnit.MILLISECONDS.toNanos(5), (nowNs, context) -> fired.add(context), 1);
        timers.schedule(START_NS + TimeUnit.SECONDS.toNanos(30), (nowNs, context) -> fired.add(context), 2);
        timers.schedule(START_NS + TimeUnit.HOURS.toNanos(2), (nowNs, context) -> fired.add(context), 3);
        timers.schedule(START_NS + leapNs + TimeUnit.SECONDS.toNanos(10), (nowNs, context) -> fired.add(context), 4);

        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertEquals(3, timers.poll(START_NS + leapNs)),
            "tick by tick, three years of a 1 ms wheel would take hours");
        assertEquals(Set.of(1L, 2L, 3L), Set.copyOf(fired), "every timer due by then, each once");

        assertEquals(0, timers.poll(START_NS + leapNs + TimeUnit.SECONDS.toNanos(9)));
        assertEquals(1, timers.poll(START_NS + leapNs + TimeUnit.SECONDS.toNanos(10) + Timers.GRANULARITY_NS));
        assertEquals(4L, fired.get(3), "a timer past the leap still fires at its own deadline");
        assertEquals(0, timers.count());
    }

    @Test
    void aLeapWithNoTimersLeavesTheWheelReadyForNewOnes()
    {
        final long leapNs = TimeUnit.DAYS.toNanos(10_000);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertEquals(0, timers.poll(START_NS + leapNs)));

        timers.schedule(START_NS + leapNs + TimeUnit.MILLISECONDS.toNanos(50), (nowNs, context) -> fired.add(context), 9);
        assertEquals(0, timers.poll(START_NS + leapNs + TimeUnit.MILLISECONDS.toNanos(40)));
        assertEquals(1, timers.poll(START_NS + leapNs + TimeUnit.MILLISECONDS.toNanos(50) + Timers.GRANULARITY_NS));
        assertEquals(List.of(9L), fired);
    }
}
