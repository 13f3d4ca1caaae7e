package io.ringstack.phy;

import io.ringstack.wire.EthernetFrame;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * A device whose wire is a pair of off-heap single-producer/single-consumer rings: {@link #pair} joins two
 * engines, each on its own thread, as if by a cable. It models no NIC; the E1000 and VirtIO-net models in
 * {@code drivers} are the devices that do.
 */
public final class PipeDevice implements NetworkDevice
{
    private static final int FRAME_MESSAGE = 1;

    private final String name;
    private final long macAddress;
    private final OneToOneRingBuffer receiveRing;
    private final OneToOneRingBuffer transmitRing;
    private FrameHandler handler;
    private final MessageHandler dispatch =
        (msgTypeId, buffer, index, length) -> handler.onFrame(buffer, index, length);

    private PipeDevice(
        final String name,
        final long macAddress,
        final OneToOneRingBuffer receiveRing,
        final OneToOneRingBuffer transmitRing)
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
        final OneToOneRingBuffer aToB = newRing(ringCapacity);
        final OneToOneRingBuffer bToA = newRing(ringCapacity);
        return new PipeDevice[]{ new PipeDevice(nameA, macA, bToA, aToB), new PipeDevice(nameB, macB, aToB, bToA) };
    }

    private static OneToOneRingBuffer newRing(final int capacity)
    {
        return new OneToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
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
        this.handler = handler;
        return receiveRing.read(dispatch, limit);
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > EthernetFrame.MAX_FRAME_LENGTH)
        {
            return TX_OVERSIZE;
        }
        return transmitRing.write(FRAME_MESSAGE, buffer, offset, length) ? TX_OK : TX_RING_FULL;
    }
}
