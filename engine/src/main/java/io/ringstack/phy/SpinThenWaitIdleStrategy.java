package io.ringstack.phy;

import org.agrona.concurrent.IdleStrategy;

/**
 * The shape of an idle strategy that spins, then yields, then waits longer, as Agrona's {@code BackoffIdleStrategy}
 * begins: a run of idle polls first spins ({@link Thread#onSpinWait}) {@code spins} times, then yields the processor
 * {@code yields} times, then takes the subclass's longer wait ({@link #waitLonger}) on every poll until work resets
 * it. What the longer wait is (a park, or a sleep in the kernel on a wire) is the subclass's.
 */
public abstract class SpinThenWaitIdleStrategy implements IdleStrategy
{
    private final int spins;
    private final int yields;
    private int idles;

    protected SpinThenWaitIdleStrategy(final int spins, final int yields)
    {
        this.spins = spins;
        this.yields = yields;
    }

    public final void idle(final int workCount)
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

    public final void idle()
    {
        if (idles < spins)
        {
            idles++;
            Thread.onSpinWait();
        }
        else if (idles < spins + yields)
        {
            if (idles++ == spins)
            {
                onFirstYield();
            }
            Thread.yield();
        }
        else
        {
            waitLonger();
        }
    }

    public void reset()
    {
        idles = 0;
    }

    /**
     * Called once per run of idle polls, before the first yield.
     */
    protected void onFirstYield()
    {
    }

    /**
     * An idle poll past the spins and the yields: wait longer, by the subclass's means.
     */
    protected abstract void waitLonger();
}
