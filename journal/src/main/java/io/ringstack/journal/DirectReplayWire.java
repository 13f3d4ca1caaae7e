package io.ringstack.journal;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import java.util.Arrays;
import java.util.function.IntSupplier;
import org.agrona.DirectBuffer;

/**
 * The default replay wire: a device that hands the engine the recorded frames where they lie in the journal copy,
 * without copying them again, and answers each transmit as the recorded device did. Whether the device's transmit
 * ring was full is an input from the environment; the journal has it in each TX_FRAME's result, and this device
 * gives it back so the engine takes the same path. A TX_FRAME of the device interface only ever carries what a
 * device answered: {@link io.ringstack.iface.TxResult#SENT}, {@code NO_BUFFER}, {@code NOT_READY} or {@code OVERSIZE},
 * each equal to the {@link NetworkDevice} {@code TX_} code it came from, so it is given back as it is. The
 * interface's own {@code NO_ROUTE} is decided before a frame reaches any device and is never recorded.
 */
final class DirectReplayWire implements ReplayWire, NetworkDevice
{
    private final String name;
    private final long macAddress;
    private final int mtu;
    private final IntSupplier recordedTransmitResult;
    private DirectBuffer[] buffers = new DirectBuffer[64];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int[] offloads = new int[64];
    private int count;
    private int next;

    /**
     * @param recordedTransmitResult the result the journal recorded for the transmit being made, a device's
     *                               {@code TX_} code.
     */
    DirectReplayWire(final String name, final long macAddress, final int mtu, final IntSupplier recordedTransmitResult)
    {
        this.name = name;
        this.macAddress = macAddress;
        this.mtu = mtu;
        this.recordedTransmitResult = recordedTransmitResult;
    }

    public NetworkDevice device()
    {
        return this;
    }

    public void deliver(final DirectBuffer frame, final int offset, final int length, final int offloads)
    {
        if (count == buffers.length)
        {
            buffers = Arrays.copyOf(buffers, count * 2);
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            this.offloads = Arrays.copyOf(this.offloads, count * 2);
        }
        buffers[count] = frame;
        offsets[count] = offset;
        lengths[count] = length;
        this.offloads[count] = offloads;
        count++;
    }

    public void drain()
    {
        count = 0;
        next = 0;
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
        return mtu;
    }

    public int receive(final FrameHandler handler, final int limit)
    {
        int received = 0;
        while (next < count && received < limit)
        {
            final int i = next++;
            handler.onFrame(buffers[i], offsets[i], lengths[i], offloads[i]);
            received++;
        }
        return received;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        return recordedTransmitResult.getAsInt();
    }
}
