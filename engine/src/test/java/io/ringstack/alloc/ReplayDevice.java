package io.ringstack.alloc;

import io.ringstack.Ringstack;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import java.nio.ByteOrder;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A device whose wire is a few pre-built frames: once armed with a count, each {@link #receive} hands them over in
 * turn, over and over, up to {@code limit} a call until the count is used up. What the engine transmits is counted
 * and the last frame kept, copied into off-heap memory so that transmitting allocates nothing either.
 */
final class ReplayDevice implements NetworkDevice
{
    private static final int FRAME_CAPACITY = 2048;
    private static final int MAX_FRAMES = 8;

    private final UnsafeBuffer rxFrames =
        new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_FRAMES * FRAME_CAPACITY, 64));
    private final int[] rxLengths = new int[MAX_FRAMES];
    private final UnsafeBuffer txFrame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(FRAME_CAPACITY, 64));
    private final long macAddress;
    private int rxFrameCount;
    private int next;
    private long remaining;
    private int txLength;
    private long transmitted;

    ReplayDevice(final long macAddress)
    {
        this.macAddress = macAddress;
    }

    /**
     * Make {@code frame} the only frame on the wire.
     */
    void load(final DirectBuffer frame, final int length)
    {
        rxFrameCount = 0;
        next = 0;
        append(frame, length);
    }

    /**
     * Add {@code frame} after those on the wire.
     */
    void append(final DirectBuffer frame, final int length)
    {
        rxFrames.putBytes(rxFrameCount * FRAME_CAPACITY, frame, 0, length);
        rxLengths[rxFrameCount++] = length;
    }

    /**
     * The peer asks who has {@code ourAddress}: the engine answers through this device and learns the peer's MAC on
     * the way.
     */
    void introducePeer(final Ringstack stack, final long peerMac, final int peerAddress, final int ourAddress)
    {
        final UnsafeBuffer arp = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        final int payload = EthernetFrame.writeHeader(
            arp, 0, EthernetFrame.BROADCAST, peerMac, EthernetFrame.ETHER_TYPE_ARP);
        final int end = ArpPacket.write(
            arp, payload, ArpPacket.OPERATION_REQUEST, peerMac, peerAddress, 0, ourAddress);
        final long transmittedBefore = transmitted;
        stack.engine().injectFrame(arp, 0, end);
        assertEquals(transmittedBefore + 1, transmitted, () -> "ARP reply\n" + stack.diagnostics());
        assertEquals(EthernetFrame.ETHER_TYPE_ARP,
            txFrame.getShort(EthernetFrame.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }

    void arm(final long frames)
    {
        remaining += frames;
    }

    long remaining()
    {
        return remaining;
    }

    long transmitted()
    {
        return transmitted;
    }

    MutableDirectBuffer lastTransmitted()
    {
        return txFrame;
    }

    int lastTransmittedLength()
    {
        return txLength;
    }

    public String name()
    {
        return "replay";
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
        final int count = (int)Math.min(limit, remaining);
        for (int i = 0; i < count; i++)
        {
            handler.onFrame(rxFrames, next * FRAME_CAPACITY, rxLengths[next]);
            next = next + 1 == rxFrameCount ? 0 : next + 1;
        }
        remaining -= count;
        return count;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > txFrame.capacity())
        {
            return TX_OVERSIZE;
        }
        txFrame.putBytes(0, buffer, offset, length);
        txLength = length;
        transmitted++;
        return TX_OK;
    }
}
