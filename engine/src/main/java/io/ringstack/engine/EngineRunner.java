package io.ringstack.engine;

import io.ringstack.config.Setting;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs an {@link Engine} in one of two modes and tells blocking calls how to wait for it:
 * <ul>
 *   <li>{@link #invoker}: embedded; the engine moves only when the owning thread calls {@link #invoke()}, and a
 *       blocking call on that thread runs duty cycles itself while it waits, as does each command posted without
 *       waiting. Deterministic; for tests and replay. Only the owning thread may make calls.</li>
 *   <li>{@link #dedicated}: the engine has its own thread with an idle strategy ({@link EngineIdleStrategy} unless
 *       told otherwise, which a posted command wakes). An application thread that waits busy-polls for
 *       {@link Setting#BUSY_POLL_NS}, running the engine's duty cycles itself whenever no other thread runs one
 *       ({@link SharedDutyCycle}), then backs off with a spin, yield, park bounded by its deadline
 *       ({@link #backOff}); a command it posts to a sleeping engine it carries out itself.</li>
 * </ul>
 */
public final class EngineRunner implements AutoCloseable
{
    private static final int SPINS = 100;
    private static final int YIELDS = 10;
    private static final int MIN_PARK_SHIFT = 10;
    private static final long MAX_PARK_NS = 100_000;
    /**
     * The longest park of a wait the engine unparks when what it waits for arrives ({@link Progress#awaitWoken}):
     * the engine announces everything such a wait returns, so this bounds only what a lost unpark could cost.
     */
    private static final long MAX_WOKEN_PARK_NS = 10_000_000;

    private final Engine engine;
    private final AgentInvoker invoker;
    private final AgentRunner runner;
    private final Progress progress;
    private final AtomicLong errors = new AtomicLong();
    private volatile Throwable lastError;

    private EngineRunner(final Engine engine, final IdleStrategy idleStrategy, final boolean dedicated)
    {
        this.engine = engine;
        if (dedicated)
        {
            invoker = null;
            final SharedDutyCycle cycle = new SharedDutyCycle(engine, this::onError);
            runner = new AgentRunner(idleStrategy, this::onError, null, cycle);
            progress = idleStrategy instanceof EngineIdleStrategy ? new DedicatedProgress(
                engine, cycle, (EngineIdleStrategy)idleStrategy,
                engine.context().settings().longValue(Setting.BUSY_POLL_NS)) :
                (attempt, sinceNs, deadlineNs) -> backOff(attempt, deadlineNs);
            AgentRunner.startOnThread(runner);
        }
        else
        {
            invoker = new AgentInvoker(this::onError, null, engine);
            runner = null;
            invoker.start();
            progress = new EmbeddedProgress();
        }
    }

    public static EngineRunner invoker(final Engine engine)
    {
        return new EngineRunner(engine, null, false);
    }

    public static EngineRunner dedicated(final Engine engine)
    {
        return dedicated(engine, new EngineIdleStrategy(engine::hasPosted,
            engine.context().device() == null ? null : engine.context().device().wireWait(),
            engine::nanosUntilTimersDue));
    }

    public static EngineRunner dedicated(final Engine engine, final IdleStrategy idleStrategy)
    {
        return new EngineRunner(engine, idleStrategy, true);
    }

    public Engine engine()
    {
        return engine;
    }

    public boolean isDedicated()
    {
        return runner != null;
    }

    /**
     * How blocking calls wait for this engine.
     */
    public Progress progress()
    {
        return progress;
    }

    /**
     * Run one duty cycle; embedded mode only.
     *
     * @return the work done.
     */
    public int invoke()
    {
        if (invoker == null)
        {
            throw new IllegalStateException("the engine runs on its own thread; invoke() is for embedded mode");
        }
        return invoker.invoke();
    }

    /**
     * @return errors that escaped the engine's duty cycle: always a defect, never expected.
     */
    public long errorCount()
    {
        return errors.get();
    }

    public Throwable lastError()
    {
        return lastError;
    }

    private void onError(final Throwable error)
    {
        errors.incrementAndGet();
        lastError = error;
    }

    /**
     * Spin, then yield, then park for growing intervals, from a microsecond up to {@value #MAX_PARK_NS} ns, never
     * past {@code deadlineNs}: the phases of Agrona's {@code BackoffIdleStrategy}, counted by the caller's attempts
     * so that any number of threads may wait at once without state of their own.
     */
    public static void backOff(final int attempt, final long deadlineNs)
    {
        backOff(attempt, deadlineNs, false);
    }

    /**
     * {@link #backOff(int, long)}, or, {@code woken}, for a wait the engine unparks when what it waits for arrives:
     * the same spins and yields, then parks of {@link #MAX_WOKEN_PARK_NS} from the first, since the unpark ends a
     * park early and the short parks {@link #backOff(int, long)} climbs through would only wake the thread for
     * nothing.
     */
    private static void backOff(final int attempt, final long deadlineNs, final boolean woken)
    {
        if (attempt < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (attempt < SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            final long parkNs = woken ? MAX_WOKEN_PARK_NS :
                Math.min(1L << Math.min(attempt - SPINS - YIELDS + MIN_PARK_SHIFT, 20), MAX_PARK_NS);
            final long remainingNs = deadlineNs - System.nanoTime();
            if (remainingNs > 0)
            {
                LockSupport.parkNanos(Math.min(parkNs, remainingNs));
            }
        }
    }

    /**
     * Waits of an embedded engine: a duty cycle on the caller's thread, backing off only when it did no work.
     */
    private final class EmbeddedProgress implements Progress
    {
        public void await(final int attempt, final long sinceNs, final long deadlineNs)
        {
            if (invoker.invoke() == 0)
            {
                backOff(attempt, deadlineNs);
            }
        }

        public void posted()
        {
            invoker.invoke();
        }
    }

    /**
     * Waits on an engine on its own thread that idles with {@link EngineIdleStrategy}: busy polling first, for
     * {@code busyPollNs}: a duty cycle on this thread when no other thread runs one and there is work for it
     * ({@link #HELP_INTERVAL_MASK}), else a spin, from the {@value #BUSY_POLL_SPINS}th poll on a yield, which on two
     * cores lets two polling threads that share one take turns; then {@link #backOff}. A post or a doorbell to a sleeping engine runs its duty cycle on the
     * caller's thread when busy polling is on, else wakes the engine's thread.
     */
    private static final class DedicatedProgress implements Progress
    {
        private static final int HELP_PASSES = 4;
        /** Polls of a busy-polling wait that spin; later ones yield the processor first. */
        private static final int BUSY_POLL_SPINS = 100;
        /**
         * A busy-polling wait runs a duty cycle when a command or doorbell waits, else every 16th poll only (for the
         * device and the timers): between those it reads only its own socket, so two waiting threads do not take the
         * engine from each other, nor wait on one that was preempted holding it.
         */
        private static final int HELP_INTERVAL_MASK = 15;

        private final Engine engine;
        private final SharedDutyCycle cycle;
        private final EngineIdleStrategy idleStrategy;
        private final long busyPollNs;

        DedicatedProgress(
            final Engine engine, final SharedDutyCycle cycle, final EngineIdleStrategy idleStrategy,
            final long busyPollNs)
        {
            this.engine = engine;
            this.cycle = cycle;
            this.idleStrategy = idleStrategy;
            this.busyPollNs = busyPollNs;
        }

        public void await(final int attempt, final long sinceNs, final long deadlineNs)
        {
            await(attempt, sinceNs, deadlineNs, false);
        }

        public void awaitWoken(final int attempt, final long sinceNs, final long deadlineNs)
        {
            await(attempt, sinceNs, deadlineNs, true);
        }

        private void await(final int attempt, final long sinceNs, final long deadlineNs, final boolean woken)
        {
            if (busyPollNs > 0 && System.nanoTime() - sinceNs < busyPollNs)
            {
                if (((attempt & HELP_INTERVAL_MASK) != 0 && !engine.hasPosted()) || help() <= 0)
                {
                    if (attempt < BUSY_POLL_SPINS)
                    {
                        Thread.onSpinWait();
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
            }
            else
            {
                backOff(attempt, deadlineNs, woken);
            }
        }

        public void posted()
        {
            if (idleStrategy.isSleeping())
            {
                if (busyPollNs > 0)
                {
                    help();
                }
                else
                {
                    idleStrategy.wake();
                }
            }
        }

        public void rang()
        {
            posted();
        }

        /**
         * Run duty cycles on this thread while no other thread runs one and commands or doorbells wait after the
         * last, {@value #HELP_PASSES} at most; past that, wake the engine's thread to take the rest. A claim that
         * fails needs nothing more: whoever holds the engine looks at the rings after releasing it.
         *
         * @return the work done, or -1 when another thread ran the engine.
         */
        private int help()
        {
            int work = -1;
            for (int pass = 0; pass < HELP_PASSES; pass++)
            {
                final int done = cycle.tryRun();
                if (done < 0)
                {
                    return work;
                }
                work = Math.max(work, 0) + done;
                if (!engine.hasPosted())
                {
                    return work;
                }
            }
            idleStrategy.wake();
            return work;
        }
    }

    public void close()
    {
        if (runner != null)
        {
            CloseHelper.close(runner);
        }
        else
        {
            CloseHelper.close(invoker);
        }
    }
}
