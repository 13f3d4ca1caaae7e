package io.ringstack.journal;

import io.ringstack.phy.NetworkDevice;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersManager;

/**
 * The network device a replayed engine uses and the wire behind it: recorded device frames go onto the wire
 * before a duty cycle, and whatever the engine transmitted is taken off after. The engine sees frames at the
 * {@link NetworkDevice} boundary, which is the same for every device model, so the replay compares the engine's
 * protocol-level outputs whichever device carries them; a device model's own registers and rings are below that
 * line. A wire must hand the engine, in the coming duty cycle, every frame delivered before it.
 */
public interface ReplayWire extends AutoCloseable
{
    /**
     * Makes the wire of a replay, its device over the replayed engine's counters.
     */
    @FunctionalInterface
    interface Factory
    {
        ReplayWire create(SessionHeader header, CountersManager counters);
    }

    NetworkDevice device();

    /**
     * Put a recorded frame on the wire, to be received in the coming duty cycle. The bytes stay valid until the
     * cycle has run.
     *
     * @param offloads the recorded device's offloads for the frame ({@code phy.FrameHandler.CHECKSUM_GOOD}), to be
     *                 handed on as a wire or a device hands them.
     */
    void deliver(DirectBuffer frame, int offset, int length, int offloads);

    /**
     * Take whatever the engine transmitted off the wire, after a duty cycle.
     */
    void drain();

    default void close()
    {
    }
}
