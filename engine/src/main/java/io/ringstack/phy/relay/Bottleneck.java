package io.ringstack.phy.relay;

/**
 * A bottleneck link: a rate in bits per second and a queue in front of it that holds a fixed number of frames, as a
 * router's output port does. A frame admitted waits for the frames before it, then takes its length times eight
 * bits at the rate to go out (the Ethernet frame without preamble, FCS or gap); a frame that finds the queue full is
 * refused, a tail drop for the caller to count. Without a rate every frame leaves at once. One thread; nothing
 * allocates after construction.
 */
public final class Bottleneck
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bitsPerSecond;
    private final long[] departuresNs;
    private int head;
    private int size;
    private long busyUntilNs;

    /**
     * @param bitsPerSecond the rate, 0 for none.
     * @param queueFrames   frames waiting or going out at once, at least 1.
     */
    public Bottleneck(final long bitsPerSecond, final int queueFrames)
    {
        if (bitsPerSecond < 0 || queueFrames < 1)
        {
            throw new IllegalArgumentException(
                "a bottleneck needs a rate >= 0 and a queue of >= 1 frame: " + bitsPerSecond + ", " + queueFrames);
        }
        this.bitsPerSecond = bitsPerSecond;
        departuresNs = new long[bitsPerSecond == 0 ? 1 : queueFrames];
    }

    /**
     * Queue a frame of {@code length} bytes that arrives at {@code nowNs}; {@code nowNs} never goes backwards.
     *
     * @return when its last bit has left, or -1 when the queue is full.
     */
    public long admit(final long nowNs, final int length)
    {
        if (bitsPerSecond == 0)
        {
            return nowNs;
        }
        while (size > 0 && departuresNs[head] <= nowNs)
        {
            head = (head + 1) % departuresNs.length;
            size--;
        }
        if (size == departuresNs.length)
        {
            return -1;
        }
        busyUntilNs = Math.max(nowNs, busyUntilNs) + length * 8L * NANOS_PER_SECOND / bitsPerSecond;
        departuresNs[(head + size) % departuresNs.length] = busyUntilNs;
        size++;
        return busyUntilNs;
    }
}
