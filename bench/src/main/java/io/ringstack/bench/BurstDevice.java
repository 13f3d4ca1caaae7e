package io.ringstack.bench;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A device that hands the engine the same frame {@code burst} times on each receive, in place, as a NIC's receive
 * ring full of one frame would, and takes every transmitted frame without copying it: the dispatcher's cost with
 * no device model around it. Engine thread only.
 */
final class BurstDevice implements NetworkDevice
{
    private final long macAddress;
    private UnsafeBuffer frame;
    private int frameLength;
    private int burst;
    private long received;
    private long transmitted;

    BurstDevice(final long macAddress)
    {
        this.macAddress = macAddress;
    }

    /**
     * Hand {@code frame} over {@code burst} times on each receive from now on; 0 stops.
     */
    void feed(final UnsafeBuffer frame, final int frameLength, final int burst)
    {
        this.frame = frame;
        this.frameLength = frameLength;
        this.burst = burst;
    }

    long received()
    {
        return received;
    }

    long transmitted()
    {
        return transmitted;
    }

    public String name()
    {
        return "burst0";
    }

    public long macAddress()
    {
        return macAddress;
    }

    public int mtu()
    {
        return 1500;
    }

    public int receive(final FrameHandler handler, final int limit)
    {
        final int count = Math.min(limit, burst);
        for (int i = 0; i < count; i++)
        {
            handler.onFrame(frame, 0, frameLength);
        }
        received += count;
        return count;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        transmitted++;
        return TX_OK;
    }
}
