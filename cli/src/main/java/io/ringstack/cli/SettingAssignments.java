package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.journal.SettingText;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The {@code --set NAME=VALUE} options of a command, each an engine setting by the name {@code journal dump} prints
 * and a value as {@link SettingText} reads it (on or off, a duration with its unit, a number), in the order given; a
 * setting given twice takes its last value.
 */
final class SettingAssignments
{
    private SettingAssignments()
    {
    }

    /**
     * @param settable the settings the command may change; the others are unknown to it.
     * @return each setting named, with its value.
     * @throws CommandLine.ParameterException for an assignment without {@code =}, a name that is not a settable
     *                                        setting (naming the valid ones), or a value the setting does not take.
     */
    static Map<Setting, Long> parse(
        final CommandLine commandLine, final List<String> assignments, final Predicate<Setting> settable)
    {
        final Map<Setting, Long> settings = new LinkedHashMap<>();
        for (final String assignment : assignments)
        {
            final int equals = assignment.indexOf('=');
            if (equals <= 0)
            {
                throw new CommandLine.ParameterException(commandLine, "--set must be NAME=VALUE: '" + assignment +
                    "'");
            }
            final String name = assignment.substring(0, equals);
            final Setting setting = Setting.byName(name);
            if (setting == null || !settable.test(setting))
            {
                throw new CommandLine.ParameterException(commandLine, "--set: unknown setting '" + name +
                    "'; valid names: " + Arrays.stream(Setting.values()).filter(settable)
                    .map(Setting::settingName).collect(Collectors.joining(", ")));
            }
            try
            {
                settings.put(setting, SettingText.parse(setting, assignment.substring(equals + 1)));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(commandLine, "--set " + assignment + ": " + ex.getMessage());
            }
        }
        return settings;
    }
}
