package io.ringstack.tcp;

/**
 * Comparisons in TCP's 32-bit sequence space (RFC 9293 section 3.4), where numbers wrap at 2^32 and "before" means
 * "less than half the space behind". Sequence numbers are raw {@code int}s; every comparison goes through here.
 */
public final class SequenceNumbers
{
    private SequenceNumbers()
    {
    }

    /**
     * @return {@code true} when {@code a} comes strictly before {@code b}.
     */
    public static boolean before(final int a, final int b)
    {
        return a - b < 0;
    }

    public static boolean beforeOrAt(final int a, final int b)
    {
        return a - b <= 0;
    }

    public static boolean after(final int a, final int b)
    {
        return a - b > 0;
    }

    public static boolean afterOrAt(final int a, final int b)
    {
        return a - b >= 0;
    }

    /**
     * @return {@code true} when {@code low <= value < high} in sequence space.
     */
    public static boolean within(final int value, final int low, final int high)
    {
        return value - low >= 0 && value - high < 0;
    }

    public static int max(final int a, final int b)
    {
        return a - b >= 0 ? a : b;
    }

    public static int min(final int a, final int b)
    {
        return a - b <= 0 ? a : b;
    }
}
