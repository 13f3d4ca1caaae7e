package io.ringstack.phy;

import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;

/**
 * A device whose wire is a pair of {@link FrameRing}s: {@link #pair} joins two engines, each on its own thread, as
 * if by a cable. It models no NIC; the E1000 and VirtIO-net models in {@code drivers} are the devices that do.
 */
public final class PipeDevice implements NetworkDevice
{
    private final String name;
    private final long macAddress;
    private final FrameRing receiveRing;
    private final FrameRing transmitRing;

    private PipeDevice(
        final String name, final long macAddress, final FrameRing receiveRing, final FrameRing transmitRing)
    {
        this.name = name;
        this.macAddress = macAddress;
        this.receiveRing = receiveRing;
        this.transmitRing = transmitRing;
    }

    /**
     * Two devices joined crosswise: what one transmits, the other receives.
     *
     * @param ringCapacity bytes per direction, a power of two.
     */
    public static PipeDevice[] pair(
        final String nameA, final long macA, final String nameB, final long macB, final int ringCapacity)
    {
        final FrameRing aToB = new FrameRing(ringCapacity);
        final FrameRing bToA = new FrameRing(ringCapacity);
        return new PipeDevice[]{ new PipeDevice(nameA, macA, bToA, aToB), new PipeDevice(nameB, macB, aToB, bToA) };
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
        return receiveRing.poll(handler, limit);
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > EthernetFrame.MAX_FRAME_LENGTH)
        {
            return TX_OVERSIZE;
        }
        return transmitRing.offer(buffer, offset, length) ? TX_OK : TX_RING_FULL;
    }
}
