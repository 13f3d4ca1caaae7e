package io.ringstack.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;

/**
 * The engine's duty cycle as more than one thread may run it, one at a time: the engine's own thread, and an
 * application thread that busy-polls ({@link io.ringstack.config.Setting#BUSY_POLL_NS}) or posts a command while
 * that thread sleeps, as Linux's busy polling runs a device's NAPI poll in the caller's context
 * ({@code napi_busy_loop}) under the same ownership bit the softirq takes. A thread runs a cycle only after claiming
 * the engine with a compare-and-set and releases it with a release store, so each cycle sees everything the cycles
 * before it did, on whatever thread they ran: one thread at a time owns the engine, and ownership passes with a
 * happens-before edge.
 * <p>
 * A claim that fails loses no command as long as whoever released the engine looks at the command and doorbell rings
 * afterwards (the engine's idle strategy does before it sleeps, a helper before it leaves): the poster commits
 * before it tries to claim, so one of the two sees the other.
 */
public final class SharedDutyCycle implements Agent
{
    private static final int FREE = 0;
    private static final int CLAIMED = 1;
    private static final int CLOSED = 2;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(SharedDutyCycle.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Engine engine;
    private final ErrorHandler errorHandler;
    @SuppressWarnings("unused")
    private volatile int state;

    SharedDutyCycle(final Engine engine, final ErrorHandler errorHandler)
    {
        this.engine = engine;
        this.errorHandler = errorHandler;
    }

    /**
     * The engine's own thread: one duty cycle, or none while another thread runs one.
     */
    public int doWork()
    {
        if (!STATE.compareAndSet(this, FREE, CLAIMED))
        {
            return 0;
        }
        try
        {
            return engine.doWork();
        }
        finally
        {
            STATE.setRelease(this, FREE);
        }
    }

    /**
     * An application thread: one duty cycle, if no other thread runs one.
     *
     * @return the work done, or -1 when another thread runs the engine or it has stopped.
     */
    public int tryRun()
    {
        if (!STATE.compareAndSet(this, FREE, CLAIMED))
        {
            return -1;
        }
        try
        {
            return engine.doWork();
        }
        catch (final Throwable ex)
        {
            errorHandler.onError(ex);
            return 0;
        }
        finally
        {
            STATE.setRelease(this, FREE);
        }
    }

    /**
     * The engine's own thread, stopping: wait out a cycle another thread runs, keep the engine for good, and close
     * it.
     */
    public void onClose()
    {
        while (!STATE.compareAndSet(this, FREE, CLOSED))
        {
            Thread.onSpinWait();
        }
        engine.onClose();
    }

    public void onStart()
    {
        engine.onStart();
    }

    public String roleName()
    {
        return engine.roleName();
    }
}
