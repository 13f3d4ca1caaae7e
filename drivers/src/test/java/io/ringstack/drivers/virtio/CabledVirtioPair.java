package io.ringstack.drivers.virtio;

import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.SeedWorld;
import org.agrona.concurrent.status.CountersManager;

/**
 * Two guests, each with its own guest memory, VirtIO-net device and initialised driver, the two devices joined by
 * a {@link Cable}: what one driver transmits, the other receives. A has the seed's guest MAC, B the gateway's.
 */
final class CabledVirtioPair implements AutoCloseable
{
    static final long MAC_A = SeedWorld.GUEST_MAC;
    static final long MAC_B = SeedWorld.GATEWAY_MAC;

    final GuestMemory memoryA;
    final GuestMemory memoryB;
    final VirtioNetDevice deviceA;
    final VirtioNetDevice deviceB;
    final VirtioNetDriver driverA;
    final VirtioNetDriver driverB;

    CabledVirtioPair(final int queueSize, final int cableCapacity)
    {
        this(queueSize, cableCapacity, 0, RegisterLevelGuest.newCountersManager());
    }

    /**
     * @param initialRingIndex where every free-running ring index starts, on both sides of both queues.
     */
    CabledVirtioPair(
        final int queueSize, final int cableCapacity, final int initialRingIndex, final CountersManager counters)
    {
        final Link[] ends = Cable.ends(cableCapacity);
        memoryA = GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(queueSize));
        memoryB = GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(queueSize));
        deviceA = new VirtioNetDevice("virtio.a", memoryA, ends[0], MAC_A, counters);
        deviceB = new VirtioNetDevice("virtio.b", memoryB, ends[1], MAC_B, counters);
        deviceA.initialRingIndex(initialRingIndex);
        deviceB.initialRingIndex(initialRingIndex);
        driverA = new VirtioNetDriver("eth-a", deviceA, memoryA, queueSize, initialRingIndex).init();
        driverB = new VirtioNetDriver("eth-b", deviceB, memoryB, queueSize, initialRingIndex).init();
    }

    public void close()
    {
        deviceA.close();
        deviceB.close();
        memoryA.close();
        memoryB.close();
    }
}
