package io.ringstack.drivers.faults;

import io.ringstack.testkit.AllocationMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fault paths allocate nothing on the heap, on either NIC model: the test thread plays both guests of
 * {@link CabledNics} through cycles of every fault (a starved receive ring and its replenishing, a link down and up
 * with frames refused and frames arriving, a hung transmit unit, the watchdog's reset and transmitting after it),
 * and an {@link AllocationMeter} reads its allocated bytes around them against a baseline of the measurement
 * alone, once the JIT has settled.
 */
class DeviceFaultAllocationTest
{
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WATCHDOG_STEP_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BURST = 16;
    /**
     * Cycles before the warm-up: a reset runs once a cycle, and HotSpot compiles a method fully after some 5,000
     * calls (Tier4InvocationThreshold); the warm-up's quiet batches then see the reset path as the measurement will.
     */
    private static final int PRELUDE_CYCLES = 6_000;
    private static final int WARMUP_BATCH_CYCLES = 20;
    private static final int WARMUP_MAX_BATCHES = 100;
    private static final int WARMUP_QUIET_BATCHES = 5;
    private static final int MEASURED_CYCLES = 50;
    /** A measurement the JIT compiled during is repeated: a tier-up on this thread can cost a few hundred bytes. */
    private static final int MEASUREMENT_ATTEMPTS = 5;

    private final AllocationMeter meter = AllocationMeter.forCurrentThread();
    private CabledNics nics;
    private int number;

    @AfterEach
    void close()
    {
        nics.close();
    }

    @ParameterizedTest
    @EnumSource(NicModel.class)
    void everyFaultAndItsRecoveryAllocateNothing(final NicModel model)
    {
        nics = new CabledNics(model);
        cycles(PRELUDE_CYCLES);
        meter.warmUp(WARMUP_MAX_BATCHES, WARMUP_QUIET_BATCHES,
            () -> meter.bytesDuring(this::cycles, WARMUP_BATCH_CYCLES) - meter.bytesDuring(this::cycles, 0), () -> "");
        final long resets = nics.a.counters().resets.get();

        final AllocationMeter.Measurement measurement = meter.measure(this::cycles, MEASURED_CYCLES,
            MEASUREMENT_ATTEMPTS);

        assertEquals((long)MEASURED_CYCLES * measurement.runs(), nics.a.counters().resets.get() - resets,
            "one watchdog reset per cycle");
        assertEquals(0, measurement.workBytes(), () -> "heap bytes allocated in " + MEASURED_CYCLES +
            " cycles of faults: " + measurement.workBytes() + " (JIT compiled for " + measurement.jitMillis() +
            " ms meanwhile)");
    }

    private void cycles(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            starveAndReplenish();
            linkDownAndUp();
            hangUntilReset();
        }
    }

    private void starveAndReplenish()
    {
        nics.b.faults().starveRx();
        final long before = nics.atB.frames;
        for (int sent = 0; sent < NicModel.E1000.receiveBuffers + 2 * BURST; sent += BURST)
        {
            sendInBurst(nics.a);
        }
        nics.b.faults().replenishRx();
        nics.poll(STEP_NS);
        sendInBurst(nics.a);
        check(nics.atB.frames - before > BURST);
    }

    private void linkDownAndUp()
    {
        nics.a.faults().linkDown();
        nics.poll(STEP_NS);
        check(nics.send(nics.a, number, BURST) == 0);
        sendInBurst(nics.b);
        nics.a.faults().linkUp();
        nics.poll(STEP_NS);
        final long before = nics.atA.frames;
        sendInBurst(nics.b);
        check(nics.atA.frames - before == BURST);
    }

    private void hangUntilReset()
    {
        final long resets = nics.a.counters().resets.get();
        nics.a.faults().hangTx();
        nics.send(nics.a, number, BURST);
        while (nics.a.counters().resets.get() == resets)
        {
            nics.poll(WATCHDOG_STEP_NS);
        }
        final long before = nics.atB.frames;
        sendInBurst(nics.a);
        check(nics.atB.frames - before == BURST);
    }

    /**
     * A burst and two polls: a burst that crosses the end of the cable's ring arrives over two, since a read of the
     * ring stops at its end.
     */
    private void sendInBurst(final NicModel.Nic from)
    {
        check(nics.send(from, number, BURST) == BURST);
        number += BURST;
        nics.poll(STEP_NS);
        nics.poll(STEP_NS);
    }

    private static void check(final boolean condition)
    {
        if (!condition)
        {
            throw new AssertionError("a fault cycle went otherwise than DeviceFaultTest proves");
        }
    }
}
