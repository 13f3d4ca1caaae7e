package io.ringstack.journal;

import io.ringstack.config.Setting;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * The text form of an engine setting's value, as the journal tools show it and take it: a duration with its unit
 * ({@code 200ms}, {@code 60s}), a flag as {@code on} or {@code off}, anything else as a number. Parsing takes what
 * formatting gives, plus a duration's plain nanoseconds and a flag's {@code 1}, {@code 0}, {@code true} or
 * {@code false}; the value is then checked against the setting's bounds.
 */
public final class SettingText
{
    private static final String[] UNITS = { "s", "ms", "us", "ns" };
    private static final long[] NANOS_PER_UNIT = { 1_000_000_000L, 1_000_000L, 1_000L, 1L };

    private SettingText()
    {
    }

    /**
     * @return {@code "name = value"}, the value as {@link #format(Setting, long)} gives it, or as a number marked
     * unknown when this build has no setting of that name.
     */
    public static String line(final String name, final long value)
    {
        final Setting setting = Setting.byName(name);
        return name + " = " + (setting == null ? value + " (unknown to this build)" : format(setting, value));
    }

    /**
     * @return the value as text: a duration with its largest exact unit, a flag as on or off, else the number.
     */
    public static String format(final Setting setting, final long value)
    {
        if (setting.kind() == Setting.Kind.NANOS)
        {
            for (int i = 0; i < UNITS.length; i++)
            {
                if (value % NANOS_PER_UNIT[i] == 0)
                {
                    return value / NANOS_PER_UNIT[i] + UNITS[i];
                }
            }
        }
        if (setting.kind() == Setting.Kind.FLAG && (value == 0 || value == 1))
        {
            return value == 1 ? "on" : "off";
        }
        return Long.toString(value);
    }

    /**
     * @return the value {@code text} gives {@code setting}.
     * @throws IllegalArgumentException with a one-line message naming the setting, the text and what it takes.
     */
    public static long parse(final Setting setting, final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        final long parsed = switch (setting.kind())
        {
            case FLAG -> flag(setting, value, text);
            case NANOS -> duration(setting, value, text);
            default -> number(setting, value, text, "a whole number");
        };
        final String problem = setting.check(parsed);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem);
        }
        return parsed;
    }

    private static long flag(final Setting setting, final String value, final String text)
    {
        return switch (value)
        {
            case "on", "true", "1" -> 1;
            case "off", "false", "0" -> 0;
            default -> throw wrong(setting, text, "on or off");
        };
    }

    private static long duration(final Setting setting, final String value, final String text)
    {
        for (int i = 0; i < UNITS.length; i++)
        {
            // "ms", "us" and "ns" end in "s": the longer units are tried first, last of all plain seconds.
            final int unit = (i + 1) % UNITS.length;
            if (value.endsWith(UNITS[unit]))
            {
                final String number = value.substring(0, value.length() - UNITS[unit].length()).trim();
                try
                {
                    return new BigDecimal(number).multiply(BigDecimal.valueOf(NANOS_PER_UNIT[unit])).longValueExact();
                }
                catch (final NumberFormatException | ArithmeticException ex)
                {
                    throw wrong(setting, text, "a duration such as 200ms, 1.5s, 40us or 10ns");
                }
            }
        }
        return number(setting, value, text, "a duration such as 200ms, 1.5s, 40us or 10ns");
    }

    private static long number(final Setting setting, final String value, final String text, final String expected)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw wrong(setting, text, expected);
        }
    }

    private static IllegalArgumentException wrong(final Setting setting, final String text, final String expected)
    {
        return new IllegalArgumentException(setting.settingName() + " takes " + expected + ", not '" + text + "'");
    }
}
