package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.seed.PhaseResult;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.UdpSocketProgram;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's {@code udp_socket_test} on the AArch64 profile's NIC: guest and gateway engines, each on its own thread
 * and each owning a VirtIO-net driver and its device model, the two devices joined by a cable, the only part two
 * threads share. This is the path that silently lost every UDP packet in the seed.
 */
class VirtioSeedWorldTest
{
    private CabledVirtioPair pair;
    private SeedWorld world;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(world, pair);
    }

    @Test
    void udpSocketTestPassesEveryPhaseOverVirtioNet()
    {
        pair = new CabledVirtioPair(VirtioNetDriver.DEFAULT_QUEUE_SIZE, 1 << 20, 0,
            RegisterLevelGuest.newCountersManager());
        world = SeedWorld.over("virtio", pair.driverA, pair.driverB, null);
        assertEquals(SeedWorld.GUEST_MAC, pair.driverA.macAddress(), "the guest's MAC comes from config space");

        final ProgramResult result = SeedRunner.run(new UdpSocketProgram(), world, SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);

        final PhaseResult failure = result.firstFailure();
        assertTrue(result.passed(),
            () -> failure == null ? "no phase ran" : failure.phase() + ": " + failure.message());
        assertEquals(new UdpSocketProgram().phases().size(), result.phases().size());
        assertTrue(pair.deviceA.counters().txFrames.get() > 0, "the guest's datagram went out over VirtIO");
        assertTrue(pair.deviceB.counters().rxFrames.get() > 0, "and reached the gateway's device");
        assertTrue(world.guest().engine().counters().rxBalanced(), world::diagnostics);
        assertTrue(world.gateway().engine().counters().rxBalanced(), world::diagnostics);
        for (final DeviceDrop drop : DeviceDrop.values())
        {
            assertEquals(0, pair.deviceA.counters().drops(drop), () -> "guest " + drop.label());
            assertEquals(0, pair.deviceB.counters().drops(drop), () -> "gateway " + drop.label());
        }
    }
}
