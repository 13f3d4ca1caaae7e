package io.ringstack.seed;

/**
 * How one phase of a seed program ended.
 *
 * @param phase    the phase's name.
 * @param passed   whether it got what the original program expected.
 * @param message  what went wrong, with the counters that explain it; empty when it passed.
 * @param durationNs how long it took.
 */
public record PhaseResult(String phase, boolean passed, String message, long durationNs)
{
}
