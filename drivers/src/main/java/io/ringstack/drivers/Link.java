package io.ringstack.drivers;

import io.ringstack.phy.FrameHandler;
import org.agrona.DirectBuffer;

/**
 * The wire side of a device model: what the NIC puts on the wire and what arrives from it. A {@link Cable} joins
 * two device models; a UDP-datagram link reaches a Linux TAP; decorators (fault injection, capture) wrap any link.
 */
public interface Link extends AutoCloseable
{
    /**
     * Put one Ethernet frame (without FCS) on the wire; the bytes are copied before this returns.
     *
     * @return {@code true} if the wire took it, {@code false} if it is full (the model counts the loss).
     */
    boolean send(DirectBuffer frame, int offset, int length);

    /**
     * Hand up to {@code limit} frames that arrived from the wire to {@code handler}.
     *
     * @return how many were handed over.
     */
    int poll(FrameHandler handler, int limit);

    default void close()
    {
    }
}
