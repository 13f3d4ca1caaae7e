package io.ringstack.testkit;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Heap bytes allocated by one thread, read from HotSpot's per-thread counter
 * ({@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}), for tests that prove a path allocates
 * nothing: run the path on the meter's thread and compare what {@link #bytesDuring} reports with the same
 * measurement around no work.
 * <p>
 * A meter never skips: on a JVM that cannot count per-thread allocation, or has it switched off for good, or whose
 * counter does not see a known allocation, {@link #forCurrentThread()} fails the test and says why, since a test
 * that cannot count proves nothing.
 * <p>
 * The measuring methods hold no string literals: when this thread asks the JIT for a compile, HotSpot resolves
 * the string literals of the compiled method's class on this thread, which would show up as allocation. The
 * messages live in {@link Messages}.
 */
public final class AllocationMeter
{
    /** Bytes the self-check allocates and must see counted. */
    static final int PROBE_BYTES = 64 * 1024;

    private static volatile Object sink;

    private final com.sun.management.ThreadMXBean threads;
    private final Thread thread;
    private final long threadId;
    private final LongSupplier jitMillis;

    private AllocationMeter(
        final com.sun.management.ThreadMXBean threads, final Thread thread, final LongSupplier jitMillis)
    {
        this.threads = threads;
        this.thread = thread;
        this.jitMillis = jitMillis;
        threadId = thread.getId();
    }

    /**
     * A meter for the calling thread; fails the test when this JVM cannot count the thread's allocations.
     */
    public static AllocationMeter forCurrentThread()
    {
        final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return forCurrentThread(jit != null && jit.isCompilationTimeMonitoringSupported() ?
            jit::getTotalCompilationTime : () -> 0);
    }

    /**
     * @param jitMillis the JIT's total compilation time so far, in milliseconds.
     */
    static AllocationMeter forCurrentThread(final LongSupplier jitMillis)
    {
        final AllocationMeter meter =
            new AllocationMeter(counting(ManagementFactory.getThreadMXBean()), Thread.currentThread(), jitMillis);
        meter.checkSeesAnAllocation();
        return meter;
    }

    /**
     * @return the JVM's bean, with per-thread allocation counting on; fails when it cannot be.
     */
    static com.sun.management.ThreadMXBean counting(final java.lang.management.ThreadMXBean bean)
    {
        if (!(bean instanceof com.sun.management.ThreadMXBean))
        {
            Messages.notHotSpot(bean);
        }
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        if (!threads.isThreadAllocatedMemorySupported())
        {
            Messages.unsupported();
        }
        if (!threads.isThreadAllocatedMemoryEnabled())
        {
            threads.setThreadAllocatedMemoryEnabled(true);
            if (!threads.isThreadAllocatedMemoryEnabled())
            {
                Messages.disabled();
            }
        }
        return threads;
    }

    /**
     * @return heap bytes the thread has allocated so far.
     */
    public long allocatedBytes()
    {
        if (Thread.currentThread() != thread)
        {
            Messages.wrongThread(thread);
        }
        return threads.getThreadAllocatedBytes(threadId);
    }

    /**
     * @return heap bytes allocated on this thread while {@code work} ran.
     */
    public long bytesDuring(final Runnable work)
    {
        final long before = allocatedBytes();
        work.run();
        return allocatedBytes() - before;
    }

    /**
     * @return heap bytes allocated on this thread while {@code work} ran with {@code count}; no lambda needed.
     */
    public long bytesDuring(final IntConsumer work, final int count)
    {
        final long before = allocatedBytes();
        work.accept(count);
        return allocatedBytes() - before;
    }

    /**
     * Measure {@code count} units of {@code work} against the same measurement of none ({@code work} given 0), and
     * measure again, up to {@code attempts} runs in all, while the JIT finished a compilation during the run or the
     * work allocated: the thread that asks for a compile pays for the string constants of the compiled method's
     * class, a few hundred bytes that are the JIT's, not the work's, and a compile shorter than the JIT's millisecond
     * clock shows no time. The last run counts, whatever the JIT did: work that allocates per unit, or every few
     * thousand units, allocates in every run and fails.
     */
    public Measurement measure(final IntConsumer work, final int count, final int attempts)
    {
        long baselineBytes;
        long bytes;
        long jitSpent;
        int runs = 0;
        do
        {
            final long jitBefore = jitMillis();
            baselineBytes = bytesDuring(work, 0);
            bytes = bytesDuring(work, count);
            jitSpent = jitMillis() - jitBefore;
            runs++;
        }
        while ((jitSpent != 0 || bytes != baselineBytes) && runs < attempts);
        return new Measurement(baselineBytes, bytes, jitSpent, runs);
    }

    /**
     * @return milliseconds the JIT has spent compiling so far, or 0 when this JVM does not time it.
     */
    public long jitMillis()
    {
        return jitMillis.getAsLong();
    }

    /**
     * Run batches until {@code quietInARow} of them in a row allocate nothing while the JIT finishes no
     * compilation, so that no compilation or deoptimisation lands in the measurement that follows. A path that
     * allocates per operation, or every few thousand, never gets there and fails here with the history.
     *
     * @param batch runs one batch and returns the heap bytes it allocated.
     * @param diagnostics what to add to a failure, e.g. the engine's counters.
     * @return the history, heap bytes and JIT time per batch.
     */
    public String warmUp(
        final int maxBatches, final int quietInARow, final LongSupplier batch, final Supplier<String> diagnostics)
    {
        final StringBuilder history = new StringBuilder();
        int quiet = 0;
        for (int i = 0; i < maxBatches; i++)
        {
            final long jitBefore = jitMillis();
            final long bytes = batch.getAsLong();
            final long jitSpent = jitMillis() - jitBefore;
            Messages.append(history, bytes, jitSpent);
            quiet = bytes == 0 && jitSpent == 0 ? quiet + 1 : 0;
            if (quiet == quietInARow)
            {
                return history.toString();
            }
        }
        Messages.stillAllocating(maxBatches, quietInARow, history, diagnostics);
        return history.toString();
    }

    private void checkSeesAnAllocation()
    {
        final long bytes = bytesDuring(() -> sink = new byte[PROBE_BYTES]);
        sink = null;
        if (bytes < PROBE_BYTES)
        {
            Messages.blind(bytes);
        }
    }

    /**
     * What {@link #measure} found in its last run.
     *
     * @param baselineBytes heap bytes the measurement of no work allocated.
     * @param bytes         heap bytes the measurement of the work allocated.
     * @param jitMillis     milliseconds the JIT spent compiling during the last run.
     * @param runs          how many runs it took: each ran the work in full.
     */
    public record Measurement(long baselineBytes, long bytes, long jitMillis, int runs)
    {
        /**
         * @return heap bytes the work allocated beyond the measurement itself.
         */
        public long workBytes()
        {
            return bytes - baselineBytes;
        }
    }

    /**
     * The meter's failures, apart from the measuring code (see the class comment).
     */
    static final class Messages
    {
        private Messages()
        {
        }

        static void notHotSpot(final Object bean)
        {
            fail("this JVM's ThreadMXBean (" + (bean == null ? "none" : bean.getClass().getName()) + ") is not a " +
                "com.sun.management.ThreadMXBean: per-thread allocation cannot be counted, so no allocation can be " +
                "proven; run the tests on a HotSpot JDK");
        }

        static void unsupported()
        {
            fail("per-thread allocation counting is unsupported by this JVM " +
                "(ThreadMXBean.isThreadAllocatedMemorySupported() is false): no allocation can be proven");
        }

        static void disabled()
        {
            fail("per-thread allocation counting is disabled and could not be enabled " +
                "(ThreadMXBean.setThreadAllocatedMemoryEnabled(true) did not take): no allocation can be proven");
        }

        static void wrongThread(final Thread owner)
        {
            fail("the meter counts the allocations of thread \"" + owner.getName() + "\", not of \"" +
                Thread.currentThread().getName() + "\": measure on the thread that made the meter");
        }

        static void blind(final long bytes)
        {
            fail("the allocation counter saw " + bytes + " bytes for an allocation of " + PROBE_BYTES +
                ": it does not count this thread's allocations");
        }

        static void append(final StringBuilder history, final long bytes, final long jitMillis)
        {
            history.append(bytes).append(" B/").append(jitMillis).append(" ms  ");
        }

        static void stillAllocating(
            final int maxBatches, final int quietInARow, final CharSequence history,
            final Supplier<String> diagnostics)
        {
            fail("still allocating or compiling after " + maxBatches + " warm-up batches, " + quietInARow +
                " quiet in a row wanted; heap bytes/JIT time per batch: " + history + "\n" + diagnostics.get());
        }

        private static void fail(final String message)
        {
            org.junit.jupiter.api.Assertions.fail(message);
        }
    }
}
