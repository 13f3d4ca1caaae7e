package io.ringstack.phy;

import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;

/**
 * A device straight on a {@link Link}, with no NIC model between: {@link #pair} joins two engines, each on its own
 * thread, by the two ends of a {@link Cable}. The E1000 and VirtIO-net models in {@code drivers} are the devices
 * that model a NIC.
 */
public final class PipeDevice implements NetworkDevice
{
    private final String name;
    private final long macAddress;
    private final Link wire;

    private PipeDevice(final String name, final long macAddress, final Link wire)
    {
        this.name = name;
        this.macAddress = macAddress;
        this.wire = wire;
    }

    /**
     * Two devices joined crosswise: what one transmits, the other receives.
     *
     * @param ringCapacity bytes per direction, a power of two.
     */
    public static PipeDevice[] pair(
        final String nameA, final long macA, final String nameB, final long macB, final int ringCapacity)
    {
        final Link[] ends = Cable.ends(ringCapacity);
        return new PipeDevice[]{ new PipeDevice(nameA, macA, ends[0]), new PipeDevice(nameB, macB, ends[1]) };
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
        return wire.poll(handler, limit);
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > EthernetFrame.MAX_FRAME_LENGTH)
        {
            return TX_OVERSIZE;
        }
        return wire.send(buffer, offset, length) ? TX_OK : TX_RING_FULL;
    }
}
