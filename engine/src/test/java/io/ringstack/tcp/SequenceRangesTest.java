package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SequenceRangesTest
{
    @Test
    void mergesOverlappingAndTouchingRangesAndKeepsThemSorted()
    {
        final SequenceRanges ranges = new SequenceRanges(4);
        ranges.add(100, 200);
        ranges.add(300, 400);
        ranges.add(200, 250);
        ranges.add(0, 10);

        assertEquals(3, ranges.count());
        assertEquals(0, ranges.start(0));
        assertEquals(100, ranges.start(1));
        assertEquals(250, ranges.end(1));

        ranges.add(240, 310);
        assertEquals(2, ranges.count());
        assertEquals(400, ranges.end(1));
        assertEquals(10 + 300, ranges.totalLength());
    }

    @Test
    void refusesANewRangeWhenFullButStillMerges()
    {
        final SequenceRanges ranges = new SequenceRanges(2);
        ranges.add(0, 10);
        ranges.add(20, 30);

        assertEquals(-1, ranges.add(40, 50));
        assertEquals(1, ranges.add(25, 45));
    }

    @Test
    void comparesAcrossTheWrapOfTheSequenceSpace()
    {
        final SequenceRanges ranges = new SequenceRanges(4);
        ranges.add(0xFFFF_FF00, 0xFFFF_FFF0);
        ranges.add(0x10, 0x20);
        ranges.add(0xFFFF_FFF0, 0x10);

        assertEquals(1, ranges.count());
        assertEquals(0xFFFF_FF00, ranges.start(0));
        assertEquals(0x20, ranges.end(0));

        ranges.removeBefore(0x8);
        assertEquals(0x8, ranges.start(0));
        assertEquals(0, ranges.indexOf(0x1F));
        assertEquals(-1, ranges.indexOf(0x20));
    }
}
