package io.ringstack.phy.relay;

import io.ringstack.phy.FaultInjectingDevice;

/**
 * What one direction of a relay does to the frames it carries: the {@link io.ringstack.phy.FaultModel}'s faults
 * (loss, corruption, duplication, reordering, from a seed), a one-way delay with jitter, a {@link Bottleneck}
 * (rate and queue), and the capacity of the {@link DelayLine}s that hold frames meanwhile. A reordered frame is held
 * {@link FaultInjectingDevice.Faults#holdNs()} longer than the others, so that the frames behind it overtake it.
 */
public final class Impairment
{
    /** Frames each delay line holds unless told otherwise: 20 ms of a gigabit of full frames, and some. */
    public static final int DEFAULT_LINE_FRAMES = 4096;
    /** Frames the bottleneck queue holds unless told otherwise, as {@code netem}'s default limit. */
    public static final int DEFAULT_QUEUE_FRAMES = 1000;

    private final FaultInjectingDevice.Faults faults;
    private long delayNs;
    private long jitterNs;
    private long rateBitsPerSecond;
    private int queueFrames = DEFAULT_QUEUE_FRAMES;
    private int lineFrames = DEFAULT_LINE_FRAMES;

    public Impairment(final FaultInjectingDevice.Faults faults)
    {
        this.faults = faults;
    }

    public FaultInjectingDevice.Faults faults()
    {
        return faults;
    }

    /**
     * One-way delay every frame waits (default 0).
     */
    public Impairment delayNs(final long delayNs)
    {
        this.delayNs = delayNs;
        return this;
    }

    /**
     * Each frame's delay varies by up to this much either way, drawn uniformly, but never so that a frame overtakes
     * the one before it: reordering is a fault of its own (default 0).
     */
    public Impairment jitterNs(final long jitterNs)
    {
        this.jitterNs = jitterNs;
        return this;
    }

    /**
     * The bottleneck's rate, 0 for none (the default).
     */
    public Impairment rateBitsPerSecond(final long rateBitsPerSecond)
    {
        this.rateBitsPerSecond = rateBitsPerSecond;
        return this;
    }

    /**
     * Frames the bottleneck's queue holds (default {@value #DEFAULT_QUEUE_FRAMES}); without a rate it holds none.
     */
    public Impairment queueFrames(final int queueFrames)
    {
        this.queueFrames = queueFrames;
        return this;
    }

    /**
     * Frames each of the direction's two delay lines holds (default {@value #DEFAULT_LINE_FRAMES}).
     */
    public Impairment lineFrames(final int lineFrames)
    {
        this.lineFrames = lineFrames;
        return this;
    }

    public long delayNs()
    {
        return delayNs;
    }

    public long jitterNs()
    {
        return jitterNs;
    }

    public long rateBitsPerSecond()
    {
        return rateBitsPerSecond;
    }

    public int queueFrames()
    {
        return queueFrames;
    }

    public int lineFrames()
    {
        return lineFrames;
    }
}
