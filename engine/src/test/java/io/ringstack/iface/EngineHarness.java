package io.ringstack.iface;

import io.ringstack.Ringstack;
import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineClient;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.engine.EngineTimers;
import io.ringstack.phy.CapturingDevice;
import io.ringstack.socket.Sockets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One engine in embedded mode on the test thread, on a virtual clock, with a {@link CapturingDevice} for its
 * network: 10.0.2.15/24, gateway 10.0.2.2, MAC 52:54:00:12:34:56. It is launched through
 * {@link Ringstack#launch} so that the same engine has the {@link Sockets} facade; a blocking socket call on the
 * test thread runs duty cycles itself.
 * <p>
 * Time moves only when the test calls {@link #advance}. After every batch of duty cycles the harness checks that
 * no error escaped the engine and that both counter invariants hold, so every test built on it proves them too.
 */
final class EngineHarness implements AutoCloseable
{
    /** Virtual time at start: not zero, so that nothing can mistake a timestamp for "unset". */
    static final long START_NS = 1_000_000_000_000L;
    /** The timer wheel's tick: the granularity at which the engine can notice that time has passed. */
    static final long TICK_NS = Timers.GRANULARITY_NS;

    private static final int MAX_COUNTERS = 256;
    private static final int MAX_CYCLES_UNTIL_IDLE = 10_000;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final CapturingDevice device = new CapturingDevice("capture0", TestFrames.OUR_MAC);
    private final Ringstack stack;
    private boolean checkInvariants = true;

    private EngineHarness(final UnaryOperator<EngineContext> customise)
    {
        clock.update(START_NS);
        final EngineContext context = new EngineContext()
            .name("harness")
            .interfaceConfig(new InterfaceConfig(
                TestFrames.OUR_ADDRESS, 24, TestFrames.GATEWAY_ADDRESS, TestFrames.OUR_MAC))
            .device(device)
            .nanoClock(clock)
            .countersManager(newCountersManager());
        stack = Ringstack.launch(customise.apply(context), false, null);
    }

    static EngineHarness start()
    {
        return new EngineHarness(UnaryOperator.identity());
    }

    /**
     * @param customise changes to the default context, e.g. {@code ctx -> ctx.set(Setting.ARP_PENDING_CAPACITY, 2)}.
     */
    static EngineHarness start(final UnaryOperator<EngineContext> customise)
    {
        return new EngineHarness(customise);
    }

    /**
     * Counters in memory over direct buffers, as {@code Ringstack} keeps them when given no directory.
     */
    static CountersManager newCountersManager()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH)));
    }

    Ringstack stack()
    {
        return stack;
    }

    Engine engine()
    {
        return stack.engine();
    }

    EngineRunner runner()
    {
        return stack.runner();
    }

    EngineCounters counters()
    {
        return stack.engine().counters();
    }

    Sockets sockets()
    {
        return stack.sockets();
    }

    EngineClient client()
    {
        return stack.client();
    }

    CapturingDevice device()
    {
        return device;
    }

    CachedNanoClock clock()
    {
        return clock;
    }

    long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * Turn the check after every batch of duty cycles off, for a test that proves the checks fail.
     */
    void checkInvariants(final boolean check)
    {
        checkInvariants = check;
    }

    /**
     * Queue a frame on the device without running the engine.
     */
    void inject(final byte[] frame)
    {
        device.inject(frame);
    }

    /**
     * The device receives {@code frame} and the engine runs until it has nothing left to do.
     */
    void receive(final byte[] frame)
    {
        device.inject(frame);
        runUntilIdle();
    }

    /**
     * Run duty cycles until one does no work, then check the engine.
     *
     * @return the work done.
     */
    int runUntilIdle()
    {
        int total = 0;
        for (int cycles = 0; cycles < MAX_CYCLES_UNTIL_IDLE; cycles++)
        {
            final int work = stack.runner().invoke();
            total += work;
            if (work == 0 && device.pendingReceive() == 0)
            {
                assertHealthy();
                return total;
            }
        }
        throw new AssertionError("engine still busy after " + MAX_CYCLES_UNTIL_IDLE + " duty cycles\n" +
            diagnostics());
    }

    /**
     * Let {@code durationNs} of virtual time pass the way it passes for a polled engine: in steps of at most one
     * timer tick, with the engine run until idle after each.
     */
    void advance(final long durationNs)
    {
        long remainingNs = durationNs;
        while (remainingNs > 0)
        {
            final long stepNs = Math.min(remainingNs, TICK_NS);
            clock.advance(stepNs);
            remainingNs -= stepNs;
            runUntilIdle();
        }
    }

    List<byte[]> takeTransmitted()
    {
        return device.takeTransmitted();
    }

    /**
     * @return the one frame transmitted since the last take; fails if there were none or several.
     */
    byte[] takeOnlyTransmitted()
    {
        final List<byte[]> frames = device.takeTransmitted();
        if (frames.size() != 1)
        {
            fail("expected exactly one transmitted frame, got " + frames.size() + describe(frames));
        }
        return frames.get(0);
    }

    /**
     * Fail, showing what was sent, if anything was transmitted since the last take.
     */
    void assertNothingTransmitted(final String why)
    {
        final List<byte[]> frames = device.takeTransmitted();
        if (!frames.isEmpty())
        {
            fail(why + ": " + frames.size() + " frame(s) transmitted" + describe(frames));
        }
    }

    /**
     * Teach the engine a neighbour the way a neighbour usually introduces itself: an ARP request for our address.
     * The engine's reply is taken and discarded.
     */
    void learn(final int address, final long mac)
    {
        receive(TestFrames.arpRequest(mac, address, TestFrames.OUR_ADDRESS));
        final byte[] reply = takeOnlyTransmitted();
        assertEquals(mac, TestFrames.mac(reply, 0), "ARP reply goes to the neighbour");
    }

    /**
     * Fail unless no error escaped the engine and both counter invariants hold.
     */
    void assertHealthy()
    {
        if (stack.runner().errorCount() != 0)
        {
            throw new AssertionError("error escaped the engine's duty cycle\n" + diagnostics(),
                stack.runner().lastError());
        }
        if (checkInvariants)
        {
            final EngineCounters counters = counters();
            if (!counters.rxBalanced())
            {
                fail("rx_frames != rx_delivered + sum of RX drops\n" + diagnostics());
            }
            if (!counters.txBalanced(engine().framesAwaitingArp()))
            {
                fail("tx_requests != tx_frames + sum of TX drops + awaiting ARP (" + engine().framesAwaitingArp() +
                    ")\n" + diagnostics());
            }
        }
    }

    String diagnostics()
    {
        return stack.diagnostics();
    }

    static String describe(final List<byte[]> frames)
    {
        final StringBuilder text = new StringBuilder();
        for (final byte[] frame : frames)
        {
            text.append("\n  ").append(TestFrames.describe(frame));
        }
        return text.toString();
    }

    public void close()
    {
        stack.close();
    }
}
