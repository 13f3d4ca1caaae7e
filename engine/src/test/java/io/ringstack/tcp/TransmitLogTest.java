package io.ringstack.tcp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transmit log's promise that RACK's walks rely on to stop early: while no live entry is a retransmission, the
 * live entries are in sequence order; a live retransmission breaks the promise until it leaves the log, whichever
 * way it leaves.
 */
class TransmitLogTest
{
    private static final int MSS = 1000;

    private final TransmitLog log = new TransmitLog(8);
    private final TransmitLog replaced = new TransmitLog(8);
    private final DeliveryRate rate = new DeliveryRate();

    @Test
    void originalTransmissionsAloneAreInSequenceOrder()
    {
        sendOriginals(0, 4);

        assertTrue(log.isInSequenceOrder());
        assertRanges(0, 1000, 1000, 2000, 2000, 3000, 3000, 4000);
    }

    @Test
    void aLiveRetransmissionBreaksTheOrderUntilItIsDelivered()
    {
        sendOriginals(0, 4);
        log.onSent(1000, 2000, 10, true, replaced, rate);

        assertFalse(log.isInSequenceOrder(), "the resent [1000, 2000) is logged after [3000, 4000)");
        assertRanges(0, 1000, 2000, 3000, 3000, 4000, 1000, 2000);

        log.retire(log.last() - 1);

        assertTrue(log.isInSequenceOrder());
    }

    @Test
    void aRetransmissionThatTheFullLogForgetsNoLongerBreaksTheOrder()
    {
        log.onSent(0, MSS, 0, true, replaced, rate);
        assertFalse(log.isInSequenceOrder());

        sendOriginals(1, 9);

        assertEquals(MSS, log.start(log.first()), "the oldest entry, the retransmission, was forgotten");
        assertTrue(log.isInSequenceOrder());
    }

    @Test
    void retiringAnEntryTwiceCountsItsRetransmissionOnce()
    {
        sendOriginals(0, 2);
        log.onSent(0, MSS, 10, true, replaced, rate);
        log.onSent(MSS, 2 * MSS, 10, true, replaced, rate);
        final int first = log.last() - 2;

        log.retire(first);
        log.retire(first);

        assertFalse(log.isInSequenceOrder(), "[1000, 2000) is still a live retransmission");
        log.retire(first + 1);
        assertTrue(log.isInSequenceOrder());
    }

    @Test
    void clearingTheLogRestoresTheOrder()
    {
        sendOriginals(0, 2);
        log.onSent(0, MSS, 10, true, replaced, rate);

        log.clear();

        assertTrue(log.isInSequenceOrder());
    }

    @Test
    void aCumulativeAckInSequenceOrderCutsOnlyTheEntryItEndsIn()
    {
        sendOriginals(0, 4);

        log.onCumulativeAck(2500);

        assertRanges(0, 1000, 1000, 2000, 2500, 3000, 3000, 4000);
    }

    private void sendOriginals(final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            log.onSent(i * MSS, (i + 1) * MSS, i, false, replaced, rate);
        }
    }

    private void assertRanges(final int... expected)
    {
        final StringBuilder live = new StringBuilder();
        final StringBuilder want = new StringBuilder();
        for (int entry = log.first(); entry != log.last(); entry++)
        {
            if (log.isLive(entry))
            {
                live.append('[').append(log.start(entry)).append(", ").append(log.end(entry)).append(") ");
            }
        }
        for (int i = 0; i < expected.length; i += 2)
        {
            want.append('[').append(expected[i]).append(", ").append(expected[i + 1]).append(") ");
        }
        assertEquals(want.toString(), live.toString());
    }
}
