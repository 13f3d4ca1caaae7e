package io.ringstack.config;

import java.util.Arrays;

/**
 * The values a {@link Setting} accepts: a closed range, optionally only powers of two, optionally zero besides; or
 * a short list of values.
 */
final class Bounds
{
    /** Smallest ring that holds a whole frame: an Agrona ring's largest message is an eighth of its capacity. */
    static final int MIN_FRAME_RING_CAPACITY = 16 * 1024;

    static final Bounds ANY = new Bounds(Long.MIN_VALUE, Long.MAX_VALUE);
    static final Bounds POSITIVE = new Bounds(1, Long.MAX_VALUE);
    static final Bounds NON_NEGATIVE = new Bounds(0, Long.MAX_VALUE);
    static final Bounds FLAG = new Bounds(0, 1);
    static final Bounds POWER_OF_TWO = new Bounds(1, 1 << 30, true, false);
    static final Bounds FRAME_RING = new Bounds(MIN_FRAME_RING_CAPACITY, 1 << 30, true, false);
    /** An MSS of 88..1460 bytes (RFC 9293 3.7.1, an Ethernet MTU at most), or 0 for "from the MTU". */
    static final Bounds ZERO_OR_MSS = new Bounds(88, 1460, false, true);

    private final long min;
    private final long max;
    private final boolean powerOfTwo;
    private final boolean zeroAllowed;
    private final long[] only;

    Bounds(final long min, final long max)
    {
        this(min, max, false, false);
    }

    private Bounds(final long min, final long max, final boolean powerOfTwo, final boolean zeroAllowed)
    {
        this.min = min;
        this.max = max;
        this.powerOfTwo = powerOfTwo;
        this.zeroAllowed = zeroAllowed;
        this.only = null;
    }

    private Bounds(final long[] only)
    {
        this.min = Long.MIN_VALUE;
        this.max = Long.MAX_VALUE;
        this.powerOfTwo = false;
        this.zeroAllowed = false;
        this.only = only;
    }

    static Bounds oneOf(final long... values)
    {
        return new Bounds(values.clone());
    }

    boolean accepts(final long value)
    {
        if (only != null)
        {
            return Arrays.stream(only).anyMatch((allowed) -> allowed == value);
        }
        if (zeroAllowed && value == 0)
        {
            return true;
        }
        return value >= min && value <= max && (!powerOfTwo || (value & (value - 1)) == 0);
    }

    String describe()
    {
        if (only != null)
        {
            return "one of " + Arrays.toString(only);
        }
        final StringBuilder text = new StringBuilder();
        if (zeroAllowed)
        {
            text.append("0 or ");
        }
        if (powerOfTwo)
        {
            text.append("a power of two ");
        }
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE)
        {
            text.append("any value");
        }
        else if (max == Long.MAX_VALUE)
        {
            text.append(min == 1 && !powerOfTwo ? "positive" : min == 0 ? "not negative" : "of at least " + min);
        }
        else
        {
            text.append("in ").append(min).append("..").append(max);
        }
        return text.toString();
    }
}
