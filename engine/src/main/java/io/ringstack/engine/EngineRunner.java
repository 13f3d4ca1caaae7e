package io.ringstack.engine;

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
 *       told otherwise, which a posted command wakes); application threads wait with a spin, yield, park back-off
 *       bounded by their deadline ({@link #backOff}).</li>
 * </ul>
 */
public final class EngineRunner implements AutoCloseable
{
    private static final int SPINS = 100;
    private static final int YIELDS = 10;
    private static final int MIN_PARK_SHIFT = 10;
    private static final long MAX_PARK_NS = 100_000;

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
            runner = new AgentRunner(idleStrategy, this::onError, null, engine);
            progress = idleStrategy instanceof EngineIdleStrategy ?
                new DedicatedProgress((EngineIdleStrategy)idleStrategy) : EngineRunner::backOff;
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
        return dedicated(engine, new EngineIdleStrategy(engine::hasCommands));
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
            final long parkNs = Math.min(1L << Math.min(attempt - SPINS - YIELDS + MIN_PARK_SHIFT, 20), MAX_PARK_NS);
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
        public void await(final int attempt, final long deadlineNs)
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
     * Waits on an engine on its own thread that idles with {@link EngineIdleStrategy}: a posted command wakes it.
     */
    private static final class DedicatedProgress implements Progress
    {
        private final EngineIdleStrategy idleStrategy;

        DedicatedProgress(final EngineIdleStrategy idleStrategy)
        {
            this.idleStrategy = idleStrategy;
        }

        public void await(final int attempt, final long deadlineNs)
        {
            backOff(attempt, deadlineNs);
        }

        public void posted()
        {
            idleStrategy.wake();
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
