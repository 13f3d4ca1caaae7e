package io.ringstack.bench;

import io.ringstack.errno.Errno;

/**
 * The checks the benchmarks' set-ups and tear-downs share.
 */
final class Checks
{
    private Checks()
    {
    }

    /**
     * @param result the result of a socket call: non-negative, or {@code -errno}.
     * @param call   what was called, for the message.
     * @return the result, when it is not an error.
     * @throws IllegalStateException naming the call and the error otherwise.
     */
    static int errno(final int result, final String call)
    {
        if (result < 0)
        {
            throw new IllegalStateException(call + " failed with " + Errno.name(result));
        }
        return result;
    }
}
