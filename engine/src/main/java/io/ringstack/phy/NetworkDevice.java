package io.ringstack.phy;

import org.agrona.DirectBuffer;

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
}
