package io.ringstack.phy.relay;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A link for tests: {@link #poll} hands over the frames a test {@link #inject}ed, and {@link #send} records every
 * frame it takes with the test's time of sending; told to {@link #refuse} it answers full. It counts its
 * {@link #flush}es.
 */
final class RecordingLink implements Link
{
    final List<byte[]> sent = new ArrayList<>();
    final List<Long> sentAtNs = new ArrayList<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    long nowNs;
    boolean refuse;
    int flushes;

    void inject(final byte[] frame)
    {
        pending.add(frame);
    }

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        if (refuse)
        {
            return false;
        }
        final byte[] copy = new byte[length];
        frame.getBytes(offset, copy);
        sent.add(copy);
        sentAtNs.add(nowNs);
        return true;
    }

    public void flush()
    {
        flushes++;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        while (frames < limit && !pending.isEmpty())
        {
            final byte[] frame = pending.poll();
            handler.onFrame(new UnsafeBuffer(frame), 0, frame.length);
            frames++;
        }
        return frames;
    }

    /**
     * @return a 100-byte frame whose first four bytes are {@code sequence}.
     */
    static byte[] frame(final int sequence)
    {
        final byte[] frame = new byte[100];
        new UnsafeBuffer(frame).putInt(0, sequence);
        return frame;
    }

    static int sequence(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getInt(0);
    }

    static CountersManager inMemoryCounters()
    {
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(64 * CountersReader.COUNTER_LENGTH)));
    }
}
