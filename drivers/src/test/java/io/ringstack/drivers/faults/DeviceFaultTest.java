package io.ringstack.drivers.faults;

import io.ringstack.drivers.DeviceDrop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each device fault on each NIC model, between two NICs on a cable and one virtual clock: the frames it costs are
 * counted under the reason named for it, nothing throws, and traffic resumes once the fault is over, within the
 * time stated: the next poll for a replenished ring or a link back up, the watchdog's deadline for a hung transmit
 * unit.
 */
class DeviceFaultTest
{
    private static final long STEP_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int BURST = 16;

    private CabledNics nics;

    @AfterEach
    void close()
    {
        nics.close();
    }

    @ParameterizedTest
    @EnumSource(NicModel.class)
    void aStarvedReceiveRingCountsEveryFrameItCannotPlaceAndReceivesAgainAtTheNextPollAfterReplenishing(
        final NicModel model)
    {
        nics = new CabledNics(model);
        final int frames = model.receiveBuffers + 100;
        nics.b.faults().starveRx();

        sendInBursts(nics.a, 0, frames);

        assertEquals(model.receiveBuffers, nics.atB.frames, "the buffers the device had before the starving");
        assertEquals(100, nics.b.counters().drops(DeviceDrop.RX_RING_FULL), "the rest, counted");
        assertEquals(frames, nics.b.counters().rxFrames.get() + nics.b.counters().drops(DeviceDrop.RX_RING_FULL));

        nics.b.faults().replenishRx();
        nics.poll(STEP_NS);
        sendInBursts(nics.a, frames, BURST);

        assertEquals(model.receiveBuffers + BURST, nics.atB.frames, "received again after one poll");
        assertEquals(frames + BURST - 1, nics.atB.lastNumber);
        assertEquals(100, nics.b.counters().drops(DeviceDrop.RX_RING_FULL), "no frame lost since");
    }

    @ParameterizedTest
    @EnumSource(NicModel.class)
    void aHungTransmitUnitIsResetByTheWatchdogAtItsDeadlineAndTransmitsAgain(final NicModel model)
    {
        nics = new CabledNics(model);
        final long timeoutNs = nics.a.txTimeoutNs();
        nics.a.faults().hangTx();
        final long hungAtNs = nics.clock.nanoTime();
        assertEquals(5, nics.send(nics.a, 0, 5));

        long resetAtNs = -1;
        while (resetAtNs < 0 && nics.clock.nanoTime() - hungAtNs <= 2 * timeoutNs)
        {
            final long pollNs = nics.clock.nanoTime();
            nics.poll(STEP_NS);
            if (nics.a.counters().resets.get() > 0)
            {
                resetAtNs = pollNs;
            }
        }

        assertTrue(resetAtNs >= 0, "no reset within twice the watchdog's timeout");
        assertEquals(timeoutNs, resetAtNs - hungAtNs, "reset at the watchdog's deadline, to the poll");
        assertEquals(1, nics.a.counters().resets.get());
        assertEquals(5, nics.a.counters().drops(DeviceDrop.DEVICE_RESET), "the frames the hung ring held");
        assertEquals(0, nics.atB.frames);

        sendInBursts(nics.a, 5, BURST);

        assertEquals(BURST, nics.atB.frames, "transmitting again after the reset");
        assertEquals(5 + BURST - 1, nics.atB.lastNumber);
        assertEquals(BURST, nics.a.counters().txFrames.get());
        assertEquals(1, nics.a.counters().resets.get());
    }

    @ParameterizedTest
    @EnumSource(NicModel.class)
    void aTransmitPathThatKeepsCompletingNeverTripsTheWatchdog(final NicModel model)
    {
        nics = new CabledNics(model);
        final long until = nics.clock.nanoTime() + 3 * nics.a.txTimeoutNs();
        int sent = 0;
        while (nics.clock.nanoTime() - until < 0)
        {
            sent += nics.send(nics.a, sent, BURST);
            nics.poll(STEP_NS);
        }

        assertEquals(0, nics.a.counters().resets.get());
        assertEquals(sent, nics.atB.frames);
    }

    @ParameterizedTest
    @EnumSource(NicModel.class)
    void linkDownCountsFramesToSendAndFramesArrivingAndTrafficResumesAtTheNextPollAfterLinkUp(final NicModel model)
    {
        nics = new CabledNics(model);
        nics.a.faults().linkDown();
        nics.poll(STEP_NS);

        assertEquals(0, nics.send(nics.a, 0, 10), "transmit refused while the link is down");
        sendInBursts(nics.b, 0, 10);

        assertEquals(20, nics.a.counters().drops(DeviceDrop.LINK_DOWN), "10 to send and 10 arriving");
        assertEquals(0, nics.atA.frames + nics.atB.frames);
        assertEquals(0, nics.a.counters().resets.get());

        nics.a.faults().linkUp();
        nics.poll(STEP_NS);
        assertEquals(10, nics.send(nics.a, 10, 10));
        sendInBursts(nics.b, 10, 10);

        assertEquals(10, nics.atB.frames, "A transmits again");
        assertEquals(10, nics.atA.frames, "A receives again");
        assertEquals(19, nics.atA.lastNumber);
        assertEquals(20, nics.a.counters().drops(DeviceDrop.LINK_DOWN));
    }

    @ParameterizedTest
    @EnumSource(NicModel.class)
    void aLinkDownWithFramesPendingIsNoTransmitTimeout(final NicModel model)
    {
        nics = new CabledNics(model);
        nics.a.faults().hangTx();
        nics.send(nics.a, 0, 5);
        nics.poll(STEP_NS);
        nics.a.faults().linkDown();

        for (long waited = 0; waited <= 2 * nics.a.txTimeoutNs(); waited += STEP_NS)
        {
            nics.poll(STEP_NS);
        }

        assertEquals(0, nics.a.counters().resets.get(), "Linux's dev_watchdog does not judge a queue without carrier");
        assertEquals(0, nics.a.counters().drops(DeviceDrop.DEVICE_RESET));
    }

    /**
     * {@code count} frames from {@code from} in bursts of {@link #BURST}, each followed by a poll.
     */
    private void sendInBursts(final NicModel.Nic from, final int first, final int count)
    {
        for (int sent = 0; sent < count; sent += BURST)
        {
            final int burst = Math.min(BURST, count - sent);
            assertEquals(burst, nics.send(from, first + sent, burst), "transmit refused");
            nics.poll(STEP_NS);
        }
    }
}
