package io.ringstack.socket.local;

import io.ringstack.engine.Progress;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A blocking socket call made on a thread of its own, so that a test can see it block before it wakes it.
 * <p>
 * The facade's blocking calls are loops of attempts with a {@link Progress#await} between two of them, and
 * {@link #PROGRESS} reports every such wait to the call running on that thread. A call counts as blocked once it
 * has waited after a second fruitless attempt and its thread is then seen parked (WAITING or TIMED_WAITING) in the
 * back-off: it is inside the call, has found nothing twice and is sleeping on it. A call that returns first, or
 * never gets that far within the limit, fails the test with what it did.
 */
final class BlockingCall
{
    private static final ThreadLocal<BlockingCall> CURRENT = new ThreadLocal<>();
    /** Each blocked thread backs off on its own, starting afresh with every blocking call. */
    private static final ThreadLocal<BackoffIdleStrategy> IDLE = ThreadLocal.withInitial(BackoffIdleStrategy::new);
    private static final long POLL_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int NO_RESULT = Integer.MIN_VALUE;

    /**
     * How the facade's blocking calls wait between attempts: a back-off, reported to the call watching the thread.
     */
    static final Progress PROGRESS = BlockingCall::await;

    private final String name;
    private final Thread thread;
    private final AtomicInteger waits = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean retried;
    private volatile int result = NO_RESULT;
    private volatile Throwable failure;

    private BlockingCall(final String name, final IntSupplier call)
    {
        this.name = name;
        thread = new Thread(() -> run(call), name);
        thread.setDaemon(true);
    }

    /**
     * Start {@code call} on a new thread named {@code name}.
     */
    static BlockingCall start(final String name, final IntSupplier call)
    {
        final BlockingCall blockingCall = new BlockingCall(name, call);
        blockingCall.thread.start();
        return blockingCall;
    }

    /**
     * Wait until the call is blocked; fail if it returns first or is not seen blocked within {@code limit}.
     */
    void awaitBlocked(final Duration limit)
    {
        final long deadlineNs = System.nanoTime() + limit.toNanos();
        while (!(retried && isParked()))
        {
            if (finished.getCount() == 0)
            {
                fail(name + " returned " + outcome() + " before anything woke it");
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                fail(name + " not seen blocked within " + limit.toMillis() + " ms: " + describe());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }

    /**
     * @return what the call returned, once it has; fails if it has not returned within {@code limit}.
     */
    int result(final Duration limit) throws InterruptedException
    {
        if (!finished.await(limit.toNanos(), TimeUnit.NANOSECONDS))
        {
            fail(name + " still blocked after " + limit.toMillis() + " ms: " + describe());
        }
        if (failure != null)
        {
            throw new AssertionError(name + " failed", failure);
        }
        return result;
    }

    private static void await(final int attempt, final long sinceNs, final long deadlineNs)
    {
        final BlockingCall call = CURRENT.get();
        if (call != null)
        {
            call.onWait(attempt);
        }
        final BackoffIdleStrategy idle = IDLE.get();
        if (attempt == 0)
        {
            idle.reset();
        }
        idle.idle();
    }

    private void onWait(final int attempt)
    {
        waits.incrementAndGet();
        if (attempt >= 1)
        {
            retried = true;
        }
    }

    private void run(final IntSupplier call)
    {
        CURRENT.set(this);
        try
        {
            result = call.getAsInt();
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        finally
        {
            CURRENT.remove();
            finished.countDown();
        }
    }

    private boolean isParked()
    {
        final Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    private String outcome()
    {
        return failure != null ? failure.toString() : Integer.toString(result);
    }

    private String describe()
    {
        return "thread " + thread.getState() + " after " + waits.get() + " waits, at " +
            Arrays.toString(thread.getStackTrace());
    }
}
