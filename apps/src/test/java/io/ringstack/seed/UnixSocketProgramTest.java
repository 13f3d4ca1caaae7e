package io.ringstack.seed;

import io.ringstack.socket.FdTable;
import io.ringstack.socket.Sockets;
import io.ringstack.socket.local.LocalSockets;
import io.ringstack.wire.Ipv4Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class UnixSocketProgramTest
{
    private static final Duration PHASE_LIMIT = Duration.ofSeconds(10);

    private final Sockets sockets =
        new Sockets(new FdTable(256), new LocalSockets(), null, (attempt, sinceNs, deadlineNs) -> Thread.onSpinWait());
    private final SeedContext context = new SeedContext()
    {
        public Sockets sockets()
        {
            return sockets;
        }

        public int ownAddress()
        {
            return Ipv4Text.parse("10.0.2.15");
        }

        public int gatewayAddress()
        {
            return Ipv4Text.parse("10.0.2.2");
        }

        public String diagnostics()
        {
            return "";
        }
    };

    @Test
    void hasTheSeedsEighteenPhasesInOrder()
    {
        final UnixSocketProgram program = new UnixSocketProgram();

        SeedProgramTests.assertSeedPhases(program, "unix_socket_test", 18);
        assertEquals("18 accept on non-listener", program.phases().get(17).name());
    }

    /**
     * Two runs, each of a fresh program, against the same sockets: the second passes only if the first closed
     * everything it opened and freed every name it bound.
     */
    @TestFactory
    List<DynamicNode> runsEveryPhaseTwiceInOneContext()
    {
        final List<DynamicNode> runs = new ArrayList<>();
        for (int run = 1; run <= 2; run++)
        {
            final List<DynamicNode> steps = new UnixSocketProgram().phases().stream()
                .map(this::phaseTest)
                .collect(Collectors.toCollection(ArrayList::new));
            steps.add(DynamicTest.dynamicTest("no descriptor left open",
                () -> assertEquals(0, sockets.descriptors().openCount())));
            runs.add(DynamicContainer.dynamicContainer("run " + run, steps));
        }
        return runs;
    }

    private DynamicTest phaseTest(final SeedPhase phase)
    {
        return DynamicTest.dynamicTest(phase.name(), () ->
            assertTimeoutPreemptively(PHASE_LIMIT, () -> phase.body().run(context), "phase " + phase.name()));
    }
}
