package io.ringstack.phy.relay;

import io.ringstack.phy.FaultInjectingDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One direction of the relay on a test clock: delay, jitter that never reorders, reordered frames overtaken by the
 * frames behind them, the frames due sent as one burst with one flush of the link, a refused frame kept first in
 * line, every frame counted under one fate, and the same seed giving the same frames out.
 */
class ImpairedPathTest
{
    private static final long MS = 1_000_000L;

    private final RecordingLink from = new RecordingLink();
    private final RecordingLink to = new RecordingLink();

    @Test
    void aFrameLeavesWhenItsDelayHasPassedAndNotBefore()
    {
        final ImpairedPath path = path(new Impairment(new FaultInjectingDevice.Faults()).delayNs(10 * MS));
        from.inject(RecordingLink.frame(1));
        assertEquals(1, path.receive(from, 5 * MS, 64));
        assertEquals(0, path.transmit(to, 15 * MS - 1, 64));
        assertEquals(15 * MS, path.nextReleaseNs());
        assertEquals(1, path.transmit(to, 15 * MS, 64));
        assertEquals(1, path.counters().forwarded.get());
        assertEquals(0, path.inFlight());
    }

    @Test
    void jitterVariesTheDelayWithinItsBoundsButNeverReorders()
    {
        final Impairment impairment = new Impairment(new FaultInjectingDevice.Faults().seed(5))
            .delayNs(10 * MS).jitterNs(5 * MS);
        final long[] denseAtNs = run(path(impairment), 2000, MS / 10);
        assertEquals(2000, to.sent.size());
        for (int i = 0; i < to.sent.size(); i++)
        {
            assertEquals(i, RecordingLink.sequence(to.sent.get(i)), "frame out of order");
            final long delay = to.sentAtNs.get(i) - denseAtNs[i];
            assertTrue(delay >= 5 * MS && delay <= 15 * MS + MS / 10, "delay " + delay + " ns");
        }
        to.sent.clear();
        to.sentAtNs.clear();
        final long[] sparseAtNs = run(path(impairment), 200, 20 * MS);
        long minDelay = Long.MAX_VALUE;
        long maxDelay = 0;
        for (int i = 0; i < to.sent.size(); i++)
        {
            final long delay = to.sentAtNs.get(i) - sparseAtNs[i];
            minDelay = Math.min(minDelay, delay);
            maxDelay = Math.max(maxDelay, delay);
        }
        assertTrue(minDelay >= 5 * MS && maxDelay <= 15 * MS + 2 * MS, minDelay + " .. " + maxDelay + " ns");
        assertTrue(maxDelay - minDelay > 8 * MS, "frames 20 ms apart: jitter spread only " +
            (maxDelay - minDelay) + " ns");
    }

    @Test
    void reorderedFramesAreHeldAndOvertakenByTheFramesBehindThem()
    {
        final ImpairedPath path = path(new Impairment(
            new FaultInjectingDevice.Faults().seed(7).reordering(0.25).holdNs(10 * MS)));
        final long[] receivedAtNs = run(path, 2000, MS);
        assertEquals(2000, to.sent.size(), "every frame arrives");
        int overtaken = 0;
        int highest = -1;
        for (int i = 0; i < to.sent.size(); i++)
        {
            final int sequence = RecordingLink.sequence(to.sent.get(i));
            final long delay = to.sentAtNs.get(i) - receivedAtNs[sequence];
            if (sequence < highest)
            {
                overtaken++;
                assertEquals(10 * MS, delay, "a reordered frame waits its hold exactly");
            }
            else
            {
                assertEquals(0, delay, "a frame in order leaves at once");
            }
            highest = Math.max(highest, sequence);
        }
        assertEquals(path.counters().reordered.get(), overtaken);
        assertTrue(overtaken > 400 && overtaken < 600, overtaken + " of 2000 reordered, expected about 500");
    }

    @Test
    void theFramesDueGoOutAsOneBurstWithOneFlushOfTheLinkAfterThem()
    {
        final ImpairedPath path = path(new Impairment(new FaultInjectingDevice.Faults()));
        for (int i = 0; i < 5; i++)
        {
            from.inject(RecordingLink.frame(i));
        }
        path.receive(from, 0, 64);
        assertEquals(5, path.transmit(to, 0, 64));
        assertEquals(1, to.flushes, "one flush for the burst");
        assertEquals(0, path.transmit(to, 1, 64));
        assertEquals(1, to.flushes, "none when nothing went");
    }

