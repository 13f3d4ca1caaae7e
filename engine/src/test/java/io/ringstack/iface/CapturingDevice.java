package io.ringstack.iface;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.EthernetFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A device for tests: {@link #receive} hands over the frames a test {@link #inject}ed, each in a buffer of exactly
 * its own length (so that any read past the end of a frame fails Agrona's bounds check), and {@link #transmit}
 * copies every frame the engine sends into a list the test {@link #takeTransmitted takes}. Single threaded: the
 * test thread is also the engine thread.
 */
final class CapturingDevice implements NetworkDevice
{
    private final String name;
    private final long macAddress;
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private final List<byte[]> transmitted = new ArrayList<>();
    private int transmitResult = TX_OK;

    CapturingDevice(final String name, final long macAddress)
    {
        this.name = name;
        this.macAddress = macAddress;
    }

    /**
     * Queue a frame for the engine to receive on its next duty cycle.
     */
    void inject(final byte[] frame)
    {
        received.addLast(frame.clone());
    }

    /**
     * @return the frames transmitted since the last call, oldest first; the device forgets them.
     */
    List<byte[]> takeTransmitted()
    {
        final List<byte[]> frames = new ArrayList<>(transmitted);
        transmitted.clear();
        return frames;
    }

    /**
     * @return frames transmitted and not yet taken.
     */
    int transmittedCount()
    {
        return transmitted.size();
    }

    /**
     * @return frames injected and not yet received by the engine.
     */
    int pendingReceive()
    {
        return received.size();
    }

    /**
     * Make every following {@link #transmit} return {@code result} (e.g. {@link #TX_RING_FULL}) without sending.
     */
    void transmitResult(final int result)
    {
        transmitResult = result;
    }

    public String name()
    {
        return name;
    }

    public long macAddress()
    {
        return macAddress;
    }

    public int mtu()
    {
        return EthernetFrame.MAX_PAYLOAD_LENGTH;
    }

    public int receive(final FrameHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && !received.isEmpty())
        {
            final byte[] frame = received.removeFirst();
            count++;
            handler.onFrame(new UnsafeBuffer(frame), 0, frame.length);
        }
        return count;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (transmitResult != TX_OK)
        {
            return transmitResult;
        }
        if (length > EthernetFrame.MAX_FRAME_LENGTH)
        {
            return TX_OVERSIZE;
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        transmitted.add(frame);
        return TX_OK;
    }
}
