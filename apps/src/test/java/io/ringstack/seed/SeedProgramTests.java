package io.ringstack.seed;

import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Turns a seed program into one JUnit test per phase, run in order against one context. Each phase runs under
 * {@link SeedRunner}'s deadline, so a hang fails with the counters instead of stalling the build.
 */
final class SeedProgramTests
{
    private SeedProgramTests()
    {
    }

    static Stream<DynamicTest> phasesOf(final SeedProgram program, final SeedContext context)
    {
        final List<SeedPhase> phases = program.phases();
        return phases.stream().map(phase -> DynamicTest.dynamicTest(program.name() + " phase " + phase.name(), () ->
        {
            final PhaseResult result = SeedRunner.runPhase(phase, context, SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);
            assertTrue(result.passed(), () -> phase.name() + ": " + result.message());
        }));
    }
}
