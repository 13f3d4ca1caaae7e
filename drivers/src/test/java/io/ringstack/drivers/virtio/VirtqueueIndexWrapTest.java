package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceDrop;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The available and used indices are 16-bit and free-running: they wrap from 65535 to 0 while the slots they name
 * keep going round modulo the queue size. Every frame sent advances the transmit queue's {@code avail.idx} and
 * {@code used.idx} by one, and every frame received the receive queue's two indices by one, so N frames each way
 * take all four indices of both guests N steps from where they started.
 */
class VirtqueueIndexWrapTest
{
    @Test
    void indicesStartedNear65535WrapWithinTheFirstFramesAndNothingIsLost()
    {
        final int start = 65_530;
        try (CabledVirtioPair pair =
            new CabledVirtioPair(8, 1 << 16, start, RegisterLevelGuest.newCountersManager()))
        {
            final SequencedTraffic traffic = new SequencedTraffic(pair);

            assertTrue(traffic.exchange(500));

            assertTrue(start + traffic.sent() > 65_535 + 2 * 8, "every index went past 65535 and round the ring");
            assertEverythingArrived(pair, traffic);
        }
    }

    @Test
    void moreThan70000FramesEachWayCarryEveryIndexPast65535()
    {
        try (CabledVirtioPair pair = new CabledVirtioPair(VirtioNetDriver.DEFAULT_QUEUE_SIZE, 1 << 20))
        {
            final SequencedTraffic traffic = new SequencedTraffic(pair);

            assertTrue(traffic.exchange(70_001));

            assertEverythingArrived(pair, traffic);
        }
    }

    private static void assertEverythingArrived(final CabledVirtioPair pair, final SequencedTraffic traffic)
    {
        assertEquals(0, traffic.corruptOrOutOfOrder());
        assertEquals(traffic.sent(), traffic.intactAToB());
        assertEquals(traffic.sent(), traffic.intactBToA());
        for (final VirtioNetDevice device : new VirtioNetDevice[]{ pair.deviceA, pair.deviceB })
        {
            assertEquals(traffic.sent(), device.counters().txFrames.get());
            assertEquals(traffic.sent(), device.counters().rxFrames.get());
            assertEquals(0, device.needsResetCount(), "no index was ever taken for corruption");
            for (final DeviceDrop drop : DeviceDrop.values())
            {
                assertEquals(0, device.counters().drops(drop), drop.label());
            }
        }
    }
}
