package io.ringstack.seed;

import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Turns a seed program into one JUnit test per phase, run in order against one context. Each phase runs under
 * {@link SeedRunner}'s deadline, so a hang fails with the counters instead of stalling the build. Also checks that a
 * program keeps the seed's numbering.
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

    /**
     * Fail unless {@code program} is the seed's {@code name} with its {@code count} phases, numbered from 1 in order.
     */
    static void assertSeedPhases(final SeedProgram program, final String name, final int count)
    {
        assertEquals(name, program.name());
        final List<SeedPhase> phases = program.phases();
        assertEquals(count, phases.size());
        for (int i = 0; i < count; i++)
        {
            final String phase = phases.get(i).name();
            assertEquals(Integer.toString(i + 1), phase.substring(0, phase.indexOf(' ')));
        }
    }
}
