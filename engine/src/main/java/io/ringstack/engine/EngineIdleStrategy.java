package io.ringstack.engine;

import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.SpinThenWaitIdleStrategy;
import io.ringstack.phy.WireWait;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How an engine on its own thread idles: the phases of Agrona's {@code BackoffIdleStrategy} (spin, yield, then park
 * for 1 µs doubling up to 1 ms), and a hand-over to application threads: from its first yield until it finds work
 * again the engine says it sleeps ({@link #isSleeping}), and before each park it looks once more for commands and
 * doorbells. A thread that posts a command and sees it asleep carries the command out itself when busy polling
 * ({@link SharedDutyCycle}), or unparks it ({@link #wake}), so a posted command never waits out a park or a yield.
 * <p>
 * On a device whose wire can be waited on ({@link NetworkDevice#wireWait()}, a TAP or a packet socket) the engine
 * parks in that wait instead, for 1 ms each time: a frame arriving ends it at once, as a receive interrupt ends a
 * kernel's idle, and so does a wake, so the engine neither answers a frame late by the rest of a park nor spins
 * with short parks to answer it early.
 * <p>
 * No wait runs past the time the engine's timers are next due ({@link EngineTimers#dueNs}, at most the end of the
 * wheel's current tick): a timer due within the millisecond, such as the pacing timer of a TCP connection whose next
 * segment is due in a few microseconds, fires on time instead of after the rest of a park. An idle engine's timers
 * are due at the end of each tick, about a millisecond apart, so it wakes no more often than before.
 * <p>
 * No wake-up is lost: the poster claims its place on the command ring with a compare-and-set before it reads the
 * flag, and the engine sets the flag with a volatile write before it looks at the ring, so one of them sees the
 * other.
 */
public final class EngineIdleStrategy extends SpinThenWaitIdleStrategy
{
    private static final int MAX_SPINS = 10;
    private static final int MAX_YIELDS = 5;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private final BooleanSupplier postedWaiting;
    private final WireWait wireWait;
    private final LongSupplier timersDueInNs;
    private volatile Thread engineThread;
    private volatile boolean sleeping;
    private long parkNs = MIN_PARK_NS;

    /**
     * @param postedWaiting whether the command ring holds a command or the doorbell ring a doorbell.
     */
    public EngineIdleStrategy(final BooleanSupplier postedWaiting)
    {
        this(postedWaiting, null);
    }

    /**
     * @param postedWaiting whether the command ring holds a command or the doorbell ring a doorbell.
     * @param wireWait      the device's wait for frames, or {@code null} to park without one.
     */
    public EngineIdleStrategy(final BooleanSupplier postedWaiting, final WireWait wireWait)
    {
        this(postedWaiting, wireWait, () -> MAX_PARK_NS);
    }

    /**
     * @param postedWaiting whether the command ring holds a command or the doorbell ring a doorbell.
     * @param wireWait      the device's wait for frames, or {@code null} to park without one.
     * @param timersDueInNs how long until the engine's timers are next due, at most; no wait lasts longer.
     */
    public EngineIdleStrategy(
        final BooleanSupplier postedWaiting, final WireWait wireWait, final LongSupplier timersDueInNs)
    {
        super(MAX_SPINS, MAX_YIELDS);
        this.postedWaiting = postedWaiting;
        this.wireWait = wireWait;
        this.timersDueInNs = timersDueInNs;
    }

    protected void waitLonger()
    {
        final long untilTimersNs = timersDueInNs.getAsLong();
        if (postedWaiting.getAsBoolean() || untilTimersNs <= 0)
        {
            return;
        }
        if (wireWait != null)
        {
            wireWait.await(Math.min(MAX_PARK_NS, untilTimersNs));
        }
        else
        {
            LockSupport.parkNanos(Math.min(parkNs, untilTimersNs));
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        }
    }

    /**
     * From the first yield on the engine's thread counts as asleep: a command posted meanwhile is carried out by its
     * poster or wakes this thread, rather than wait for it to be scheduled again.
     */
    protected void onFirstYield()
    {
        if (engineThread == null)
        {
            engineThread = Thread.currentThread();
        }
        sleeping = true;
    }

    public void reset()
    {
        super.reset();
        sleeping = false;
        parkNs = MIN_PARK_NS;
    }

    /**
     * @return whether the engine's thread sleeps, or is about to: a command posted now is not taken until it wakes.
     */
    public boolean isSleeping()
    {
        return sleeping;
    }

    /**
     * Application side, after posting a command: unpark the engine if it sleeps, or end its wait on the wire.
     */
    public void wake()
    {
        if (sleeping)
        {
            if (wireWait != null)
            {
                wireWait.wake();
            }
            else
            {
                LockSupport.unpark(engineThread);
            }
        }
    }

    public String alias()
    {
        return "engine-backoff";
    }
}
