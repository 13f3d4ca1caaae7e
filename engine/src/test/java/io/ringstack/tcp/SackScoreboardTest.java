package io.ringstack.tcp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The sender's scoreboard of RFC 6675 section 3: what the peer has reported holding past SND.UNA in SACK blocks
 * (RFC 2018), what of it a cumulative ACK makes moot, and the questions loss recovery asks of it (RFC 6675
 * section 4: how much is SACKed above a byte, whether that byte is lost, where the next hole is).
 */
class SackScoreboardTest
{
    private static final int SND_UNA = 1000;
    private static final int SND_MAX = 2000;
    private static final int SMSS = 100;

    private final SackScoreboard scoreboard = new SackScoreboard(8);

    static Stream<Arguments> blocks()
    {
        return Stream.of(
            arguments("a block within SND.UNA..SND.MAX is recorded", 1100, 1200, 100, 1200),
            arguments("a block ending at SND.MAX is recorded", 1900, 2000, 100, 2000),
            arguments("a block reaching below SND.UNA keeps only its part above", 900, 1100, 100, 1100),
            arguments("a block at or below SND.UNA (D-SACK, RFC 2883) is ignored", 800, 1000, 0, SND_UNA),
            arguments("a block past SND.MAX is ignored, as an ACK of unsent data is (RFC 5961 section 5.2)",
                1900, 2100, 0, SND_UNA),
            arguments("an empty block is ignored", 1200, 1200, 0, SND_UNA),
            arguments("a block with its edges swapped is ignored", 1300, 1200, 0, SND_UNA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void aSackBlockCountsOnlyForDataSentAndNotYetAcknowledged(
        final String scenario, final int left, final int right, final long sacked, final int highest)
    {
        scoreboard.onSackBlock(left, right, SND_UNA, SND_MAX);

        assertEquals(sacked, scoreboard.sackedBytes(), scenario);
        assertEquals(highest, scoreboard.highestSacked(SND_UNA), scenario);
        assertEquals(sacked == 0, scoreboard.isEmpty(), scenario);
    }

    @Test
    void overlappingAndTouchingBlocksAreCountedOnce()
    {
        scoreboard.onSackBlock(1100, 1300, SND_UNA, SND_MAX);
        scoreboard.onSackBlock(1200, 1400, SND_UNA, SND_MAX);
        scoreboard.onSackBlock(1400, 1500, SND_UNA, SND_MAX);
        scoreboard.onSackBlock(1100, 1300, SND_UNA, SND_MAX);

        assertEquals(400, scoreboard.sackedBytes());
        assertEquals(1500, scoreboard.skipSacked(1100));
    }

    @Test
    void aCumulativeAckForgetsWhatItCoversAndTrimsWhatItSplits()
    {
        scoreboard.onSackBlock(1100, 1200, SND_UNA, SND_MAX);
        scoreboard.onSackBlock(1300, 1400, SND_UNA, SND_MAX);

        scoreboard.onCumulativeAck(1350);

        assertEquals(50, scoreboard.sackedBytes());
        assertEquals(1400, scoreboard.highestSacked(1350));
        scoreboard.onCumulativeAck(1400);
        assertTrue(scoreboard.isEmpty());
        assertEquals(1400, scoreboard.highestSacked(1400), "nothing SACKed: the caller's answer");
    }

    @Test
    void clearForgetsEverything()
    {
        scoreboard.onSackBlock(1100, 1200, SND_UNA, SND_MAX);
        scoreboard.clear();

        assertTrue(scoreboard.isEmpty());
        assertEquals(0, scoreboard.sackedBytes());
    }

    /**
     * SACKed: 1200-1300 and 1500-1600.
     */
    @ParameterizedTest(name = "from {0}: {1} bytes SACKed above, skip to {2}, hole ends at {3}")
    @CsvSource({
        "1000, 200, 1000, 1200",
        "1200, 200, 1300, 1500",
        "1250, 150, 1300, 1500",
        "1300, 100, 1300, 1500",
        "1450, 100, 1450, 1500",
        "1550,  50, 1600, 2000",
        "1600,   0, 1600, 2000",
        "1900,   0, 1900, 2000" })
    void questionsLossRecoveryAsks(final int sequence, final long sackedFrom, final int skipped, final int holeEnd)
    {
        scoreboard.onSackBlock(1500, 1600, SND_UNA, SND_MAX);
        scoreboard.onSackBlock(1200, 1300, SND_UNA, SND_MAX);

        assertEquals(sackedFrom, scoreboard.sackedBytesFrom(sequence), "SACKed at or after");
        assertEquals(skipped, scoreboard.skipSacked(sequence), "past the SACKed run that holds it");
        assertEquals(holeEnd, scoreboard.nextSackedAfter(sequence, SND_MAX), "the next SACKed byte, or SND.MAX");
        assertEquals(1600, scoreboard.highestSacked(SND_UNA));
    }

    /**
     * RFC 6675 section 4, IsLost(SeqNum): lost once more than (DupThresh - 1) * SMSS bytes above it are SACKed; with
     * DupThresh 3 and an SMSS of 100, 200 bytes are not enough and 201 are.
     */
    @ParameterizedTest(name = "{0} bytes SACKed above: lost {1}")
    @CsvSource({ "0, false", "100, false", "200, false", "201, true", "300, true" })
    void aByteIsLostOnceMoreThanDupThreshLessOneSegmentsAboveItAreSacked(final int sacked, final boolean lost)
    {
        if (sacked > 0)
        {
            scoreboard.onSackBlock(1500, 1500 + sacked, SND_UNA, SND_MAX);
        }

        assertEquals(lost, scoreboard.isLost(SND_UNA, SMSS));
        assertFalse(scoreboard.isLost(1500 + sacked, SMSS), "nothing is SACKed above the highest SACKed byte");
    }

    @Test
    void theDupThreshIsThree()
    {
        assertEquals(3, SackScoreboard.DUP_THRESHOLD, "RFC 6675 section 2 and RFC 5681 section 3.2");
    }

    @Test
    void aFullScoreboardIgnoresANewRangeButStillGrowsOldOnes()
    {
        final SackScoreboard small = new SackScoreboard(2);
        small.onSackBlock(1100, 1200, SND_UNA, SND_MAX);
        small.onSackBlock(1300, 1400, SND_UNA, SND_MAX);

        small.onSackBlock(1500, 1600, SND_UNA, SND_MAX);
        assertEquals(200, small.sackedBytes(), "a third range does not fit: recovery is only less precise");
        small.onSackBlock(1400, 1450, SND_UNA, SND_MAX);
        assertEquals(250, small.sackedBytes());
    }

    @Test
    void worksAcrossTheWrapOfTheSequenceSpace()
    {
        final int una = 0xFFFF_FF00;
        final int max = 0x0000_0100;
        scoreboard.onSackBlock(0xFFFF_FFF0, 0x0000_0010, una, max);
        scoreboard.onSackBlock(0x0000_0080, 0x0000_0100, una, max);

        assertEquals(0x20 + 0x80, scoreboard.sackedBytes());
        assertEquals(0x0000_0100, scoreboard.highestSacked(una));
        assertEquals(0x0000_0010, scoreboard.skipSacked(0xFFFF_FFFF));
        assertEquals(0xFFFF_FFF0, scoreboard.nextSackedAfter(una, max));
        assertEquals(0x80, scoreboard.sackedBytesFrom(0x0000_0010));
        scoreboard.onCumulativeAck(0x0000_0008);
        assertEquals(0x08 + 0x80, scoreboard.sackedBytes());
    }

    /**
     * Random blocks and cumulative ACKs against a byte map of what the peer reported: every answer the scoreboard
     * gives must be the map's.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 6675, 2018 })
    void agreesWithAByteMapOfWhatThePeerReported(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int span = 400;
        final int una0 = (int)(seed * 0x9E37_79B9L) - span / 2;
        final SackScoreboard board = new SackScoreboard(64);
        final BitSet sacked = new BitSet(span);
        int una = 0;

        for (int step = 0; step < 300; step++)
        {
            if (random.nextInt(8) == 0)
            {
                una = Math.min(span, una + random.nextInt(40));
                sacked.clear(0, una);
                board.onCumulativeAck(una0 + una);
            }
            else
            {
                final int left = random.nextInt(span);
                final int right = left + 1 + random.nextInt(30);
                board.onSackBlock(una0 + left, una0 + right, una0 + una, una0 + span);
                if (right > una && right <= span)
                {
                    sacked.set(Math.max(left, una), right);
                }
            }

            final String state = "seed " + seed + ", step " + step + ", SND.UNA +" + una + ", SACKed " + sacked;
            assertEquals(sacked.cardinality(), board.sackedBytes(), state);
            final int highest = sacked.isEmpty() ? una : sacked.length();
            assertEquals(una0 + highest, board.highestSacked(una0 + una), state);
            final int probe = una + random.nextInt(span - una + 1);
            assertEquals(sacked.get(probe, span).cardinality(), board.sackedBytesFrom(una0 + probe), state);
            final int skipped = sacked.get(probe) ? sacked.nextClearBit(probe) : probe;
            assertEquals(una0 + skipped, board.skipSacked(una0 + probe), state);
            final int nextSacked = sacked.nextSetBit(sacked.get(probe) ? sacked.nextClearBit(probe) : probe);
            assertEquals(una0 + (nextSacked < 0 ? span : nextSacked), board.nextSackedAfter(una0 + probe, una0 + span),
                state);
        }
    }
}
