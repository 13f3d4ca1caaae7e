package io.ringstack.journal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dump's text written in place reads as the strings it replaces: numbers as {@link Long#toString(long)} writes
 * them at every digit count and sign, zero-padded times as {@code %09d}, padding to a column, text in any script
 * kept in UTF-8, and the whole handed to a writer and emptied.
 */
class TextBufferTest
{
    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = {
        0, 7, 9, 10, 99, 100, 255, 1000, 65535, 6000005, 999_999_999, 1_000_000_000, Integer.MAX_VALUE,
        Integer.MAX_VALUE + 1L, 4_294_967_295L, 99_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE, -1, -10,
        -4_294_967_296L, Long.MIN_VALUE + 1, Long.MIN_VALUE })
    void aNumberReadsAsLongToStringWritesIt(final long value)
    {
        assertEquals("[" + value + "]", new TextBuffer(1).append('[').append(value).append(']').toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(longs = { 0, 1, 412_345, 99_999_999, 999_999_999, 1_234_567_890 })
    void aZeroPaddedNumberReadsAsPercentZeroNineD(final long value)
    {
        assertEquals(String.format("%09d", value), new TextBuffer(4).appendZeroPadded(value, 9).toString());
    }

    @Test
    void spacesPadToAColumnPastTheirOwnBlockAndNotBelowZero()
    {
        final TextBuffer text = new TextBuffer(8).append("#15");
        text.spaces(200 - text.length()).append('|').spaces(-3);
        assertEquals(String.format("%-200s|", "#15"), text.toString());
    }

    @Test
    void drainingHandsEverythingToTheWriterAndEmptiesTheBuffer()
    {
        final StringWriter written = new StringWriter();
        final TextBuffer text = new TextBuffer(2).append("UDP ").append(10).append('.').append((String)null);
        text.drainTo(new PrintWriter(written));
        assertEquals("UDP 10.null", written.toString());
        assertEquals(0, text.length());
        assertEquals("again", text.append("again").toString());
    }

    @Test
    void textInAnyScriptIsKeptInUtf8AndReadsBackAsItWasAppended()
    {
        final TextBuffer text = new TextBuffer(4).append("note ").append('é').append(" «").append("誰ですか")
            .append('»').append(" 😀");
        assertEquals("note é «誰ですか» 😀", text.toString());
        assertEquals("note é «誰ですか» 😀".getBytes(StandardCharsets.UTF_8).length, text.length());
        final StringWriter written = new StringWriter();
        text.drainTo(new PrintWriter(written));
        assertEquals("note é «誰ですか» 😀", written.toString());
    }
}
