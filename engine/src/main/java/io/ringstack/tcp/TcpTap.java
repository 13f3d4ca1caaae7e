package io.ringstack.tcp;

import io.ringstack.iface.FrameTap;
import org.agrona.DirectBuffer;

/**
 * What TCP reports besides frames, for the journal: the moments it learns what the application did to its rings. The
 * application's side of a TCP connection reaches the engine only at these looks and doorbells, so a replay that puts
 * the recorded bytes in the rings at the same moments makes TCP do the same. Engine thread only; implementations must
 * not allocate, block for long or throw.
 */
public interface TcpTap extends FrameTap
{
    /**
     * An application rang its socket's doorbell ({@link TcpSocketBoard}): the message as it was on the doorbell ring.
     */
    default void onDoorbell(final int messageType, final DirectBuffer buffer, final int index, final int length)
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
     * receive ring since the last look, 0 included. Reported at every look, after the look's {@link #onAppData}.
     */
    default void onAppConsumed(final int slot, final int bytes)
    {
    }
}
