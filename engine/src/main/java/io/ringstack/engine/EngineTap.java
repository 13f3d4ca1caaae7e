package io.ringstack.engine;

import org.agrona.DirectBuffer;

/**
 * Where the engine reports everything that goes in and out, for the journal: received frames with their verdict,
 * transmitted frames with their result, application commands and the engine's answers, and the clock of each duty
 * cycle. Called on the engine thread only; implementations must not allocate, block for long or throw.
 * <p>
 * Order: {@link #beginCycle} starts each duty cycle; a received frame is reported by {@link #onRxFrame} before it is
 * dispatched and by {@link #onRxVerdict} after, so that what it causes (replies, deliveries) comes between the two.
 */
public interface EngineTap
{
    /** The interface of frames to and from the device. */
    int INTERFACE_DEVICE = 0;
    /** The interface of frames through the loopback ring: produced by this engine, never an input. */
    int INTERFACE_LOOPBACK = 1;

    /** {@link #onRxVerdict} verdict of a delivered frame; any other verdict is a {@link DropReason} ordinal. */
    int DELIVERED = -1;

    /** A tap that records nothing. */
    EngineTap NONE = new EngineTap()
    {
    };

    /**
     * A duty cycle starts at {@code nowNs}, the engine's clock for all of it.
     */
    default void beginCycle(final long nowNs)
    {
    }

    /**
     * @return a token to pass to {@link #onRxVerdict} for this frame.
     */
    default long onRxFrame(final int interfaceId, final DirectBuffer buffer, final int offset, final int length)
    {
        return 0;
    }

    default void onRxVerdict(final long token, final int verdict)
    {
    }

    /**
     * A frame left the engine, to the device or the loopback ring.
     *
     * @param result 0 when it went, or the {@code -errno} the sender was given.
     */
    default void onTxFrame(final int interfaceId, final DirectBuffer buffer, final int offset, final int length,
        final int result)
    {
    }

    /**
     * An application command, as it was on the command ring ({@link Command}).
     */
    default void onCommand(final int operation, final DirectBuffer buffer, final int index, final int length)
    {
    }

    /**
     * The engine is about to look at the TCP rings of the application of {@code slot}: what it finds there follows,
     * as {@link #onAppData} and {@link #onAppConsumed}. A replay puts the recorded bytes in the rings here.
     */
    default void beginAppLook(final int slot)
    {
    }

    /**
     * The engine took {@code length} bytes that the application of {@code slot} wrote to its TCP send ring, in stream
     * order; bytes that wrap around the ring come as two calls. Precedes the {@link #onAppConsumed} of the same look.
     */
    default void onAppData(final int slot, final DirectBuffer buffer, final int offset, final int length)
    {
    }

    /**
     * The engine looked at the TCP rings of the application of {@code slot}: it had read {@code bytes} from its
     * receive ring since the last look, 0 included. Reported at every look, after the look's {@link #onAppData}: the
     * application's side of a TCP connection reaches the engine only at these looks.
     */
    default void onAppConsumed(final int slot, final int bytes)
    {
    }

    /**
     * The engine answered call {@code sequence} of {@code slot}.
     */
    default void onResponse(final int slot, final long sequence, final long result)
    {
    }
}
