package io.ringstack;

import io.ringstack.engine.Engine;
import io.ringstack.engine.EngineClient;
import io.ringstack.engine.EngineContext;
import io.ringstack.engine.EngineRunner;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.iface.Timers;
import io.ringstack.phy.CapturingDevice;
import io.ringstack.socket.Sockets;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * One engine in embedded mode on the test thread, on a virtual clock, with a {@link CapturingDevice} for its
 * network. It is launched through {@link Ringstack#launch}, so the same engine has the {@link Sockets} facade; a
 * blocking socket call on the test thread runs duty cycles itself, but its deadline is in real time, as the virtual
 * clock stands still while it waits.
 * <p>
 * Time moves only when the test calls {@link #advance}. After every run of duty cycles the stack checks that no
 * error escaped the engine and that both counter invariants hold, so every test built on it proves them too. The
 * test packages extend it with what their tests speak of: frames for iface, a scripted peer's segments for tcp.
 */
public class EmbeddedStack implements AutoCloseable
{
    /** Virtual time at start: not zero, so that nothing can mistake a timestamp for "unset". */
    public static final long START_NS = 1_000_000_000_000L;
    /** The timer wheel's tick: the granularity at which the engine can notice that time has passed. */
    public static final long TICK_NS = Timers.GRANULARITY_NS;

    private static final int MAX_COUNTERS = 256;
    private static final int MAX_CYCLES_UNTIL_IDLE = 100_000;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final CapturingDevice device;
    private final Ringstack stack;

    /**
     * @param customise changes to the context, e.g. {@code ctx -> ctx.set(Setting.ARP_PENDING_CAPACITY, 2)}.
     */
    protected EmbeddedStack(
        final String name, final InterfaceConfig interfaceConfig, final CapturingDevice device,
        final UnaryOperator<EngineContext> customise)
    {
        this.device = device;
        clock.update(START_NS);
        final EngineContext context = new EngineContext()
            .name(name)
            .interfaceConfig(interfaceConfig)
            .device(device)
            .nanoClock(clock)
            .countersManager(newCountersManager());
        stack = Ringstack.launch(customise.apply(context), false, null);
    }

    /**
     * Counters in memory over direct buffers, as {@code Ringstack} keeps them when given no directory.
     */
    public static CountersManager newCountersManager()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_COUNTERS * CountersReader.COUNTER_LENGTH)));
    }

    public Engine engine()
    {
        return stack.engine();
    }

    public EngineRunner runner()
    {
        return stack.runner();
    }

    public EngineCounters counters()
    {
        return stack.engine().counters();
    }

    public Sockets sockets()
    {
        return stack.sockets();
    }

    public EngineClient client()
    {
        return stack.client();
    }

    public CapturingDevice device()
    {
        return device;
    }

    public CachedNanoClock clock()
    {
        return clock;
    }

    public long nowNs()
    {
        return clock.nanoTime();
    }

    /**
     * The device receives {@code frame} and the engine runs until it has nothing left to do.
     */
    public void receive(final byte[] frame)
    {
        device.inject(frame);
        runUntilIdle();
    }

    /**
     * Run duty cycles until one does no work and the device has nothing left to hand over, then check the engine.
     *
     * @return the work done.
     */
    public int runUntilIdle()
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
    public void advance(final long durationNs)
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

    public void advanceMillis(final long millis)
    {
        advance(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /**
     * Let time pass one tick at a time until {@code condition} holds; fail once {@code limitNs} have passed without.
     *
     * @return how long it took.
     */
    public long advanceUntil(final BooleanSupplier condition, final long limitNs)
    {
        final long startNs = clock.nanoTime();
        while (!condition.getAsBoolean())
        {
            if (clock.nanoTime() - startNs >= limitNs)
            {
                throw new AssertionError("nothing happened within " + TimeUnit.NANOSECONDS.toMillis(limitNs) +
                    " ms\n" + diagnostics());
            }
            advance(TICK_NS);
        }
        return clock.nanoTime() - startNs;
    }

    /**
     * Fail unless no error escaped the engine and both counter invariants hold.
     */
    public void assertHealthy()
    {
        if (stack.runner().errorCount() != 0)
        {
            throw new AssertionError("error escaped the engine's duty cycle\n" + diagnostics(),
                stack.runner().lastError());
        }
        final EngineCounters counters = counters();
        if (!counters.rxBalanced())
        {
            throw new AssertionError("rx_frames != rx_delivered + sum of RX drops\n" + diagnostics());
        }
        if (!counters.txBalanced(engine().framesAwaitingArp()))
        {
            throw new AssertionError("tx_requests != tx_frames + sum of TX drops + awaiting ARP (" +
                engine().framesAwaitingArp() + ")\n" + diagnostics());
        }
    }

    public String diagnostics()
    {
        return stack.diagnostics();
    }

    public void close()
    {
        stack.close();
    }
}
