package io.ringstack.drivers.e1000;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * A wire that takes TCP segments of up to 64 KiB to cut, as a TAP with a virtio-net header does: it counts what it
 * is handed and keeps a copy of the last frame, allocating nothing per frame.
 */
final class CuttingWire implements Link
{
    final UnsafeBuffer last = new UnsafeBuffer(ByteBuffer.allocateDirect(0x1_0000 + 64));
    long frames;
    int lastLength;
    int segmentSize;
    /** Frames handed over in two pieces, headers and payload. */
    long gathered;

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        frames++;
        last.putBytes(0, frame, offset, length);
        lastLength = length;
        return true;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        return 0;
    }

    public int segmentOffloadBytes()
    {
        return 0xFFFF;
    }

    public boolean sendSegmented(final DirectBuffer frame, final int offset, final int length, final int size)
    {
        segmentSize = size;
        return send(frame, offset, length);
    }

    public boolean sendSegmented(
        final DirectBuffer headers, final int headersOffset, final int headersLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength, final int size)
    {
        gathered++;
        sendSegmented(headers, headersOffset, headersLength, size);
        last.putBytes(headersLength, payload, payloadOffset, payloadLength);
        lastLength = headersLength + payloadLength;
        return true;
    }

    /**
     * @return a copy of the last frame.
     */
    byte[] lastFrame()
    {
        final byte[] bytes = new byte[lastLength];
        last.getBytes(0, bytes);
        return bytes;
    }
}
