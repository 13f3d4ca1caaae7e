package io.ringstack.cli;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.UdpSocketProgram;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journals the journal command tests read: udp_socket_test run on the x86_64 profile, E1000 NICs on a cable.
 */
final class UdpSocketJournals
{
    private UdpSocketJournals()
    {
    }

    /**
     * Run udp_socket_test journaled into {@code directory}.
     *
     * @return the guest engine's journal.
     */
    static Path recordGuest(final Path directory)
    {
        return recordGuest(directory, (journal) -> journal);
    }

    /**
     * Run udp_socket_test journaled into {@code directory}, and hand the guest engine's journal to {@code whileOpen}
     * before the engines stop and the journals are closed.
     *
     * @return what {@code whileOpen} returned.
     */
    static <T> T recordGuest(final Path directory, final Function<Path, T> whileOpen)
    {
        final Link[] cable = Cable.ends(1 << 20);
        try (JournaledSeedWorld journaled = JournaledSeedWorld.over("x86", PlatformProfile.X86_64.nicOn(
            cable[0], SeedWorld.GUEST_MAC), PlatformProfile.X86_64.nicOn(cable[1], SeedWorld.GATEWAY_MAC), null,
            directory, PlatformProfile.X86_64.label(), UnaryOperator.identity()))
        {
            final ProgramResult result =
                SeedRunner.run(new UdpSocketProgram(), journaled.world(), SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);
            assertTrue(result.passed(), () -> result.firstFailure().toString());
            return whileOpen.apply(journaled.guestJournal().directory());
        }
    }
}
