package io.ringstack.phy;

import org.agrona.DirectBuffer;

/**
 * Receives Ethernet frames from a {@link NetworkDevice}. The bytes are valid only during the call.
 */
@FunctionalInterface
public interface FrameHandler
{
    void onFrame(DirectBuffer buffer, int offset, int length);
}
