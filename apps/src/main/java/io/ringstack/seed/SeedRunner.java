package io.ringstack.seed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs seed programs so that none can hang: each phase runs on its own thread with a deadline, and a phase still
 * running at its deadline is a failure whose message carries the engine's counters.
 */
public final class SeedRunner
{
    /** Long enough for any phase on a loaded two-core machine; a phase that takes longer is stuck. */
    public static final long DEFAULT_PHASE_TIMEOUT_MS = 30_000;

    private SeedRunner()
    {
    }

    /**
     * Run the phases in order, stopping at the first failure.
     */
    public static ProgramResult run(final SeedProgram program, final SeedContext context, final long phaseTimeoutMs)
    {
        final List<PhaseResult> results = new ArrayList<>();
        for (final SeedPhase phase : program.phases())
        {
            final PhaseResult result = runPhase(phase, context, phaseTimeoutMs);
            results.add(result);
            if (!result.passed())
            {
                break;
            }
        }
        return new ProgramResult(program.name(), List.copyOf(results));
    }

    /**
     * Run one phase on a fresh thread and wait for it until the deadline.
     */
    public static PhaseResult runPhase(final SeedPhase phase, final SeedContext context, final long timeoutMs)
    {
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread thread = new Thread(() -> failure.set(outcome(phase, context)), "seed-" + phase.name());
        thread.setDaemon(true);
        final long startNs = System.nanoTime();
        thread.start();
        try
        {
            thread.join(timeoutMs);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final long durationNs = System.nanoTime() - startNs;
        if (thread.isAlive())
        {
            thread.interrupt();
            return new PhaseResult(phase.name(), false,
                "did not finish within " + timeoutMs + " ms; counters:\n" + context.diagnostics(), durationNs);
        }
        final String message = failure.get();
        return message == null ?
            new PhaseResult(phase.name(), true, "", durationNs) :
            new PhaseResult(phase.name(), false, message + "\ncounters:\n" + context.diagnostics(), durationNs);
    }

    private static String outcome(final SeedPhase phase, final SeedContext context)
    {
        try
        {
            phase.body().run(context);
            return null;
        }
        catch (final SeedFailure failure)
        {
            return failure.getMessage();
        }
        catch (final RuntimeException ex)
        {
            return "unexpected " + ex;
        }
    }
}
