package io.ringstack.phy;

import org.agrona.DirectBuffer;

/**
 * The wire side of a device: what it puts on the wire and what arrives from it. A {@link Cable} joins two ends; in
 * {@code drivers} a UDP-datagram link reaches a Linux TAP, and the E1000 and VirtIO-net models sit on a link.
 * <p>
 * A link is the medium, not an interface, and so not a {@link NetworkDevice}: it has no name, MAC address or MTU,
 * carries whatever frame it has room for, and answers a send only with taken or full. A full wire is a loss for the
 * device on it to count, where a {@link NetworkDevice} tells the engine why a transmit failed so that it may retry.
 * {@link PipeDevice} is the engine's side of a link with no NIC model between.
 */
public interface Link extends AutoCloseable
{
    /**
     * Put one Ethernet frame (without FCS) on the wire; the bytes are copied before this returns.
     *
     * @return {@code true} if the wire took it, {@code false} if it is full.
     */
    boolean send(DirectBuffer frame, int offset, int length);

    /**
     * Hand over the frames sent since the last flush, at the end of a burst of {@link #send}s. A wire that gathers
     * its frames and hands them to the kernel with one system call per burst (a packet socket's transmit ring) does
     * it now; else, the default, there is nothing to do, each frame having gone in its own {@link #send}. A wire
     * that gathers does it in its next {@link #poll} too, so a sender that never flushes delays its frames by at
     * most one poll.
     */
    default void flush()
    {
    }

    /**
     * Hand up to {@code limit} frames that arrived from the wire to {@code handler}.
     *
     * @return how many were handed over.
     */
    int poll(FrameHandler handler, int limit);

    /**
     * @return the largest IP packet of one TCP segment the wire takes in one frame and cuts itself
     * ({@link NetworkDevice#segmentOffloadBytes()}); 0, the default, for a wire that carries only frames that fit
     * the MTU.
     */
    default int segmentOffloadBytes()
    {
        return 0;
    }

    /**
     * Put one Ethernet frame carrying a TCP segment larger than the MTU on the wire, for the other side to cut into
     * segments of {@code segmentSize} payload bytes, as {@link NetworkDevice#transmitSegmented} describes it.
     *
     * @return {@code true} if the wire took it, {@code false} if it is full or cannot take it.
     */
    default boolean sendSegmented(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        return send(frame, offset, length);
    }

    /**
     * {@link #sendSegmented(DirectBuffer, int, int, int)} for a frame in two pieces, as {@code sendmsg(2)} gathers
     * its iovecs: its headers in one buffer, then its payload where it lies in another. A NIC model that had to
     * rewrite a segment's headers for the wire does so in a copy of the headers alone, and hands the payload on
     * straight from guest memory. Only a wire that cuts segments ({@link #segmentOffloadBytes()} &gt; 0) is asked;
     * every such wire takes it, and the default, for the others, refuses it.
     *
     * @return {@code true} if the wire took it, {@code false} if it is full or cannot take it.
     */
    default boolean sendSegmented(
        final DirectBuffer headers, final int headersOffset, final int headersLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength, final int segmentSize)
    {
        return false;
    }

    /**
     * Ask the wire to hand over the TCP segments larger than the MTU that arrive on it whole ({@code true}), as a
     * TAP does with {@code TUN_F_TSO4}, or cut to the MTU ({@code false}), as a Linux host does for a virtio-net
     * device whose guest has no buffers for them ({@code virtio_net_apply_guest_offloads}). Only a wire that takes
     * such segments to cut ({@link #segmentOffloadBytes()} &gt; 0) can hand them over whole; a NIC model asks for it
     * once its driver has said it has the buffers. Called while the NIC is set up, never on the frame path.
     *
     * @return whether the wire now hands them over whole.
     */
    default boolean receiveSegments(final boolean whole)
    {
        return false;
    }

    /**
     * @return a wait that ends when this wire has a frame to read, or {@code null}, the default, when the wire has
     * nothing to wait on and its reader must look now and then.
     */
    default WireWait wireWait()
    {
        return null;
    }

    /**
     * @return a wait that ends when this wire or {@code other}'s has a frame to read, for a reader of both (a relay),
     * made on the first call and closed with this link; or {@code null}, the default, when either wire has nothing to
     * wait on.
     */
    default WireWait wireWaitWith(final Link other)
    {
        return null;
    }

    default void close()
    {
    }
}
