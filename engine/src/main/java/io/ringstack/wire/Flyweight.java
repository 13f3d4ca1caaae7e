package io.ringstack.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The part every reading flyweight shares: the wrapped region of a {@link DirectBuffer} and big-endian field reads
 * relative to its start. A subclass's {@code wrap} calls {@link #region} and then checks lengths before any
 * accessor may be used.
 */
public abstract class Flyweight
{
    protected DirectBuffer buffer;
    protected int offset;
    protected int length;

    protected final void region(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
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