    @Test
    void aFrameTheLinkRefusesStaysFirstInLine()
    {
        final ImpairedPath path = path(new Impairment(new FaultInjectingDevice.Faults()));
        from.inject(RecordingLink.frame(1));
        from.inject(RecordingLink.frame(2));
        path.receive(from, 0, 64);
        to.refuse = true;
        assertEquals(0, path.transmit(to, 0, 64));
        assertEquals(1, path.counters().linkBusy.get());
        to.refuse = false;
        assertEquals(2, path.transmit(to, 1, 64));
        assertEquals(List.of(1, 2), to.sent.stream().map(RecordingLink::sequence).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bottleneck queue overflows, 100000000, 8, 0,       4096",
        "delay line overflows,       0,         8, 2000000, 16",
    })
    void everyFrameIsCountedUnderOneFateAndCorruptionFlipsOneBit(
        final String scenario, final long rate, final int queue, final long delayNs, final int lineFrames)
    {
        final ImpairedPath path = path(new Impairment(new FaultInjectingDevice.Faults().seed(11).loss(0.1)
            .corruption(0.05).duplication(0.1).reordering(0.2).holdNs(3 * MS))
            .delayNs(delayNs).rateBitsPerSecond(rate).queueFrames(queue).lineFrames(lineFrames));
        for (int i = 0; i < 5000; i++)
        {
            from.inject(i % 500 == 0 ? new byte[DelayLine.SLOT_LENGTH + 1] : RecordingLink.frame(i));
            if (i % 3 == 0)
            {
                path.receive(from, i * 5_000L, 64);
                to.nowNs = i * 5_000L;
                path.transmit(to, i * 5_000L, 64);
            }
        }
        path.receive(from, 5000 * 5_000L, 64);
        final RelayCounters c = path.counters();
        assertEquals(5000, c.rxFrames.get());
        assertEquals(10, c.oversize.get());
        assertTrue((rate > 0 ? c.queueFull.get() : c.lineFull.get()) > 0, scenario);
        assertTrue(c.lost.get() > 0 && c.corrupted.get() > 0 && c.duplicated.get() > 0 && c.reordered.get() > 0);
        assertEquals(c.rxFrames.get() + c.duplicated.get(), c.forwarded.get() + c.lost.get() + c.queueFull.get() +
            c.lineFull.get() + c.oversize.get() + path.inFlight());
        assertEquals(c.forwarded.get(), to.sent.size());
        long flippedFrames = 0;
        for (final byte[] frame : to.sent)
        {
            final byte[] clean = RecordingLink.frame(RecordingLink.sequence(frame));
            int flipped = 0;
            for (int b = 0; b < clean.length; b++)
            {
                flipped += Integer.bitCount((clean[b] ^ frame[b]) & 0xFF);
            }
            assertTrue(flipped <= 1, "more than one bit flipped");
            flippedFrames += flipped;
        }
        assertTrue(flippedFrames > 0 && flippedFrames <= c.corrupted.get() * 2,
            flippedFrames + " corrupted frames out, " + c.corrupted.get() + " counted (a duplicate twice)");
    }

    @Test
    void theSameSeedGivesTheSameFramesOutAtTheSameTimes()
    {
        final Impairment impairment = new Impairment(new FaultInjectingDevice.Faults().seed(3).loss(0.05)
            .reordering(0.25).duplication(0.05).corruption(0.01)).delayNs(MS).jitterNs(MS / 2);
        run(path(impairment), 3000, MS / 5);
        final List<byte[]> first = List.copyOf(to.sent);
        final List<Long> firstTimes = List.copyOf(to.sentAtNs);
        to.sent.clear();
        to.sentAtNs.clear();
        run(path(impairment), 3000, MS / 5);
        assertEquals(firstTimes, to.sentAtNs);
        assertEquals(first.size(), to.sent.size());
        for (int i = 0; i < first.size(); i++)
        {
            assertArrayEquals(first.get(i), to.sent.get(i));
        }
    }

    /**
     * Feed {@code frames} frames one per {@code intervalNs}, moving the clock a tenth of that between polls, until
     * every frame has left.
     *
     * @return when each frame, by sequence, was received.
     */
    private long[] run(final ImpairedPath path, final int frames, final long intervalNs)
    {
        final long[] receivedAtNs = new long[frames];
        long nowNs = 0;
        int next = 0;
        while (next < frames || path.inFlight() > 0)
        {
            if (next < frames && nowNs >= next * intervalNs)
            {
                receivedAtNs[next] = nowNs;
                from.inject(RecordingLink.frame(next++));
                path.receive(from, nowNs, 64);
            }
            to.nowNs = nowNs;
            path.transmit(to, nowNs, 64);
            nowNs += Math.max(1, intervalNs / 10);
        }
        return receivedAtNs;
    }

    private static ImpairedPath path(final Impairment impairment)
    {
        return new ImpairedPath(impairment, new RelayCounters(RecordingLink.inMemoryCounters(), "test"));
    }
}
