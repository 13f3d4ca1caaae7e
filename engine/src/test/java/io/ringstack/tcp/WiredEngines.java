package io.ringstack.tcp;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.PipeDevice;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedNanoClock;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two engines embedded on the test thread, A at {@link #ADDRESS_A} and B at {@link #ADDRESS_B}, joined by a wire
 * ({@link PipeDevice#pair}) and on one virtual clock: {@link #step} runs one duty cycle of each and moves the clock.
 * Tests use non-blocking sockets between the steps, since a blocking call waits on real time.
 */
final class WiredEngines implements AutoCloseable
{
    static final String ADDRESS_A = "10.0.0.1";
    static final String ADDRESS_B = "10.0.0.2";
    static final long MAC_A = 0x0200_0000_000AL;
    static final long MAC_B = 0x0200_0000_000BL;
    static final int WIRE_BYTES = 4 << 20;

    final CachedNanoClock clock = new CachedNanoClock();
    final Ringstack a;
    final Ringstack b;

    /**
     * @param customiseA applied to A's context before launch (settings).
     * @param customiseB applied to B's context before launch.
     */
    WiredEngines(final UnaryOperator<EngineContext> customiseA, final UnaryOperator<EngineContext> customiseB)
    {
        clock.update(TcpTestbed.START_NS);
        final PipeDevice[] wire = PipeDevice.pair("a", MAC_A, "b", MAC_B, WIRE_BYTES);
        a = Ringstack.launch(customiseA.apply(onVirtualClock(context("a", ADDRESS_A, wire[0]), clock)), false, null);
        try
        {
            b = Ringstack.launch(
                customiseB.apply(onVirtualClock(context("b", ADDRESS_B, wire[1]), clock)), false, null);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(a);
            throw ex;
        }
    }

    static EngineContext context(final String name, final String address, final NetworkDevice device)
    {
        return new EngineContext()
            .name(name)
            .interfaceConfig(InterfaceConfig.parse(address + "/24", null, device.macAddress()))
            .device(device);
    }

    /**
     * The engine reads the shared virtual clock; its ISNs come from a fixed key, and the retransmission timer may go
     * as low as 20 ms.
     */
    static EngineContext onVirtualClock(final EngineContext context, final CachedNanoClock clock)
    {
        return context
            .nanoClock(clock)
            .set(Setting.TCP_ISN_KEY_0, TcpTestbed.ISN_KEY_0).set(Setting.TCP_ISN_KEY_1, TcpTestbed.ISN_KEY_1)
            .set(Setting.TCP_RTO_MIN_NS, TimeUnit.MILLISECONDS.toNanos(20));
    }

    Sockets socketsA()
    {
        return a.sockets();
    }

    Sockets socketsB()
    {
        return b.sockets();
    }

    int addressB()
    {
        return Ipv4Text.parse(ADDRESS_B);
    }

    /**
     * One duty cycle of each engine, then {@code stepNs} of virtual time.
     */
    void step(final long stepNs)
    {
        a.runner().invoke();
        b.runner().invoke();
        clock.advance(stepNs);
    }

    /**
     * {@link #step} until {@code done} holds, failing with {@code what} and both engines' counters when it does not
     * within {@code limitNs} of virtual time.
     */
    void stepUntil(final BooleanSupplier done, final long stepNs, final long limitNs, final String what)
    {
        final long deadlineNs = clock.nanoTime() + limitNs;
        while (!done.getAsBoolean())
        {
            if (clock.nanoTime() - deadlineNs >= 0)
            {
                fail(what + ": not within " + TimeUnit.NANOSECONDS.toMillis(limitNs) + " ms of virtual time\n" +
                    diagnostics());
            }
            step(stepNs);
        }
    }

    /**
     * {@link #step} for {@code durationNs} of virtual time.
     */
    void stepFor(final long durationNs, final long stepNs)
    {
        final long endNs = clock.nanoTime() + durationNs;
        while (clock.nanoTime() - endNs < 0)
        {
            step(stepNs);
        }
    }

    long virtualMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - TcpTestbed.START_NS);
    }

    String diagnostics()
    {
        return "A " + ADDRESS_A + ":\n" + a.diagnostics() + "B " + ADDRESS_B + ":\n" + b.diagnostics();
    }

    public void close()
    {
        CloseHelper.closeAll(a, b);
    }
}
