package io.ringstack.journal;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A count's ASCII digits read as {@link Long#toString(long)} writes it, at every digit count, and end where asked.
 */
class AsciiDigitsTest
{
    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {
        0, 7, 9, 10, 99, 100, 255, 1000, 65535, 6000005, 999_999_999, 1_000_000_000, Integer.MAX_VALUE,
        Integer.MAX_VALUE + 1L, 4_294_967_295L, 99_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE })
    void aCountReadsAsLongToStringWritesIt(final long value)
    {
        final int count = AsciiDigits.count(value);
        final byte[] bytes = new byte[count + 2];
        bytes[0] = '[';
        bytes[count + 1] = ']';
        AsciiDigits.write(bytes, count + 1, value);
        assertEquals("[" + value + "]", new String(bytes, StandardCharsets.US_ASCII));
    }
}
