package io.ringstack.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.agrona.concurrent.IdleStrategy;

/**
 * How an engine on its own thread idles: the phases of Agrona's {@code BackoffIdleStrategy} (spin, yield, then park
 * for 1 µs doubling up to 1 ms), and a wake-up for application threads: before it parks, the engine says it sleeps
 * and looks once more for commands; a thread that posts a command and sees it asleep unparks it ({@link #wake}), so
 * a posted command does not wait out a park.
 * <p>
 * No wake-up is lost: the poster claims its place on the command ring with a compare-and-set before it reads the
 * flag, and the engine sets the flag with a volatile write before it looks at the ring, so one of them sees the
 * other.
 */
public final class EngineIdleStrategy implements IdleStrategy
{
    private static final int MAX_SPINS = 10;
    private static final int MAX_YIELDS = 5;
    private static final long MIN_PARK_NS = 1_000;
    private static final long MAX_PARK_NS = 1_000_000;

    private final BooleanSupplier commandsWaiting;
    private volatile Thread engineThread;
    private volatile boolean sleeping;
    private int idles;
    private long parkNs = MIN_PARK_NS;

    /**
     * @param commandsWaiting whether the command ring holds a command; engine thread only.
     */
    public EngineIdleStrategy(final BooleanSupplier commandsWaiting)
    {
        this.commandsWaiting = commandsWaiting;
    }

    public void idle(final int workCount)
    {
        if (workCount > 0)
        {
            reset();
        }
        else
        {
            idle();
        }
    }

    public void idle()
    {
        if (idles < MAX_SPINS)
        {
            idles++;
            Thread.onSpinWait();
        }
        else if (idles < MAX_SPINS + MAX_YIELDS)
        {
            idles++;
            Thread.yield();
        }
        else
        {
            if (engineThread == null)
            {
                engineThread = Thread.currentThread();
            }
            sleeping = true;
            if (!commandsWaiting.getAsBoolean())
            {
                LockSupport.parkNanos(parkNs);
                parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
            }
            sleeping = false;
        }
    }

    public void reset()
    {
        idles = 0;
        parkNs = MIN_PARK_NS;
    }

    /**
     * Application side, after posting a command: unpark the engine if it sleeps.
     */
    public void wake()
    {
        if (sleeping)
        {
            LockSupport.unpark(engineThread);
        }
    }

    public String alias()
    {
        return "engine-backoff";
    }
}
