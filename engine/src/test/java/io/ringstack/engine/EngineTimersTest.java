package io.ringstack.engine;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.agrona.DeadlineTimerWheel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    @Test
    void aTimerDueWithinTheCurrentTickFiresOnTheFirstPollAtItsDeadlineThoughThePollsBeforeItWereSkipped()
    {
        timers.schedule(START_NS + 300_000, (nowNs, context) -> fired.add(nowNs), 1);

        for (long nowNs = START_NS; nowNs < START_NS + 300_000; nowNs += 1_000)
        {
            assertEquals(0, timers.poll(nowNs));
        }
        assertEquals(1, timers.poll(START_NS + 300_000));
        assertEquals(List.of(START_NS + 300_000), fired);
    }

    @Test
    void skippingPollsFiresTheSameTimersAtTheSamePollsInTheSameOrderAsPollingTheWheelEveryCycle()
    {
        final Random random = new Random(42);
        final List<String> skipping = new ArrayList<>();
        final List<String> everyCycle = new ArrayList<>();
        final Script script = new Script(timers, timers::poll, skipping);
        final ReferenceWheel reference = new ReferenceWheel(START_NS);
        final Script referenceScript = new Script(reference, reference::poll, everyCycle);
        long nowNs = START_NS;
        for (int cycle = 0; cycle < 200_000; cycle++)
        {
            final int kind = random.nextInt(1000);
            nowNs += kind == 0 ? TimeUnit.SECONDS.toNanos(3) : kind < 20 ? TimeUnit.MILLISECONDS.toNanos(4) :
                random.nextInt(20_000);
            final int action = random.nextInt(100);
            final long deadlineNs = nowNs - 50_000 + random.nextInt(5_000_000);
            final int cancelIndex = random.nextInt(1 << 16);
            script.cycle(cycle, nowNs, action, deadlineNs, cancelIndex);
            referenceScript.cycle(cycle, nowNs, action, deadlineNs, cancelIndex);
        }
        assertTrue(everyCycle.size() > 10_000, "the script fires timers: " + everyCycle.size());
        for (int i = 0; i < Math.min(everyCycle.size(), skipping.size()); i++)
        {
            assertEquals(everyCycle.get(i), skipping.get(i), "firing " + i + " (cycle:context)");
        }
        assertEquals(everyCycle.size(), skipping.size());
    }

    /**
     * One engine's timers driven by a script: each cycle may schedule or cancel a timer, then polls; a timer whose
     * context is odd schedules another as it fires, due at once or within the tick, as a retransmission timer does.
     */
    private static final class Script
    {
        private final Timers timers;
        private final LongConsumer poll;
        private final List<String> fired;
        private final List<Long> timerIds = new ArrayList<>();
        private long contexts;
        private int cycle;

        Script(final Timers timers, final LongConsumer poll, final List<String> fired)
        {
            this.timers = timers;
            this.poll = poll;
            this.fired = fired;
        }

        void cycle(final int cycle, final long nowNs, final int action, final long deadlineNs, final int cancelIndex)
        {
            this.cycle = cycle;
            if (action < 10)
            {
                timerIds.add(timers.schedule(deadlineNs, this::onTimer, contexts++));
            }
            else if (action < 12 && !timerIds.isEmpty())
            {
                timers.cancel(timerIds.remove(cancelIndex % timerIds.size()));
            }
            poll.accept(nowNs);
        }

        private void onTimer(final long nowNs, final long context)
        {
            fired.add(cycle + ":" + context);
            if ((context & 1) == 1)
            {
                timers.schedule(nowNs - 1 + (context % 5) * 100_000, this::onTimer, contexts++);
            }
        }
    }

    /**
     * The same wheel polled on every cycle, tick by tick up to the clock, with no skipping: what the engine's
     * timers must reproduce.
     */
    private static final class ReferenceWheel implements Timers, DeadlineTimerWheel.TimerHandler
    {
        private final DeadlineTimerWheel wheel;
        private final Map<Long, LongConsumer> expiries = new HashMap<>();

        ReferenceWheel(final long startNs)
        {
            wheel = new DeadlineTimerWheel(
                TimeUnit.NANOSECONDS, startNs, GRANULARITY_NS, EngineTimers.TICKS_PER_WHEEL);
        }

        public long schedule(final long deadlineNs, final TimerListener listener, final long context)
        {
            final long timerId = wheel.scheduleTimer(deadlineNs);
            expiries.put(timerId, (nowNs) -> listener.onTimer(nowNs, context));
            return timerId;
        }

        public boolean cancel(final long timerId)
        {
            expiries.remove(timerId);
            return wheel.cancelTimer(timerId);
        }

        void poll(final long nowNs)
        {
            if (nowNs - wheel.currentTickTime() > EngineTimers.TICKS_PER_WHEEL * GRANULARITY_NS)
            {
                for (int tick = 0; tick < EngineTimers.TICKS_PER_WHEEL; tick++)
                {
                    wheel.poll(nowNs, this, Integer.MAX_VALUE);
                }
                wheel.currentTickTime(nowNs);
            }
            do
            {
                wheel.poll(nowNs, this, Integer.MAX_VALUE);
            }
            while (wheel.currentTickTime() <= nowNs);
        }

        public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
        {
            expiries.remove(timerId).accept(now);
            return true;
        }
    }
}
