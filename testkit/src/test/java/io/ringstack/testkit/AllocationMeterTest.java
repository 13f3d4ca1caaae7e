package io.ringstack.testkit;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meter counts what its thread allocates, and fails (never skips) when it cannot.
 */
class AllocationMeterTest
{
    private static final int ONE_MEBIBYTE = 1 << 20;

    private final List<Object> kept = new ArrayList<>();

    @Test
    void countsWhatItsThreadAllocates()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();

        final long bytes = meter.bytesDuring(() -> kept.add(new byte[ONE_MEBIBYTE]));

        assertTrue(bytes >= ONE_MEBIBYTE, () -> bytes + " bytes counted for a 1 MiB array");
    }

    @Test
    void countsWorkGivenACountWithoutALambda()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();

        final long bytes = meter.bytesDuring(this::allocateMebibytes, 3);

        assertTrue(bytes >= 3L * ONE_MEBIBYTE, () -> bytes + " bytes counted for three 1 MiB arrays");
    }

    @Test
    void refusesToMeasureOnAnotherThread() throws InterruptedException
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();

        final ExecutionException thrown = assertThrows(ExecutionException.class,
            () -> CompletableFuture.runAsync(meter::allocatedBytes).get());

        assertInstanceOf(AssertionFailedError.class, thrown.getCause());
        assertTrue(thrown.getCause().getMessage().contains("measure on the thread that made the meter"),
            thrown.getCause()::getMessage);
    }

    @Test
    void failsWhenTheThreadBeanIsNotHotSpots()
    {
        final ThreadMXBean plain = (ThreadMXBean)Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{ ThreadMXBean.class }, (proxy, method, args) -> null);

        final AssertionFailedError failure =
            assertThrows(AssertionFailedError.class, () -> AllocationMeter.counting(plain));

        assertTrue(failure.getMessage().contains("per-thread allocation cannot be counted"), failure::getMessage);
    }

    @Test
    void failsWhenPerThreadCountingIsUnsupported()
    {
        final com.sun.management.ThreadMXBean unsupported = bean((method) ->
            method.equals("isThreadAllocatedMemorySupported") ? Boolean.FALSE : null);

        final AssertionFailedError failure =
            assertThrows(AssertionFailedError.class, () -> AllocationMeter.counting(unsupported));

        assertTrue(failure.getMessage().startsWith("per-thread allocation counting is unsupported"),
            failure::getMessage);
    }

    @Test
    void failsWhenPerThreadCountingIsDisabledAndCannotBeEnabled()
    {
        final com.sun.management.ThreadMXBean stuck = bean((method) ->
            method.equals("isThreadAllocatedMemorySupported") ? Boolean.TRUE :
            method.equals("isThreadAllocatedMemoryEnabled") ? Boolean.FALSE : null);

        final AssertionFailedError failure =
            assertThrows(AssertionFailedError.class, () -> AllocationMeter.counting(stuck));

        assertTrue(failure.getMessage().startsWith("per-thread allocation counting is disabled"), failure::getMessage);
    }

    @Test
    void enablesPerThreadCountingWhenItIsOff()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(false);
        try
        {
            assertNotNull(AllocationMeter.counting(threads));
            assertTrue(threads.isThreadAllocatedMemoryEnabled());
        }
        finally
        {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
    }

    @Test
    void warmUpEndsAtTheLastOfTheQuietBatchesInARow()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread(() -> 0);
        final long[] bytesPerBatch = { 400, 0, 8, 0, 0, 0, 0 };
        final int[] batches = { 0 };

        final String history = meter.warmUp(bytesPerBatch.length, 3, () -> bytesPerBatch[batches[0]++], () -> "");

        assertEquals(6, batches[0], "stops at the third quiet batch in a row");
        assertEquals("400 B/0 ms  0 B/0 ms  8 B/0 ms  0 B/0 ms  0 B/0 ms  0 B/0 ms  ", history);
    }

    @Test
    void aBatchDuringWhichTheJitCompiledIsNotQuiet()
    {
        final long[] jitMillis = { 0 };
        final AllocationMeter meter = AllocationMeter.forCurrentThread(() -> jitMillis[0]);
        final int[] batches = { 0 };

        meter.warmUp(10, 2, () ->
        {
            jitMillis[0] += ++batches[0] == 2 ? 7 : 0;
            return 0;
        }, () -> "");

        assertEquals(4, batches[0], "the second batch compiled, so the third and fourth are the quiet pair");
    }

    @Test
    void warmUpFailsWithTheHistoryWhenBatchesKeepAllocating()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread();

        final AssertionFailedError failure = assertThrows(AssertionFailedError.class,
            () -> meter.warmUp(4, 2, () -> 328, () -> "engine counters"));

        assertTrue(failure.getMessage().startsWith("still allocating or compiling after 4 warm-up batches"),
            failure::getMessage);
        assertTrue(failure.getMessage().contains("328 B/"), failure::getMessage);
        assertTrue(failure.getMessage().endsWith("engine counters"), failure::getMessage);
    }

    @Test
    void measurementComparesTheWorkWithTheMeasurementOfNoneAndWorkThatAllocatesEveryRunFailsEveryAttempt()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread(() -> 0);

        final AllocationMeter.Measurement measurement = meter.measure(this::allocateMebibytes, 2, 5);

        assertEquals(5, measurement.runs(), "the work allocated in every run, so every attempt ran");
        assertTrue(measurement.workBytes() >= 2L * ONE_MEBIBYTE, measurement::toString);
        assertTrue(measurement.baselineBytes() < ONE_MEBIBYTE, measurement::toString);
    }

    @Test
    void anAllocationOfTheFirstRunAloneIsNotTheWorks()
    {
        final AllocationMeter meter = AllocationMeter.forCurrentThread(() -> 0);
        final int[] runsOfWork = { 0 };

        final AllocationMeter.Measurement measurement = meter.measure((count) ->
        {
            runsOfWork[0] += count > 0 ? 1 : 0;
            allocateMebibytes(count > 0 && runsOfWork[0] == 1 ? 1 : 0);
        }, 1, 5);

        assertEquals(2, measurement.runs(), "a one-off allocation, as a compile shorter than a millisecond makes");
        assertEquals(0, measurement.workBytes(), measurement::toString);
    }

    @Test
    void aMeasurementTheJitCompiledDuringIsRepeatedUpToTheAttempts()
    {
        final long[] jitMillis = { 0 };
        final AllocationMeter meter = AllocationMeter.forCurrentThread(() -> jitMillis[0]);
        final int[] runsOfWork = { 0 };

        final AllocationMeter.Measurement measurement = meter.measure((count) ->
        {
            runsOfWork[0] += count > 0 ? 1 : 0;
            jitMillis[0] += count > 0 && runsOfWork[0] < 3 ? 5 : 0;
        }, 1, 5);

        assertEquals(3, measurement.runs(), "two runs with the JIT at work, then a quiet one");
        assertEquals(0, measurement.jitMillis());
        assertEquals(3, runsOfWork[0]);
        assertEquals(2, meter.measure((count) -> jitMillis[0]++, 1, 2).runs(), "never more than the attempts");
    }

    private void allocateMebibytes(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            kept.add(new byte[ONE_MEBIBYTE]);
        }
    }

    /**
     * A HotSpot thread bean whose boolean queries answer as {@code answers} says; everything else does nothing.
     */
    private static com.sun.management.ThreadMXBean bean(final Function<String, Boolean> answers)
    {
        return (com.sun.management.ThreadMXBean)Proxy.newProxyInstance(AllocationMeterTest.class.getClassLoader(),
            new Class<?>[]{ com.sun.management.ThreadMXBean.class },
            (proxy, method, args) -> answers.apply(method.getName()));
    }
}
