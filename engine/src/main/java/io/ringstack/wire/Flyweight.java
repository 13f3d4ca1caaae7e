package io.ringstack.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The part every reading flyweight shares: the wrapped region of a {@link DirectBuffer} and big-endian field reads
 * relative to its start. A subclass's {@code wrap} calls {@link #region}, which checks once that the region lies in
 * the buffer, and then checks the header's own lengths before any accessor may be used. The fields a receiver needs
 * are read once in {@code wrap}, in a few wide reads without Agrona's per-read bounds checks, and kept; the other
 * accessors read through the buffer.
 */
public abstract class Flyweight
{
    protected DirectBuffer buffer;
    protected int offset;
    protected int length;

    /**
     * Take the region to read: the one bounds check the reads in {@code wrap} rely on.
     *
     * @return whether {@code [offset, offset + length)} lies inside {@code buffer}; if not, the view is unusable.
     */
    protected final boolean region(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return UncheckedReads.inBounds(buffer, offset, length);
    }

    public final DirectBuffer buffer()
    {
        return buffer;
    }

    public final int offset()
    {
        return offset;
    }

    /**
     * @return the wrapped length, which may exceed the length a header declares (Ethernet pads short frames).
     */
    public final int length()
    {
        return length;
    }

    protected final int uint8(final int fieldOffset)
    {
        return buffer.getByte(offset + fieldOffset) & 0xFF;
    }

    protected final int uint16(final int fieldOffset)
    {
        return buffer.getShort(offset + fieldOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    protected final int int32(final int fieldOffset)
    {
        return buffer.getInt(offset + fieldOffset, ByteOrder.BIG_ENDIAN);
    }
}
