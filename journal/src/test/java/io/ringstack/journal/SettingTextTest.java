package io.ringstack.journal;

import io.ringstack.config.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A setting's value as the journal tools show it and take it: durations with their largest exact unit, flags as on
 * and off, and what a user types parsed back, or refused in one line naming the setting and what it takes.
 */
class SettingTextTest
{
    @ParameterizedTest(name = "{0} {1} is shown as {2}")
    @CsvSource({
        "tcpRtoMinNs,      200000000,     200ms",
        "tcpTimeWaitNs,    60000000000,   60s",
        "tcpDelayedAckNs,  0,             0s",
        "arpRetryIntervalNs, 1500,        1500ns",
        "arpRetryIntervalNs, 40000,       40us",
        "tcpNagle,         1,             on",
        "tcpSack,          0,             off",
        "frameBudget,      64,            64",
        "removedProtocolArm, -1,          -1" })
    void aValueIsShownWithItsUnitOrAsAFlag(final String name, final long value, final String text)
    {
        assertEquals(text, SettingText.format(Setting.byName(name), value));
        assertEquals(value, SettingText.parse(Setting.byName(name), text), "what is shown parses back");
    }

    @ParameterizedTest(name = "{0} takes {1}")
    @CsvSource({
        "tcpRtoMinNs,  1.5s,    1500000000",
        "tcpRtoMinNs,  250,     250",
        "tcpRtoMinNs,  ' 3MS ', 3000000",
        "tcpNagle,     false,   0",
        "tcpNagle,     TRUE,    1",
        "tcpNagle,     0,       0",
        "tcpMaxSegmentSize, 536, 536" })
    void whatAUserTypesIsParsed(final String name, final String text, final long value)
    {
        assertEquals(value, SettingText.parse(Setting.byName(name), text));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "tcpNagle|maybe|tcpNagle takes on or off, not 'maybe'",
        "tcpRtoMinNs|soon|tcpRtoMinNs takes a duration such as 200ms, 1.5s, 40us or 10ns, not 'soon'",
        "tcpRtoMinNs|1.5xs|tcpRtoMinNs takes a duration such as 200ms, 1.5s, 40us or 10ns, not '1.5xs'",
        "frameBudget|64.5|frameBudget takes a whole number, not '64.5'",
        "frameBudget|0|frameBudget must be positive, not 0" })
    void aValueItCannotTakeIsOneLineNamingTheSetting(final String name, final String text, final String message)
    {
        final IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> SettingText.parse(Setting.byName(name), text));

        assertEquals(message, refused.getMessage());
    }

    @Test
    void aLineNamesTheSettingAndMarksOneThisBuildDoesNotKnow()
    {
        assertEquals("tcpRtoMinNs = 200ms", SettingText.line("tcpRtoMinNs", 200_000_000L));
        assertEquals("tcpQuantumFoam = 7 (unknown to this build)", SettingText.line("tcpQuantumFoam", 7));
    }
}
