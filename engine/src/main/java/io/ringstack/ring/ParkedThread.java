package io.ringstack.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The application thread that waits for the engine to move a ring, named before it parks so that the engine, having
 * moved the ring, unparks it at once rather than leave it to sleep out its park: a datagram landing in a UDP
 * socket's ring, bytes or the end of stream in a TCP receive ring, room made in a TCP send ring. The engine reads
 * one field per move and unparks only a thread that asked, once: the name is taken as it is woken. A thread that
 * stops waiting clears the name; one that finds its wait ended by someone else's wake has lost nothing but a park.
 */
public final class ParkedThread
{
    private static final VarHandle THREAD;

    static
    {
        try
        {
            THREAD = MethodHandles.lookup().findVarHandle(ParkedThread.class, "thread", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile Thread thread;

    /**
     * Application side: name the thread to unpark when the ring moves, or {@code null} once it no longer waits.
     */
    public void name(final Thread waiting)
    {
        thread = waiting;
    }

    /**
     * Engine side, after moving the ring: unpark the thread waiting for it, if any. The ring moved by a release store,
     * which a later load may overtake (a store buffer holds it); the full fence keeps the load of the name after it,
     * as the waiter's volatile store of its name comes before its last look at the ring. Without it each side could
     * miss the other, a store then a load on both, and the waiter would sleep out its park with the ring ready.
     */
    public void wake()
    {
        VarHandle.fullFence();
        final Thread waiting = thread;
        if (waiting != null && THREAD.compareAndSet(this, waiting, null))
        {
            LockSupport.unpark(waiting);
        }
    }
}
