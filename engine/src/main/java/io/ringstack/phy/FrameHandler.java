package io.ringstack.phy;

import org.agrona.DirectBuffer;

/**
 * Receives Ethernet frames from a {@link NetworkDevice} (or a device model from its {@link Link}). The bytes are
 * valid only during the call.
 */
@FunctionalInterface
public interface FrameHandler
{
    /**
     * Offload flag: the frame's TCP or UDP checksum is known to be right, so the stack need not sum the segment
     * again, Linux's {@code CHECKSUM_UNNECESSARY}. A device sets it when it checked the checksum itself (an 8254x
     * with RXCSUM.TUOFLD reports TCPCS, a virtio-net device with {@code GUEST_CSUM} sets {@code DATA_VALID}); a link
     * sets it when the kernel vouched for the frame (a TAP's {@code DATA_VALID}, or a checksum the kernel left
     * partial and the link finished, of data that never crossed a wire). The frame's checksum field still holds the
     * right checksum, so a journal of it replays through any device.
     */
    int CHECKSUM_GOOD = 1;

    void onFrame(DirectBuffer buffer, int offset, int length);

    /**
     * {@link #onFrame(DirectBuffer, int, int)} with the offloads the device or link took for the frame.
     *
     * @param offloads {@link #CHECKSUM_GOOD} or 0; a handler that does not override this ignores them, which is
     *                 always safe: the stack then checks the checksum itself.
     */
    default void onFrame(final DirectBuffer buffer, final int offset, final int length, final int offloads)
    {
        onFrame(buffer, offset, length);
    }
}
