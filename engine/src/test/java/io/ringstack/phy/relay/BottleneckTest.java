package io.ringstack.phy.relay;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The rate limiter: a frame takes its bits at the rate to go out, after the frames queued before it; a full queue
 * refuses (tail drop) until frames have gone; without a rate nothing waits.
 */
class BottleneckTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aFrameTakesItsBitsAtTheRateAfterTheFramesBeforeIt()
    {
        final Bottleneck tenMbit = new Bottleneck(10_000_000L, 20);
        assertEquals(1 * MS, tenMbit.admit(0, 1250), "1250 bytes at 10 Mbit/s take 1 ms");
        assertEquals(2 * MS, tenMbit.admit(0, 1250), "the second waits for the first");
        assertEquals(2 * MS + 1_211_200, tenMbit.admit(MS, 1514), "a full frame takes 1.2112 ms");
        assertEquals(10 * MS + 51_200, tenMbit.admit(10 * MS, 64), "an idle link starts at once");
    }

    @Test
    void aFullQueueRefusesUntilFramesHaveGone()
    {
        final Bottleneck bottleneck = new Bottleneck(8_000_000L, 3);
        assertEquals(1 * MS, bottleneck.admit(0, 1000));
        assertEquals(2 * MS, bottleneck.admit(0, 1000));
        assertEquals(3 * MS, bottleneck.admit(0, 1000));
        assertEquals(-1, bottleneck.admit(0, 1000), "three frames queued: the fourth is dropped");
        assertEquals(-1, bottleneck.admit(MS - 1, 1000), "the first has not quite gone");
        assertEquals(4 * MS, bottleneck.admit(MS, 1000), "the first has gone: room for one");
        assertEquals(-1, bottleneck.admit(MS, 1000));
    }

    @Test
    void withoutARateNothingWaits()
    {
        final Bottleneck none = new Bottleneck(0, 1);
        for (long t = 0; t < 100; t++)
        {
            assertEquals(t, none.admit(t, 1514));
        }
    }

    @Test
    void aNegativeRateOrAnEmptyQueueIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new Bottleneck(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Bottleneck(1, 0));
    }
}
