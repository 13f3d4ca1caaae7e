package io.ringstack.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Reusable parser and writers for the options area of a TCP header (RFC 9293 section 3.1), usually
 * {@link TcpSegment#optionsOffset()} and {@link TcpSegment#optionsLength()}.
 * <pre>
 *  Kind  Length  Meaning                          Value
 *  ----  ------  -------------------------------  ------------------------------------------------
 *    0      -    End of Option List               stops parsing; the rest is padding
 *    1      -    No-Operation                     skipped
 *    2      4    Maximum Segment Size             16-bit MSS                       (RFC 9293 3.7.1)
 *    3      3    Window Scale                     8-bit shift count                (RFC 7323 2)
 *    4      2    SACK Permitted                   -                                (RFC 2018 2)
 *    5   8n+2    SACK, n = 1..4 blocks            n x (32-bit left, 32-bit right)  (RFC 2018 3)
 *    8     10    Timestamps                       32-bit TSval, 32-bit TSecr       (RFC 7323 3)
 *  other  >= 2   unknown                          skipped by its length
 * </pre>
 * {@link #wrap} walks the whole area once and keeps what it found, so no accessor touches the buffer. A malformed
 * option is reported as a status code. The writers each return the offset just past what they wrote; a header's
 * options must end on a 32-bit boundary, padded with {@link #writeNop} as Linux does.
 */
public final class TcpOptions
{
    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;

    public static final int MSS_LENGTH = 4;
    public static final int WINDOW_SCALE_LENGTH = 3;
    public static final int SACK_PERMITTED_LENGTH = 2;
    public static final int SACK_BLOCK_LENGTH = 8;
    public static final int TIMESTAMPS_LENGTH = 10;
    public static final int MAX_SACK_BLOCKS = 4;

    /** {@link #wrap} result: every option up to the end of the area (or End of Option List) is well formed. */
    public static final int VALID = 0;
    /** {@link #wrap} result: an option's kind or declared length runs past the end of the area. */
    public static final int TRUNCATED = -1;
    /** {@link #wrap} result: an option length below 2, or a length its kind cannot have. */
    public static final int BAD_LENGTH = -2;

    private static final int KIND_AND_LENGTH = 2;

    private final int[] sackEdges = new int[2 * MAX_SACK_BLOCKS];
    private boolean hasMss;
    private int mss;
    private boolean hasWindowScale;
    private int windowScale;
    private boolean isSackPermitted;
    private int sackBlockCount;
    private boolean hasTimestamps;
    private int timestampValue;
    private int timestampEcho;

    /**
     * Parse the options in {@code [offset, offset + length)}.
     *
     * @return {@link #VALID}, {@link #TRUNCATED} or {@link #BAD_LENGTH}; the accessors are usable only after
     * {@link #VALID}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        hasMss = false;
        hasWindowScale = false;
        isSackPermitted = false;
        sackBlockCount = 0;
        hasTimestamps = false;

        final int end = offset + length;
        int position = offset;
        while (position < end)
        {
            final int kind = buffer.getByte(position) & 0xFF;
            if (kind == KIND_END)
            {
                break;
            }
            if (kind == KIND_NOP)
            {
                position++;
                continue;
            }
            if (end - position < KIND_AND_LENGTH)
            {
                return TRUNCATED;
            }
            final int optionLength = buffer.getByte(position + 1) & 0xFF;
            if (optionLength < KIND_AND_LENGTH)
            {
                return BAD_LENGTH;
            }
            if (optionLength > end - position)
            {
                return TRUNCATED;
            }
            if (!isLengthValid(kind, optionLength))
            {
                return BAD_LENGTH;
            }
            read(buffer, position, kind, optionLength);
            position += optionLength;
        }
        return VALID;
    }

    public boolean hasMss()
    {
        return hasMss;
    }

    /**
     * @return the Maximum Segment Size if {@link #hasMss()}.
     */
    public int mss()
    {
        return mss;
    }

    public boolean hasWindowScale()
    {
        return hasWindowScale;
    }

    /**
     * @return the window shift count if {@link #hasWindowScale()}, as sent (RFC 7323 caps its use at 14).
     */
    public int windowScale()
    {
        return windowScale;
    }

    public boolean isSackPermitted()
    {
        return isSackPermitted;
    }

    /**
     * @return the number of SACK blocks, zero when no SACK option was present.
     */
    public int sackBlockCount()
    {
        return sackBlockCount;
    }

    /**
     * @param index from 0 to {@link #sackBlockCount()} - 1, in the order sent.
     * @return the first sequence number of the block.
     */
    public int sackLeft(final int index)
    {
        return sackEdges[index << 1];
    }

    /**
     * @param index from 0 to {@link #sackBlockCount()} - 1, in the order sent.
     * @return the sequence number just past the block.
     */
    public int sackRight(final int index)
    {
        return sackEdges[(index << 1) + 1];
    }

    public boolean hasTimestamps()
    {
        return hasTimestamps;
    }

    /**
     * @return TSval if {@link #hasTimestamps()}.
     */
    public int timestampValue()
    {
        return timestampValue;
    }

    /**
     * @return TSecr if {@link #hasTimestamps()}.
     */
    public int timestampEcho()
    {
        return timestampEcho;
    }

    /**
     * @return the offset just past the one-byte No-Operation.
     */
    public static int writeNop(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)KIND_NOP);
        return offset + 1;
    }

    /**
     * @return the offset just past the option.
     */
    public static int writeMss(final MutableDirectBuffer buffer, final int offset, final int mss)
    {
        final int valueOffset = writeKindAndLength(buffer, offset, KIND_MSS, MSS_LENGTH);
        buffer.putShort(valueOffset, (short)mss, ByteOrder.BIG_ENDIAN);
        return offset + MSS_LENGTH;
    }

    /**
     * @return the offset just past the option.
     */
    public static int writeWindowScale(final MutableDirectBuffer buffer, final int offset, final int shiftCount)
    {
        final int valueOffset = writeKindAndLength(buffer, offset, KIND_WINDOW_SCALE, WINDOW_SCALE_LENGTH);
        buffer.putByte(valueOffset, (byte)shiftCount);
        return offset + WINDOW_SCALE_LENGTH;
    }

    /**
     * @return the offset just past the option.
     */
    public static int writeSackPermitted(final MutableDirectBuffer buffer, final int offset)
    {
        return writeKindAndLength(buffer, offset, KIND_SACK_PERMITTED, SACK_PERMITTED_LENGTH);
    }

    /**
     * @return the offset just past the option.
     */
    public static int writeTimestamps(
        final MutableDirectBuffer buffer,
        final int offset,
        final int timestampValue,
        final int timestampEcho)
    {
        final int valueOffset = writeKindAndLength(buffer, offset, KIND_TIMESTAMPS, TIMESTAMPS_LENGTH);
        buffer.putInt(valueOffset, timestampValue, ByteOrder.BIG_ENDIAN);
        buffer.putInt(valueOffset + 4, timestampEcho, ByteOrder.BIG_ENDIAN);
        return offset + TIMESTAMPS_LENGTH;
    }

    /**
     * Write the kind and length of a SACK option of {@code blockCount} (1 to 4) blocks; follow it with that many
     * {@link #writeSackBlock} calls.
     *
     * @return the offset of the first block.
     */
    public static int writeSackHeader(final MutableDirectBuffer buffer, final int offset, final int blockCount)
    {
        return writeKindAndLength(buffer, offset, KIND_SACK, KIND_AND_LENGTH + blockCount * SACK_BLOCK_LENGTH);
    }

    /**
     * @return the offset just past the block.
     */
    public static int writeSackBlock(
        final MutableDirectBuffer buffer,
        final int offset,
        final int left,
        final int right)
    {
        buffer.putInt(offset, left, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, right, ByteOrder.BIG_ENDIAN);
        return offset + SACK_BLOCK_LENGTH;
    }

    private static boolean isLengthValid(final int kind, final int optionLength)
    {
        switch (kind)
        {
            case KIND_MSS:
                return optionLength == MSS_LENGTH;

            case KIND_WINDOW_SCALE:
                return optionLength == WINDOW_SCALE_LENGTH;

            case KIND_SACK_PERMITTED:
                return optionLength == SACK_PERMITTED_LENGTH;

            case KIND_TIMESTAMPS:
                return optionLength == TIMESTAMPS_LENGTH;

            case KIND_SACK:
                final int blocksLength = optionLength - KIND_AND_LENGTH;
                return blocksLength > 0 &&
                    blocksLength <= MAX_SACK_BLOCKS * SACK_BLOCK_LENGTH &&
                    blocksLength % SACK_BLOCK_LENGTH == 0;

            default:
                return true;
        }
    }

    private void read(final DirectBuffer buffer, final int position, final int kind, final int optionLength)
    {
        final int value = position + KIND_AND_LENGTH;
        switch (kind)
        {
            case KIND_MSS:
                hasMss = true;
                mss = buffer.getShort(value, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                break;

            case KIND_WINDOW_SCALE:
                hasWindowScale = true;
                windowScale = buffer.getByte(value) & 0xFF;
                break;

            case KIND_SACK_PERMITTED:
                isSackPermitted = true;
                break;

            case KIND_TIMESTAMPS:
                hasTimestamps = true;
                timestampValue = buffer.getInt(value, ByteOrder.BIG_ENDIAN);
                timestampEcho = buffer.getInt(value + 4, ByteOrder.BIG_ENDIAN);
                break;

            case KIND_SACK:
                sackBlockCount = (optionLength - KIND_AND_LENGTH) / SACK_BLOCK_LENGTH;
                for (int i = 0; i < sackBlockCount; i++)
                {
                    final int block = value + i * SACK_BLOCK_LENGTH;
                    sackEdges[i << 1] = buffer.getInt(block, ByteOrder.BIG_ENDIAN);
                    sackEdges[(i << 1) + 1] = buffer.getInt(block + 4, ByteOrder.BIG_ENDIAN);
                }
                break;

            default:
                break;
        }
    }

    private static int writeKindAndLength(
        final MutableDirectBuffer buffer,
        final int offset,
        final int kind,
        final int optionLength)
    {
        buffer.putByte(offset, (byte)kind);
        buffer.putByte(offset + 1, (byte)optionLength);
        return offset + KIND_AND_LENGTH;
    }
}
