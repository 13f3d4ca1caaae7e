package io.ringstack.journal;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * Another device for a replay: it copies each delivered frame into its own memory, as a NIC's DMA would, hands the
 * copies to the engine, and accepts every transmit, whatever the recorded device answered.
 */
final class CopyingReplayWire implements ReplayWire, NetworkDevice
{
    private final SessionHeader header;
    private final ExpandableArrayBuffer memory = new ExpandableArrayBuffer(64 * 1024);
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int[] offloads = new int[64];
    private int count;
    private int used;
    private int next;

    CopyingReplayWire(final SessionHeader header)
    {
        this.header = header;
    }

    public NetworkDevice device()
    {
        return this;
    }

    public void deliver(final DirectBuffer frame, final int offset, final int length, final int offloads)
    {
        if (count == offsets.length)
        {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
            this.offloads = Arrays.copyOf(this.offloads, count * 2);
        }
        memory.putBytes(used, frame, offset, length);
        offsets[count] = used;
        lengths[count] = length;
        this.offloads[count] = offloads;
        used += length;
        count++;
    }

    public void drain()
    {
        count = 0;
        used = 0;
        next = 0;
    }

    public String name()
    {
        return "copying";
    }

    public long macAddress()
    {
        return header.interfaceConfig().macAddress();
    }

    public int mtu()
    {
        return EthernetFrame.MAX_PAYLOAD_LENGTH;
    }

    public int receive(final FrameHandler handler, final int limit)
    {
        int received = 0;
        while (next < count && received < limit)
        {
            handler.onFrame(memory, offsets[next], lengths[next], offloads[next]);
            next++;
            received++;
        }
        return received;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        return TX_OK;
    }
}
