package io.ringstack.seed;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed's TCP programs over loopback in the guest engine, on its own thread, as the seed ran them under QEMU.
 * Each program runs once per world: its ports would otherwise still be in TIME-WAIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpSeedProgramsTest
{
    private SeedWorld world;

    @BeforeAll
    void startWorld()
    {
        world = SeedWorld.overPipe("tcp-seed", null);
    }

    @AfterAll
    void stopWorld()
    {
        world.close();
    }

    @Test
    void tcpSocketTestHasTheSeedsTwentyFiveChecksInOrder()
    {
        SeedProgramTests.assertSeedPhases(new TcpSocketProgram(), "tcp_socket_test", 25);
    }

    @TestFactory
    Stream<DynamicTest> tcpSocketTestPassesEveryCheck()
    {
        return SeedProgramTests.phasesOf(new TcpSocketProgram(), world);
    }

    @TestFactory
    Stream<DynamicTest> tcpBlockingTestPassesEveryPhase()
    {
        return SeedProgramTests.phasesOf(new TcpBlockingProgram(), world);
    }

    @Test
    void countersBalanceAndNothingEscapedTheEngine()
    {
        assertTrue(world.guest().engine().counters().rxBalanced(), world::diagnostics);
        assertEquals(0, world.guest().runner().errorCount(), world::diagnostics);
    }
}
