package io.ringstack.cli;

import picocli.CommandLine;

/**
 * A place in a journal as the journal commands take it: a record's sequence number, as dump prints it (all digits),
 * or a time since the session began with its unit (1.5s, 250ms, 40us, 10ns).
 *
 * @param isRecord whether {@link #value()} is a record's sequence number, else a time in nanoseconds.
 * @param value    the sequence number or the time.
 */
record RecordOrTime(boolean isRecord, long value)
{
    /**
     * @throws CommandLine.ParameterException naming {@code option} when {@code text} is neither.
     */
    static RecordOrTime parse(final CommandLine commandLine, final String option, final String text)
    {
        if (text.matches("\\d{1,18}"))
        {
            return new RecordOrTime(true, Long.parseLong(text));
        }
        final long nanoseconds;
        try
        {
            nanoseconds = text.matches(".*\\d") ? -1 : new JournalDumpCommand.DurationConverter().convert(text);
        }
        catch (final CommandLine.TypeConversionException ex)
        {
            throw new CommandLine.ParameterException(commandLine, option + ": " + ex.getMessage());
        }
        if (nanoseconds < 0)
        {
            throw new CommandLine.ParameterException(commandLine, option + " must be a record number (0 or more) or " +
                "a time with its unit (1.5s, 250ms): " + text);
        }
        return new RecordOrTime(false, nanoseconds);
    }
}
