package io.ringstack.tcp;

/**
 * The largest value seen over a sliding window of time, kept in three samples as Kathleen Nichols' algorithm keeps
 * it (Linux's {@code lib/win_minmax.c}): the best, second best and third best of the window, each newer than the one
 * before, so that when the best ages out the next is ready. Time is whatever the caller counts in (BBR counts round
 * trips). Nothing allocates.
 */
final class WindowedMax
{
    private final long[] times = new long[3];
    private final long[] values = new long[3];

    long get()
    {
        return values[0];
    }

    void reset(final long time, final long value)
    {
        for (int i = 0; i < 3; i++)
        {
            times[i] = time;
            values[i] = value;
        }
    }

    /**
     * Take {@code value} measured at {@code time}, forgetting what is older than {@code window}; {@link #get} is then
     * the maximum over the window.
     */
    void update(final long window, final long time, final long value)
    {
        if (value >= values[0] || time - times[2] > window)
        {
            reset(time, value);
            return;
        }
        if (value >= values[1])
        {
            set(1, time, value);
            set(2, time, value);
        }
        else if (value >= values[2])
        {
            set(2, time, value);
        }
        subWindowUpdate(window, time, value);
    }

    /**
     * As {@code minmax_subwin_update}: the best has aged out, or the second and third are a quarter or half the
     * window old and are refreshed so that the window always holds recent candidates.
     */
    private void subWindowUpdate(final long window, final long time, final long value)
    {
        final long age = time - times[0];
        if (age > window)
        {
            set(0, times[1], values[1]);
            set(1, times[2], values[2]);
            set(2, time, value);
            if (time - times[0] > window)
            {
                set(0, times[1], values[1]);
                set(1, times[2], values[2]);
                set(2, time, value);
            }
        }
        else if (times[1] == times[0] && age > window / 4)
        {
            set(1, time, value);
            set(2, time, value);
        }
        else if (times[2] == times[1] && age > window / 2)
        {
            set(2, time, value);
        }
    }

    private void set(final int index, final long time, final long value)
    {
        times[index] = time;
        values[index] = value;
    }
}
