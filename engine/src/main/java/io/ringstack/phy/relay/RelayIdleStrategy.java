package io.ringstack.phy.relay;

import io.ringstack.phy.SpinThenWaitIdleStrategy;
import io.ringstack.phy.WireWait;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.agrona.concurrent.NanoClock;

/**
 * How {@code ringstack relay} idles when both its links can be waited on ({@link io.ringstack.phy.Link#wireWaitWith},
 * a TAP or a packet socket each): a short spin and a few yields, as Agrona's {@code BackoffIdleStrategy} begins, then a
 * sleep in the kernel on both wires ({@link WireWait}) until either has a frame or the next delayed frame is due, at
 * most {@value #MAX_WAIT_MS} ms at a time. A relay that parked for growing intervals instead would either answer a
 * frame late by the rest of its park or, with parks short enough not to, wake tens of thousands of times a second:
 * on two cores, processor time taken from the engines and the kernels on either side of it.
 */
public final class RelayIdleStrategy extends SpinThenWaitIdleStrategy
{
    /** Idle polls that spin before the relay yields, on any links. */
    public static final int SPINS = 100;
    /** Idle polls that yield before the relay sleeps on its wires, or parks on links it cannot wait on. */
    public static final int YIELDS = 10;
    static final long MAX_WAIT_MS = 1;

    private static final long MAX_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS);

    private final WireWait wires;
    private final LongSupplier nextReleaseNs;
    private final NanoClock clock;

    /**
     * @param wires         the wait on both links' wires.
     * @param nextReleaseNs when the next delayed frame is due ({@link Relay#nextReleaseNs}).
     * @param clock         the relay's clock.
     */
    public RelayIdleStrategy(final WireWait wires, final LongSupplier nextReleaseNs, final NanoClock clock)
    {
        super(SPINS, YIELDS);
        this.wires = wires;
        this.nextReleaseNs = nextReleaseNs;
        this.clock = clock;
    }

    protected void waitLonger()
    {
        final long untilDueNs = nextReleaseNs.getAsLong() - clock.nanoTime();
        if (untilDueNs > 0)
        {
            wires.await(Math.min(untilDueNs, MAX_WAIT_NS));
        }
    }

    public String alias()
    {
        return "relay-wires";
    }
}
