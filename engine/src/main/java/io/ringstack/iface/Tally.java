package io.ringstack.iface;

import org.agrona.concurrent.status.AtomicCounter;

/**
 * A per-frame counter: the engine thread counts in a plain field, at the cost of an add to a line it already holds,
 * and {@link EngineCounters#publish()} stores the count in its Agrona counter with one release store at the end of
 * each duty cycle. Readers ({@link #get()}, the counters file, {@code ringstack stat}) see the count exactly as it
 * stood at the end of the last cycle that published it.
 */
public final class Tally
{
    private final AtomicCounter counter;
    private long count;
    private long published;

    Tally(final AtomicCounter counter)
    {
        this.counter = counter;
    }

    /**
     * Count one; engine thread only.
     */
    public void increment()
    {
        count++;
    }

    /**
     * Count {@code delta}, which may be negative; engine thread only.
     */
    public void add(final long delta)
    {
        count += delta;
    }

    /**
     * @return the count as of the last publication; any thread.
     */
    public long get()
    {
        return counter.get();
    }

    AtomicCounter counter()
    {
        return counter;
    }

    /**
     * @return whether the count changed since the last publication; engine thread only.
     */
    boolean changed()
    {
        return count != published;
    }

    /**
     * Store the count in the counter if it changed since the last publication; engine thread only.
     */
    void publish()
    {
        if (changed())
        {
            published = count;
            counter.setRelease(count);
        }
    }
}
