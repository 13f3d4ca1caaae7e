package io.ringstack.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Runs an {@link Engine} in one of two modes and tells blocking calls how to wait for it:
 * <ul>
 *   <li>{@link #invoker}: embedded; the engine moves only when the owning thread calls {@link #invoke()}, and a
 *       blocking call on that thread runs duty cycles itself while it waits. Deterministic; for tests and replay.
 *       Only the owning thread may make calls.</li>
 *   <li>{@link #dedicated}: the engine has its own thread with an idle strategy; application threads wait with a
 *       spin, yield, park back-off.</li>
 * </ul>
 */
public final class EngineRunner implements AutoCloseable
{
    private static final int SPINS = 64;
    private static final int YIELDS = 64;
    private static final long MAX_PARK_NS = 1_000_000;

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
            progress = EngineRunner::backOff;
            AgentRunner.startOnThread(runner);
        }
        else
        {
            invoker = new AgentInvoker(this::onError, null, engine);
            runner = null;
            invoker.start();
            progress = new Progress()
            {
                public void await(final int attempt)
                {
                    invokeWhileWaiting(attempt);
                }

                public void posted()
                {
                    invoker.invoke();
                }
            };
        }
    }

    public static EngineRunner invoker(final Engine engine)
    {
        return new EngineRunner(engine, null, false);
    }

    public static EngineRunner dedicated(final Engine engine)
    {
        return dedicated(engine, new BackoffIdleStrategy());
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

    private void invokeWhileWaiting(final int attempt)
    {
        if (invoker.invoke() == 0)
        {
            backOff(attempt);
        }
    }

    /**
     * Spin, then yield, then park for growing intervals up to a millisecond.
     */
    public static void backOff(final int attempt)
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
            LockSupport.parkNanos(Math.min(1L << Math.min(attempt - SPINS - YIELDS + 10, 20), MAX_PARK_NS));
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
