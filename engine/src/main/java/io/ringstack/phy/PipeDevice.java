package io.ringstack.phy;

import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;

/**
 * A device straight on a {@link Link}, with no NIC model between: {@link #pair} joins two engines, each on its own
 * thread, by the two ends of a {@link Cable}, and {@link #on} puts an engine on any link, e.g. a Linux TAP, so
 * that frames go from the link to the engine and back with no model's rings and copies in the way. The E1000 and
 * VirtIO-net models in {@code drivers} are the devices that model a NIC.
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
     * A device whose wire is {@code link}: it receives what the link polls and transmits onto it.
     */
    public static PipeDevice on(final String name, final long macAddress, final Link link)
    {
        return new PipeDevice(name, macAddress, link);
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

    /**
     * @return what the wire cuts itself: a TAP with offload on, for one.
     */
    public int segmentOffloadBytes()
    {
        return wire.segmentOffloadBytes();
    }

    public int transmitSegmented(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        if (length - EthernetFrame.HEADER_LENGTH > wire.segmentOffloadBytes())
        {
            return transmit(buffer, offset, length);
        }
        return wire.sendSegmented(buffer, offset, length, segmentSize) ? TX_OK : TX_RING_FULL;
    }

    /**
     * @return the wire's own wait, if it has one.
     */
    public WireWait wireWait()
    {
        return wire.wireWait();
    }
}
