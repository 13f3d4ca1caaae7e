package io.ringstack.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The allocation floor of a benchmark fork: a benchmark that allocates nothing, so that what {@code -prof gc}
 * reports for it is what the fork's own threads allocate (JMH's iteration control and result bookkeeping, the
 * profiler's own thread queries). That background is a rate, a few kilobytes per second whatever the benchmark
 * does, and {@code gc.alloc.rate.norm} divides it by the operations measured: nothing at millions of operations
 * per second, a fraction of a byte per operation at tens of thousands (round trips, requests, latency samples).
 * The report reads every path's {@code gc.alloc.rate} against this one's, measured in the same run.
 * <p>
 * Each operation burns about as long as a loopback round trip of the engine (tens of microseconds), so the floor
 * is taken at the operation rate of the paths it explains.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class AllocationFloorBenchmark extends ForkedBenchmark
{
    /** Blackhole tokens per operation: about 20 µs on the project's machine. */
    private static final long TOKENS = 10_000;

    /**
     * Burn a fixed amount of CPU time, allocating nothing.
     */
    @Benchmark
    public void idle()
    {
        Blackhole.consumeCPU(TOKENS);
    }
}
