package io.ringstack.seed;

import java.util.List;

/**
 * How a seed program's run ended: one result per phase, in order; phases after a failed one are not run.
 */
public record ProgramResult(String program, List<PhaseResult> phases)
{
    public boolean passed()
    {
        return !phases.isEmpty() && phases.stream().allMatch(PhaseResult::passed);
    }

    /**
     * @return the first failed phase, or {@code null} when all passed.
     */
    public PhaseResult firstFailure()
    {
        return phases.stream().filter(phase -> !phase.passed()).findFirst().orElse(null);
    }
}
