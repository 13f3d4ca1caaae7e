package io.ringstack.engine;

import io.ringstack.tcp.TcpTap;
import org.agrona.DirectBuffer;

/**
 * Where the engine reports everything that goes in and out, for the journal: the clock of each duty cycle,
 * application commands and the engine's answers, and, from the layers below, frames ({@link
 * io.ringstack.iface.FrameTap}) and TCP's looks at the application's rings ({@link TcpTap}). Called on the engine
 * thread only; implementations must not allocate, block for long or throw. {@link #beginCycle} starts each duty cycle.
 */
public interface EngineTap extends TcpTap
{
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
     * An application command, as it was on the command ring ({@link Command}).
     */
    default void onCommand(final int operation, final DirectBuffer buffer, final int index, final int length)
    {
    }

    /**
     * A doorbell is journaled as the command {@link Command#TCP_RING_MOVED}: the moment the engine learnt of the bytes.
     */
    default void onDoorbell(final int messageType, final DirectBuffer buffer, final int index, final int length)
    {
        onCommand(messageType, buffer, index, length);
    }

    /**
     * The engine answered call {@code sequence} of {@code slot}.
     */
    default void onResponse(final int slot, final long sequence, final long result)
    {
    }
}
