package io.ringstack.bench.report;

import java.time.Duration;
import java.time.Instant;

/**
 * How a run of the suite came about: when, how long, from which commands and at which commit.
 *
 * @param started    when the run started.
 * @param took       how long it ran.
 * @param command    the command that asked for it, as typed.
 * @param jmhCommand the JMH command line that ran it.
 * @param commit     the commit of the source tree the benchmarks were built from, and whether it had changes.
 * @param machine    the machine it ran on, probed before the run.
 */
public record RunInfo(
    Instant started, Duration took, String command, String jmhCommand, String commit, Machine machine)
{
}
