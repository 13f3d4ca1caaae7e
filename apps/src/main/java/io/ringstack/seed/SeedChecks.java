package io.ringstack.seed;

import io.ringstack.errno.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The assertions seed programs make, each failing with a message that says what was expected and what came.
 */
public final class SeedChecks
{
    private SeedChecks()
    {
    }

    public static void check(final boolean condition, final String whatFailed) throws SeedFailure
    {
        if (!condition)
        {
            throw new SeedFailure(whatFailed);
        }
    }

    /**
     * @return {@code result} when it is a success ({@code >= 0}).
     */
    public static int succeeds(final int result, final String call) throws SeedFailure
    {
        if (result < 0)
        {
            throw new SeedFailure(call + " failed with " + Errno.name(result));
        }
        return result;
    }

    public static void fails(final int result, final int expectedErrno, final String call) throws SeedFailure
    {
        if (result != -expectedErrno)
        {
            throw new SeedFailure(
                call + " returned " + Errno.describe(result) + ", expected " + Errno.name(expectedErrno));
        }
    }

    public static void equalsBytes(
        final byte[] expected, final byte[] actual, final int actualLength, final String what) throws SeedFailure
    {
        if (actualLength != expected.length ||
            !Arrays.equals(expected, 0, expected.length, actual, 0, actualLength))
        {
            throw new SeedFailure(what + ": expected " + expected.length + " bytes \"" + printable(expected,
                expected.length) + "\", got " + Errno.describe(actualLength) + " bytes \"" +
                printable(actual, Math.max(0, actualLength)) + "\"");
        }
    }

    public static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String printable(final byte[] bytes, final int length)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(length, 64); i++)
        {
            final int b = bytes[i] & 0xFF;
            text.append(b >= 0x20 && b < 0x7F ? String.valueOf((char)b) : String.format("\\x%02x", b));
        }
        return length > 64 ? text + "..." : text.toString();
    }
}
