package io.ringstack.phy;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What the engine sees of a network interface: a source of received Ethernet frames and a sink for frames to send.
 * The engine thread is the only caller. Implementations are device drivers (E1000, VirtIO-net), pipes between
 * engines, and decorators stacked around any of them. It is the interface above a NIC; the wire below one is a
 * {@link Link}, which has no identity and reports only whether it took a frame.
 */
public interface NetworkDevice
{
    /** The frame was accepted for transmission. */
    int TX_OK = 0;
    /** The transmit ring is full; try again after the device has made progress. */
    int TX_RING_FULL = -1;
    /** The device is not initialised, not enabled, or its link is down. */
    int TX_NOT_READY = -2;
    /** The frame is larger than the device can send. */
    int TX_OVERSIZE = -3;

    String name();

    /**
     * @return the device's MAC address, low 48 bits.
     */
    long macAddress();

    /**
     * @return the largest IP packet the device carries, 1500 for Ethernet.
     */
    int mtu();

    /**
     * Hand up to {@code limit} received frames to {@code handler}.
     *
     * @return how many frames were handed over.
     */
    int receive(FrameHandler handler, int limit);

    /**
     * Queue one Ethernet frame (without FCS) for transmission; the bytes are copied before this returns.
     *
     * @return {@link #TX_OK} or one of the negative {@code TX_} codes.
     */
    int transmit(DirectBuffer buffer, int offset, int length);

    /**
     * @return the largest IP packet carrying one TCP segment that the device takes whole and cuts into segments that
     * fit its MTU itself (TCP segmentation offload, as a NIC's TSO or a Linux TAP's {@code TUN_F_TSO4}); 0, the
     * default, when it cannot, and every frame it is given must fit the MTU.
     */
    default int segmentOffloadBytes()
    {
        return 0;
    }

    /**
     * Queue one Ethernet frame carrying an IPv4 TCP segment of up to {@link #segmentOffloadBytes()} bytes of IP
     * packet, for the device to cut into segments of {@code segmentSize} payload bytes each (the last may be
     * shorter), every one with a copy of the headers, the IP identification counting up, and its own checksums. The
     * frame's IP header is complete and its TCP checksum field holds the folded sum of the pseudo-header (with the
     * whole segment's TCP length) and nothing else, as Linux leaves it for a device with checksum offload. A device
     * that cannot segment takes it as any frame: one larger than its MTU is {@link #TX_OVERSIZE}.
     *
     * @return {@link #TX_OK} or one of the negative {@code TX_} codes.
     */
    default int transmitSegmented(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        return transmit(buffer, offset, length);
    }

    /**
     * Lend the device's own transmit memory for the next frame carrying a TCP segment to cut, as smoltcp's
     * {@code TxToken} lends a device's buffer: the caller writes the whole frame of {@code length} bytes at the
     * returned offset of {@link #transmitBuffer()} and queues it with {@link #commitSegmented} before it calls the
     * device again, so that the segment's payload is copied once, from the socket's ring into the buffer the device
     * reads. The frame is larger than the MTU and at most {@link #segmentOffloadBytes()} bytes of IP packet, its
     * headers and checksum field as {@link #transmitSegmented} takes them. Nothing is counted here.
     *
     * @return where the frame starts in {@link #transmitBuffer()}, or -1 when the device lends none now (the default:
     * it has no such memory; or it has no room in one piece): then build the frame elsewhere and hand it to
     * {@link #transmitSegmented}, which counts what befalls it.
     */
    default int claimSegmented(final int length)
    {
        return -1;
    }

    /**
     * @return the memory a {@link #claimSegmented} claim lends, {@code null} for a device that lends none.
     */
    default MutableDirectBuffer transmitBuffer()
    {
        return null;
    }

    /**
     * Queue the frame written where {@link #claimSegmented} said, of the length claimed, for the device to cut as
     * {@link #transmitSegmented} does; the claim found the room, so it is queued.
     *
     * @return {@link #TX_OK}, or {@link #TX_OVERSIZE} for a segment size of 0 (counted on the device).
     */
    default int commitSegmented(final int claimed, final int length, final int segmentSize)
    {
        return TX_NOT_READY;
    }

    /**
     * @return a wait that ends when the device's wire has a frame for it ({@link Link#wireWait()}), or {@code null},
     * the default, when the engine must look at the device now and then.
     */
    default WireWait wireWait()
    {
        return null;
    }
}
