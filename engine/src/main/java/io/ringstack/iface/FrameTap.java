package io.ringstack.iface;

import org.agrona.DirectBuffer;

/**
 * Where the interface layer reports the frames that go in and out, for the journal: received frames with their
 * verdict, transmitted frames with their result. Called on the engine thread only; implementations must not
 * allocate, block for long or throw.
 * <p>
 * A received frame is reported by {@link #onRxFrame} before it is dispatched and by {@link #onRxVerdict} after, so
 * that what it causes (replies, deliveries) comes between the two.
 */
public interface FrameTap
{
    /** The interface of frames to and from the device. */
    int INTERFACE_DEVICE = 0;
    /** The interface of frames through the loopback ring: produced by this engine, never an input. */
    int INTERFACE_LOOPBACK = 1;

    /**
     * {@link #onRxVerdict} verdict of a delivered frame; any other verdict is {@link #HELD} or a {@link DropReason}
     * ordinal.
     */
    int DELIVERED = -1;
    /**
     * {@link #onRxVerdict} verdict of a fragment held for reassembly: it is counted with its datagram's fate, when
     * the datagram completes, fails or times out.
     */
    int HELD = -3;

    /**
     * @param offloads the device's offload flags for the frame ({@code phy.FrameHandler.CHECKSUM_GOOD}), 0 for the
     *                 loopback ring.
     * @return a token to pass to {@link #onRxVerdict} for this frame.
     */
    default long onRxFrame(
        final int interfaceId, final DirectBuffer buffer, final int offset, final int length, final int offloads)
    {
        return 0;
    }

    default void onRxVerdict(final long token, final int verdict)
    {
    }

    /**
     * A frame left the engine, to the device or the loopback ring, or was refused by one of them.
     *
     * @param result the {@link TxResult} the sender was given: {@link TxResult#SENT}, {@link TxResult#NO_BUFFER}
     *               for either interface, and for the device also {@link TxResult#NOT_READY} or
     *               {@link TxResult#OVERSIZE}.
     */
    default void onTxFrame(final int interfaceId, final DirectBuffer buffer, final int offset, final int length,
        final int result)
    {
    }
}
