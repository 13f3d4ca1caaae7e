package io.ringstack.phy.relay;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The delay line: frames leave first in, first out, each copied whole with its release time; a full line refuses
 * and takes frames again once the head has gone, across the wrap of its slots.
 */
class DelayLineTest
{
    @Test
    void framesLeaveInTheOrderTheyCameWithTheirBytesAndReleaseTimes()
    {
        final DelayLine line = new DelayLine(3);
        assertEquals(Long.MAX_VALUE, line.headReleaseNs(), "empty");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[DelayLine.SLOT_LENGTH]);
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 3; i++)
            {
                frame.setMemory(0, DelayLine.SLOT_LENGTH, (byte)(round * 3 + i));
                final int length = i == 2 ? DelayLine.SLOT_LENGTH : 60 + i;
                final int at = line.offer(frame, 0, length, 1000L * (round * 3 + i));
                assertEquals((byte)(round * 3 + i), line.buffer().getByte(at + length - 1));
            }
            assertEquals(-1, line.offer(frame, 0, 60, Long.MAX_VALUE - 1), "full");
            for (int i = 0; i < 3; i++)
            {
                assertEquals(1000L * (round * 3 + i), line.headReleaseNs());
                assertEquals(i == 2 ? DelayLine.SLOT_LENGTH : 60 + i, line.headLength());
                assertEquals((byte)(round * 3 + i), line.buffer().getByte(line.headOffset()));
                line.pop();
            }
            assertEquals(0, line.size());
        }
    }
}
