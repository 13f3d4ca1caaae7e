package io.ringstack.engine;

import io.ringstack.iface.TimerListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The engine's timers when the clock jumps: an idle engine, or a virtual clock driven by a capture's timestamps,
 * may see years pass between two polls. Every due timer fires in that one poll, in a moment, and none that is not
 * yet due fires early.
 */
class EngineTimersTest
{
    private static final long START_NS = 1_000_000_000_000L;
    private static final long YEARS_NS = TimeUnit.DAYS.toNanos(6 * 365);
    private static final Duration A_MOMENT = Duration.ofSeconds(5);

    private final EngineTimers timers = new EngineTimers(START_NS);
    private final List<Long> fired = new ArrayList<>();
    private final TimerListener listener = (nowNs, context) -> fired.add(context);

    @Test
    void aJumpOfYearsFiresEveryDueTimerInOnePollAndAtOnce()
    {
        timers.schedule(START_NS + TimeUnit.MILLISECONDS.toNanos(1), listener, 1);
        timers.schedule(START_NS + TimeUnit.SECONDS.toNanos(2), listener, 2);
        timers.schedule(START_NS + TimeUnit.HOURS.toNanos(1), listener, 3);

        final int expired = assertTimeoutPreemptively(A_MOMENT, () -> timers.poll(START_NS + YEARS_NS));

        assertEquals(3, expired);
        fired.sort(null);
        assertEquals(List.of(1L, 2L, 3L), fired, "all fired, in the order of their slots in the wheel");
        assertEquals(0, timers.count());
    }

    @Test
    void aJumpWithNoTimerAtAllEndsAtOnce()
    {
        assertEquals(0, assertTimeoutPreemptively(A_MOMENT, () -> timers.poll(START_NS + YEARS_NS)));
        assertEquals(0, assertTimeoutPreemptively(A_MOMENT, () -> timers.poll(START_NS + 2 * YEARS_NS)));
    }

    @Test
    void aTimerDueAfterTheJumpFiresWhenDueNotBefore()
    {
        final long afterJumpNs = START_NS + YEARS_NS;
        timers.schedule(afterJumpNs + TimeUnit.MILLISECONDS.toNanos(5), listener, 4);

        assertEquals(0, assertTimeoutPreemptively(A_MOMENT, () -> timers.poll(afterJumpNs)));
        assertEquals(0, timers.poll(afterJumpNs + TimeUnit.MILLISECONDS.toNanos(4)));
        assertEquals(1, timers.poll(afterJumpNs + TimeUnit.MILLISECONDS.toNanos(7)));
        assertEquals(List.of(4L), fired);
    }

    @Test
    void aTimerScheduledAfterTheJumpFiresOnItsOwnTime()
    {
        final long afterJumpNs = START_NS + YEARS_NS;
        assertTimeoutPreemptively(A_MOMENT, () -> timers.poll(afterJumpNs));
        timers.schedule(afterJumpNs + TimeUnit.MILLISECONDS.toNanos(40), listener, 5);

        assertEquals(0, timers.poll(afterJumpNs + TimeUnit.MILLISECONDS.toNanos(38)));
        assertEquals(1, timers.poll(afterJumpNs + TimeUnit.MILLISECONDS.toNanos(42)));
        assertEquals(List.of(5L), fired);
    }
}
