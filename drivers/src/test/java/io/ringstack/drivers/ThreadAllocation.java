package io.ringstack.drivers;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Per-thread heap allocation counting for the tests that prove a data path allocates nothing.
 */
public final class ThreadAllocation
{
    private ThreadAllocation()
    {
    }

    /**
     * Switch per-thread allocation counting on; the calling test is skipped where the JVM cannot count.
     *
     * @return the bean whose {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)} gives the count.
     */
    public static com.sun.management.ThreadMXBean enable()
    {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
            "this JVM has no com.sun.management.ThreadMXBean");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
