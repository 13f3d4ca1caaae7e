package io.ringstack.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The receiver's record of the out-of-order data it holds past RCV.NXT (RFC 9293 section 3.10.7.4: segments
 * beyond RCV.NXT are kept for later processing): disjoint ranges, merged as segments arrive, handed back as RCV.NXT
 * reaches them, bounded in number, and reported as SACK blocks the way RFC 2018 section 4 asks.
 */
class ReassemblyQueueTest
{
    private static final int RCV_NXT = 1000;
    private static final int MAX_BLOCKS = TcpSegmentOutput.MAX_SACK_BLOCKS;

    private final ReassemblyQueue queue = new ReassemblyQueue(8);

    static Stream<Arguments> placements()
    {
        return Stream.of(
            arguments("one segment is one range",
                segments(1100, 1200), ranges(1100, 1200)),
            arguments("segments with a gap stay apart",
                segments(1100, 1200, 1300, 1400), ranges(1100, 1200, 1300, 1400)),
            arguments("a segment that starts where another ends joins it",
                segments(1100, 1200, 1200, 1300), ranges(1100, 1300)),
            arguments("a segment that ends where another starts joins it",
                segments(1200, 1300, 1100, 1200), ranges(1100, 1300)),
            arguments("overlapping segments merge",
                segments(1100, 1250, 1200, 1300), ranges(1100, 1300)),
            arguments("a duplicate changes nothing",
                segments(1100, 1200, 1100, 1200), ranges(1100, 1200)),
            arguments("a segment inside a range changes nothing",
                segments(1100, 1300, 1150, 1160), ranges(1100, 1300)),
            arguments("a segment that fills a gap merges three into one",
                segments(1100, 1200, 1300, 1400, 1500, 1600, 1150, 1550), ranges(1100, 1600)),
            arguments("a segment that covers ranges swallows them",
                segments(1200, 1210, 1300, 1310, 1100, 1400), ranges(1100, 1400)),
            arguments("ranges are kept in sequence order whatever the arrival order",
                segments(1700, 1800, 1100, 1200, 1400, 1500), ranges(1100, 1200, 1400, 1500, 1700, 1800)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void outOfOrderSegmentsBecomeDisjointRanges(final String scenario, final int[] segments, final int[] expected)
    {
        for (int i = 0; i < segments.length; i += 2)
        {
            assertTrue(queue.add(segments[i], segments[i + 1]));
        }

        assertArrayEquals(expected, ranges(queue, RCV_NXT), scenario);
        assertEquals(expected.length / 2, queue.rangeCount());
    }

    @Test
    void anEmptyQueueLeavesRcvNxtWhereItIs()
    {
        assertTrue(queue.isEmpty());
        assertEquals(RCV_NXT + 10, queue.advance(RCV_NXT + 10));
        assertEquals(0, queue.sackBlocks(new int[2 * MAX_BLOCKS], 0, MAX_BLOCKS));
    }

    @Test
    void rcvNxtReachingARangeTakesItWhole()
    {
        queue.add(1100, 1200);
        queue.add(1300, 1400);

        assertEquals(1200, queue.advance(1100), "the segment before the range arrived: RCV.NXT jumps past it");
        assertArrayEquals(new int[]{ 1300, 1400 }, ranges(queue, 1200));
    }

    @Test
    void rcvNxtInsideARangeTakesTheRestOfIt()
    {
        queue.add(1100, 1200);

        assertEquals(1200, queue.advance(1150));
        assertTrue(queue.isEmpty());
    }

    @Test
    void rcvNxtShortOfEveryRangeLeavesThemAll()
    {
        queue.add(1100, 1200);

        assertEquals(1050, queue.advance(1050));
        assertArrayEquals(new int[]{ 1100, 1200 }, ranges(queue, 1050));
    }

    @Test
    void rcvNxtPastEveryRangeForgetsThemAll()
    {
        queue.add(1100, 1200);
        queue.add(1300, 1400);

        assertEquals(1500, queue.advance(1500));
        assertTrue(queue.isEmpty());
    }

    @Test
    void inOrderSegmentEndingInsideALaterRangeTakesThatRangeToo()
    {
        queue.add(1100, 1200);
        queue.add(1300, 1400);

        assertEquals(1400, queue.advance(1350), "the peer resent 1000-1350 in one segment: all up to 1400 is held");
        assertTrue(queue.isEmpty());
    }

    @Test
    void aSegmentNeedingOneRangeTooManyIsRefusedWhileOneJoiningARangeIsTaken()
    {
        final ReassemblyQueue small = new ReassemblyQueue(2);
        assertTrue(small.add(1100, 1200));
        assertTrue(small.add(1300, 1400));

        assertFalse(small.add(1500, 1600), "a third range does not fit");
        assertEquals(2, small.rangeCount());
        assertTrue(small.add(1200, 1250), "growing a range needs no new one");
        assertTrue(small.add(1250, 1300), "nor does joining two");
        assertEquals(1, small.rangeCount());
        assertTrue(small.add(1500, 1600), "the range freed by the join is there again");
    }

    @Test
    void clearForgetsEveryRange()
    {
        queue.add(1100, 1200);
        queue.clear();

        assertTrue(queue.isEmpty());
        assertEquals(RCV_NXT, queue.advance(RCV_NXT));
    }

    static Stream<Arguments> sackBlockOrders()
    {
        return Stream.of(
            arguments("the block of the latest segment first, then the most recently grown",
                segments(1300, 1400, 1100, 1200, 1500, 1600), MAX_BLOCKS,
                ranges(1500, 1600, 1100, 1200, 1300, 1400)),
            arguments("a duplicate inside a block makes that block the first",
                segments(1300, 1400, 1100, 1200, 1500, 1600, 1150, 1160), MAX_BLOCKS,
                ranges(1100, 1200, 1500, 1600, 1300, 1400)),
            arguments("a segment that joins two blocks makes one first block with the new edges",
                segments(1100, 1200, 1300, 1400, 1500, 1600, 1200, 1300), MAX_BLOCKS,
                ranges(1100, 1400, 1500, 1600)),
            arguments("no more blocks than the option has room for: three beside timestamps (RFC 2018 section 3)",
                segments(1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000), 3,
                ranges(1900, 2000, 1700, 1800, 1500, 1600)),
            arguments("four at most, the oldest left out",
                segments(1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000), MAX_BLOCKS,
                ranges(1900, 2000, 1700, 1800, 1500, 1600, 1300, 1400)));
    }

    /**
     * RFC 2018 section 4: the first SACK block holds the segment that triggered the ACK; the others repeat the most
     * recently reported blocks first.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sackBlockOrders")
    void sackBlocksComeMostRecentFirst(
        final String scenario, final int[] segments, final int maxBlocks, final int[] expected)
    {
        for (int i = 0; i < segments.length; i += 2)
        {
            queue.add(segments[i], segments[i + 1]);
        }

        final int[] edges = new int[2 * MAX_BLOCKS];
        final int blocks = queue.sackBlocks(edges, 0, maxBlocks);

        assertArrayEquals(expected, Arrays.copyOf(edges, 2 * blocks), scenario);
    }

    @Test
    void rangesAcrossTheWrapOfTheSequenceSpaceMergeAndAdvance()
    {
        final int next = 0xFFFF_FF00;
        queue.add(0xFFFF_FFC0, 0x0000_0010);
        queue.add(0x0000_0010, 0x0000_0040);
        queue.add(0xFFFF_FF40, 0xFFFF_FF80);

        assertArrayEquals(new int[]{ 0xFFFF_FF40, 0xFFFF_FF80, 0xFFFF_FFC0, 0x0000_0040 }, ranges(queue, next));
        assertEquals(0xFFFF_FF80, queue.advance(0xFFFF_FF40));
        assertEquals(0x0000_0040, queue.advance(0xFFFF_FFC0));
        assertTrue(queue.isEmpty());
    }

    /**
     * A sender that never repacketizes: segments of one size on one grid, each sent once or more, arriving in any
     * order. After every arrival the queue must agree with a byte map of what arrived: RCV.NXT at the first missing
     * byte, one range per run of bytes held beyond it, every SACK block such a run, the first the latest segment's.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 0x2018, 0x9293, 0xFFFF_FF00L })
    void agreesWithAByteMapOfWhatArrived(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int segmentLength = 100;
        final int segmentCount = 40;
        final int base = (int)seed * 7919 - 4000;
        final ReassemblyQueue reassembly = new ReassemblyQueue(32);
        final BitSet held = new BitSet(segmentCount);
        final int[] edges = new int[2 * MAX_BLOCKS];
        int receiveNext = base;
        int firstMissing = 0;

        for (int arrival = 0; arrival < 3 * segmentCount && firstMissing < segmentCount; arrival++)
        {
            final int index = random.nextInt(segmentCount);
            final int start = base + index * segmentLength;
            final int end = start + segmentLength;
            held.set(index);
            if (start == receiveNext)
            {
                receiveNext = reassembly.advance(end);
            }
            else if (SequenceNumbers.after(start, receiveNext))
            {
                assertTrue(reassembly.add(start, end));
            }
            firstMissing = held.nextClearBit(0);

            final String state = "seed " + seed + ", arrival " + arrival + " of segment " + index + ", held " + held;
            assertEquals(base + firstMissing * segmentLength, receiveNext, state);
            final List<int[]> runs = runsBeyond(held, firstMissing, base, segmentLength);
            assertEquals(runs.size(), reassembly.rangeCount(), state);
            final int blocks = reassembly.sackBlocks(edges, 0, MAX_BLOCKS);
            assertEquals(Math.min(MAX_BLOCKS, runs.size()), blocks, state);
            for (int b = 0; b < blocks; b++)
            {
                final int[] block = { edges[2 * b], edges[2 * b + 1] };
                assertTrue(runs.stream().anyMatch((run) -> Arrays.equals(run, block)),
                    () -> state + ": block " + Arrays.toString(block) + " is not a run held");
            }
            if (blocks > 0 && index > firstMissing)
            {
                assertTrue(SequenceNumbers.beforeOrAt(edges[0], start) && SequenceNumbers.afterOrAt(edges[1], end),
                    () -> state + ": the first block " + edges[0] + "-" + edges[1] + " holds the latest segment");
            }
        }
    }

    private static List<int[]> runsBeyond(final BitSet held, final int from, final int base, final int length)
    {
        final List<int[]> runs = new ArrayList<>();
        for (int start = held.nextSetBit(from); start >= 0; start = held.nextSetBit(held.nextClearBit(start)))
        {
            runs.add(new int[]{ base + start * length, base + held.nextClearBit(start) * length });
        }
        return runs;
    }

    /**
     * @return every range the queue holds as (start, end) pairs in sequence order from {@code receiveNext}; read
     * through the SACK blocks, so at most {@link #MAX_BLOCKS} of them.
     */
    private static int[] ranges(final ReassemblyQueue queue, final int receiveNext)
    {
        assertTrue(queue.rangeCount() <= MAX_BLOCKS, "read at most " + MAX_BLOCKS + " ranges this way");
        final int[] edges = new int[2 * MAX_BLOCKS];
        final int blocks = queue.sackBlocks(edges, 0, MAX_BLOCKS);
        final List<int[]> ranges = new ArrayList<>();
        for (int b = 0; b < blocks; b++)
        {
            ranges.add(new int[]{ edges[2 * b], edges[2 * b + 1] });
        }
        ranges.sort(Comparator.comparingLong((range) -> (range[0] - receiveNext) & 0xFFFF_FFFFL));
        return ranges.stream().flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] segments(final int... edges)
    {
        return edges;
    }

    private static int[] ranges(final int... edges)
    {
        return edges;
    }
}
