package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.journal.ReplayWire;
import io.ringstack.journal.SessionHeader;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A replay through a platform profile's NIC model: the replayed engine gets the profile's device model and guest
 * driver (E1000 or VirtIO-net), whose wire is this: the recorded frames of a duty cycle wait here until the model
 * pulls them into its receive descriptors, and what the engine transmits through the model is taken and dropped.
 * A journal recorded on one profile replays on the other, since what the engine sees at the device boundary is the
 * same. The wire is a plain queue, not a ring, so a cycle's frames are never split by a ring's wrap.
 * <p>
 * A session whose engine handed its device TCP segments to cut ({@code segmentOffloadBytes} in the session header)
 * was on a wire that cut them and handed over its own whole: this wire offers the model the same
 * ({@link #segmentOffloadBytes()}, {@link #receiveSegments}), so that a model that takes them answers the engine as
 * the recorded device did and has buffers for the recorded segments.
 */
final class JournalNicWire implements ReplayWire, Link
{
    private final int segmentOffloadBytes;
    private final NetworkDevice device;
    private final List<DirectBuffer> buffers = new ArrayList<>();
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];
    private int[] offloads = new int[64];
    private int next;

    JournalNicWire(final PlatformProfile profile, final SessionHeader header, final CountersManager counters)
    {
        segmentOffloadBytes =
            header.settings().getOrDefault(Setting.SEGMENT_OFFLOAD_BYTES.settingName(), 0L).intValue();
        device = profile.nicOn(this, header.interfaceConfig().macAddress()).create(header.engineName(), counters);
    }

    public NetworkDevice device()
    {
        return device;
    }

    public void deliver(final DirectBuffer frame, final int offset, final int length, final int offloads)
    {
        final int index = buffers.size();
        if (index == offsets.length)
        {
            offsets = Arrays.copyOf(offsets, index * 2);
            lengths = Arrays.copyOf(lengths, index * 2);
            this.offloads = Arrays.copyOf(this.offloads, index * 2);
        }
        buffers.add(frame);
        offsets[index] = offset;
        lengths[index] = length;
        this.offloads[index] = offloads;
    }

    public void drain()
    {
        buffers.clear();
        next = 0;
    }

    /**
     * The model transmits onto the wire: the replay compares what the engine handed the device, so this is dropped.
     */
    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        return true;
    }

    /**
     * @return the session's {@code segmentOffloadBytes}: what the recorded wire cut.
     */
    public int segmentOffloadBytes()
    {
        return segmentOffloadBytes;
    }

    /**
     * A segment the model hands over to cut is taken and dropped, as any frame.
     */
    public boolean sendSegmented(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        return true;
    }

    /**
     * A segment the model hands over in two pieces to cut is taken and dropped, as any frame.
     */
    public boolean sendSegmented(
        final DirectBuffer headers, final int headersOffset, final int headersLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength, final int segmentSize)
    {
        return true;
    }

    /**
     * The recorded frames are handed over as they were recorded: whole, when the session's wire cut segments.
     */
    public boolean receiveSegments(final boolean whole)
    {
        return whole && segmentOffloadBytes > 0;
    }

    /**
     * The model pulls frames off the wire into its receive descriptors.
     */
    public int poll(final FrameHandler handler, final int limit)
    {
        int polled = 0;
        while (next < buffers.size() && polled < limit)
        {
            final int index = next++;
            handler.onFrame(buffers.get(index), offsets[index], lengths[index], offloads[index]);
            polled++;
        }
        return polled;
    }

    public void close()
    {
    }
}
