package io.ringstack.drivers.e1000;

import io.ringstack.drivers.DeviceDrop;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.PhaseResult;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.UdpSocketProgram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's {@code udp_socket_test} on the x86-64 profile's NIC: guest and gateway engines, each on its own
 * thread with its own 82540EM model and driver, joined by a cable, the only part two threads share.
 */
class E1000SeedProgramsTest
{
    @Test
    void udpSocketTestPassesEveryPhaseOverTwoE1000sOnACable()
    {
        final Link[] cable = Cable.ends(1 << 20);
        try (E1000Station guest = new E1000Station("e1000-guest-nic", SeedWorld.GUEST_MAC, cable[0]);
            E1000Station gateway = new E1000Station("e1000-gateway-nic", SeedWorld.GATEWAY_MAC, cable[1]))
        {
            final ProgramResult result;
            final String diagnostics;
            final boolean guestBalanced;
            final boolean gatewayBalanced;
            try (SeedWorld world = SeedWorld.over("e1000", guest.driver, gateway.driver, null))
            {
                result = SeedRunner.run(new UdpSocketProgram(), world, SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);
                diagnostics = world.diagnostics();
                guestBalanced = world.guest().engine().counters().rxBalanced();
                gatewayBalanced = world.gateway().engine().counters().rxBalanced();
            }

            assertEquals(new UdpSocketProgram().phases().size(), result.phases().size(), result::toString);
            for (final PhaseResult phase : result.phases())
            {
                assertTrue(phase.passed(), () -> phase.phase() + ": " + phase.message());
            }
            assertTrue(guestBalanced, diagnostics);
            assertTrue(gatewayBalanced, diagnostics);
            assertTrue(guest.device.counters().txFrames.get() > 0, "the guest's frames went through its E1000");
            assertTrue(gateway.device.counters().rxFrames.get() > 0, "and arrived through the gateway's");
            for (final DeviceDrop drop : DeviceDrop.values())
            {
                assertEquals(0, guest.device.counters().drops(drop), "guest " + drop.label());
                assertEquals(0, gateway.device.counters().drops(drop), "gateway " + drop.label());
            }
        }
    }
}
