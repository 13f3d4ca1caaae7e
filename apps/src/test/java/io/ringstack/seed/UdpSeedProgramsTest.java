package io.ringstack.seed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's UDP programs against a guest engine and a gateway engine joined by a wire, each on its own thread,
 * as under QEMU's user-mode network.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UdpSeedProgramsTest
{
    private SeedWorld world;

    @BeforeAll
    void startWorld()
    {
        world = SeedWorld.overPipe("udp-seed", null);
    }

    @AfterAll
    void stopWorld()
    {
        world.close();
    }

    @TestFactory
    Stream<DynamicTest> udpSocketTestPassesEveryStep()
    {
        return SeedProgramTests.phasesOf(new UdpSocketProgram(), world);
    }

    @TestFactory
    Stream<DynamicTest> concurrentReceiversAllWake()
    {
        return SeedProgramTests.phasesOf(new ConcurrentRecvStress(), world);
    }

    @TestFactory
    Stream<DynamicTest> blockedReaderWakesUnderLoad()
    {
        return SeedProgramTests.phasesOf(new LoopbackWakeProgram(), world);
    }

    @Test
    void countersBalanceAfterThePrograms()
    {
        SeedRunner.run(new UdpSocketProgram(), world, SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);
        assertTrue(world.guest().engine().counters().rxBalanced(), world::diagnostics);
        assertTrue(world.gateway().engine().counters().rxBalanced(), world::diagnostics);
    }
}
