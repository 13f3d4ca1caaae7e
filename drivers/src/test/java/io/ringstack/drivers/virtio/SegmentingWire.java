package io.ringstack.drivers.virtio;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A wire that cuts TCP segments of up to 64 KiB itself and hands over whole the ones that arrive, as a TAP with its
 * virtio-net header does, for a VirtIO model under test: it counts what the model puts on it each way and keeps the
 * last frame, and hands the model one frame as many times as it was told. Allocates nothing after construction.
 */
final class SegmentingWire implements Link
{
    final UnsafeBuffer lastSent = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 17));
    int lastSentLength;
    int lastSegmentSize;
    int sends;
    int segmentedSends;
    /** What the model last asked of {@link #receiveSegments}: -1 nothing yet, 0 cut, 1 whole. */
    int wholeAsked = -1;

    private final int segmentOffloadBytes;
    private final UnsafeBuffer arriving = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 17));
    private int arrivingLength;
    private int arrivingOffloads;
    private int arrivals;

    /**
     * @param segmentOffloadBytes what the wire cuts: 65535 for a TAP, 0 for a wire that cuts nothing.
     */
    SegmentingWire(final int segmentOffloadBytes)
    {
        this.segmentOffloadBytes = segmentOffloadBytes;
    }

    /**
     * Hand the model {@code frame} at its next polls, {@code times} times.
     */
    void arrive(final byte[] frame, final int times)
    {
        arrive(frame, times, 0);
    }

    /**
     * Hand the model {@code frame} at its next polls, {@code times} times, with {@code offloads}
     * ({@link FrameHandler#CHECKSUM_GOOD}: the wire vouched for its checksum).
     */
    void arrive(final byte[] frame, final int times, final int offloads)
    {
        arriving.putBytes(0, frame);
        arrivingLength = frame.length;
        arrivingOffloads = offloads;
        arrivals = times;
    }

    int arrivalsLeft()
    {
        return arrivals;
    }

    byte[] lastSentBytes()
    {
        final byte[] bytes = new byte[lastSentLength];
        lastSent.getBytes(0, bytes);
        return bytes;
    }

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        sends++;
        keep(frame, offset, length, 0);
        return true;
    }

    public boolean sendSegmented(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        segmentedSends++;
        keep(frame, offset, length, segmentSize);
        return true;
    }

    public boolean sendSegmented(
        final DirectBuffer headers, final int headersOffset, final int headersLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength, final int segmentSize)
    {
        final UnsafeBuffer whole = new UnsafeBuffer(new byte[headersLength + payloadLength]);
        whole.putBytes(0, headers, headersOffset, headersLength);
        whole.putBytes(headersLength, payload, payloadOffset, payloadLength);
        return sendSegmented(whole, 0, whole.capacity(), segmentSize);
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        int polled = 0;
        while (polled < limit && arrivals > 0)
        {
            arrivals--;
            handler.onFrame(arriving, 0, arrivingLength, arrivingOffloads);
            polled++;
        }
        return polled;
    }

    public int segmentOffloadBytes()
    {
        return segmentOffloadBytes;
    }

    public boolean receiveSegments(final boolean whole)
    {
        wholeAsked = whole ? 1 : 0;
        return whole && segmentOffloadBytes > 0;
    }

    private void keep(final DirectBuffer frame, final int offset, final int length, final int segmentSize)
    {
        lastSent.putBytes(0, frame, offset, length);
        lastSentLength = length;
        lastSegmentSize = segmentSize;
    }
}
