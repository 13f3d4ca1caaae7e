package io.ringstack.phy;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wire's frame ring: frames come out whole and in order across any number of laps, a full ring refuses rather
 * than evicts, and a ring the consumer keeps up with reuses the start of its buffer.
 */
class FrameRingTest
{
    private static final int CAPACITY = 1024;

    private final FrameRing ring = new FrameRing(CAPACITY);
    private final Collector collector = new Collector();

    @Test
    void framesComeOutWholeAndInOrderOverManyLaps()
    {
        int sent = 0;
        int received = 0;
        for (int round = 0; round < 2_000; round++)
        {
            final int burst = 1 + round % 6;
            for (int i = 0; i < burst; i++)
            {
                assertTrue(ring.offer(frame(sent), 0, lengthOf(sent)), "frame " + sent);
                sent++;
            }
            received += ring.poll(collector, round % 3 == 0 ? burst - 1 : Integer.MAX_VALUE);
        }
        received += ring.poll(collector, Integer.MAX_VALUE);
        assertEquals(sent, received);
        for (int i = 0; i < sent; i++)
        {
            assertArrayEquals(bytes(frame(i), lengthOf(i)), collector.frames.get(i), "frame " + i);
        }
    }

    @Test
    void aFullRingRefusesAndTakesAgainOncePolled()
    {
        int taken = 0;
        while (ring.offer(frame(taken), 0, 100))
        {
            taken++;
        }
        assertEquals(CAPACITY / 112, taken);
        assertEquals(1, ring.poll(collector, 1));
        assertTrue(ring.offer(frame(taken), 0, 100));
        assertEquals(taken, ring.poll(collector, Integer.MAX_VALUE));
        assertEquals(taken + 1, collector.frames.size());
    }

    @Test
    void aFrameLongerThanAnEighthOfTheRingIsRefused()
    {
        assertEquals(CAPACITY / 8, ring.maxFrameLength());
        assertFalse(ring.offer(frame(0), 0, CAPACITY / 8 + 1));
        assertTrue(ring.offer(frame(0), 0, CAPACITY / 8));
        assertEquals(0, ring.poll(collector, 0));
        assertEquals(1, ring.poll(collector, 1));
    }

    @Test
    void aRingTheConsumerKeepsUpWithStartsAgainAtTheBeginningOfItsBuffer()
    {
        for (int i = 0; i < 100; i++)
        {
            assertTrue(ring.offer(frame(i), 0, 64));
            assertEquals(1, ring.poll(collector, 1));
            assertEquals(FrameRing.HEADER_LENGTH, collector.lastOffset, "frame " + i);
        }
    }

    @Test
    void aCapacityThatIsNotAPowerOfTwoIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> new FrameRing(1000));
        assertThrows(IllegalArgumentException.class, () -> new FrameRing(FrameRing.MIN_CAPACITY / 2));
    }

    @Test
    void aProducerAndAConsumerOnTwoThreadsPassAMillionFramesInOrder()
    {
        final int frames = 1_000_000;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final Thread producer = new Thread(() ->
            {
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
                for (int i = 0; i < frames; i++)
                {
                    frame.putInt(0, i);
                    while (!ring.offer(frame, 0, 4 + i % 60))
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            producer.start();
            final int[] next = { 0 };
            final FrameHandler inOrder = (buffer, offset, length) ->
            {
                assertEquals(next[0], buffer.getInt(offset));
                assertEquals(4 + next[0] % 60, length);
                next[0]++;
            };
            while (next[0] < frames)
            {
                if (ring.poll(inOrder, 16) == 0)
                {
                    Thread.onSpinWait();
                }
            }
            producer.join();
        });
    }

    private static int lengthOf(final int sequence)
    {
        return 1 + sequence * 37 % (CAPACITY / 8);
    }

    private static DirectBuffer frame(final int sequence)
    {
        final byte[] bytes = new byte[CAPACITY / 8];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(sequence * 31 + i);
        }
        return new UnsafeBuffer(bytes);
    }

    private static byte[] bytes(final DirectBuffer buffer, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static final class Collector implements FrameHandler
    {
        final List<byte[]> frames = new ArrayList<>();
        int lastOffset = -1;

        public void onFrame(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            frames.add(bytes);
            lastOffset = offset;
        }
    }
}
