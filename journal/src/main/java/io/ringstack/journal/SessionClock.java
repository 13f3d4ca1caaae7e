package io.ringstack.journal;

import org.agrona.concurrent.NanoClock;

import java.util.function.LongConsumer;

/**
 * The engine's clock as the journal hands it to the engine: readings pass through. The first reading is the
 * engine being built (its constructor reads the clock to start its timer wheel), so it is the moment the journal
 * completes its session header: the clock origin, which a replay must start from to fire timers on the same duty
 * cycles, and the engine context as the engine was built with it (its device, the MAC taken from the NIC).
 */
final class SessionClock implements NanoClock
{
    private final NanoClock delegate;
    private final LongConsumer onOrigin;
    private boolean read;

    /**
     * @param onOrigin told the first reading, on the thread that builds the engine.
     */
    SessionClock(final NanoClock delegate, final LongConsumer onOrigin)
    {
        this.delegate = delegate;
        this.onOrigin = onOrigin;
    }

    public long nanoTime()
    {
        final long nowNs = delegate.nanoTime();
        if (!read)
        {
            read = true;
            onOrigin.accept(nowNs);
        }
        return nowNs;
    }

    /**
     * @return {@code true} once the engine has read the clock.
     */
    boolean hasOrigin()
    {
        return read;
    }
}
