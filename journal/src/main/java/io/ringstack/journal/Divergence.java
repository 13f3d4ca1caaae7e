package io.ringstack.journal;

import java.util.List;

/**
 * A place where a replay did something other than what the journal recorded.
 *
 * @param sequence   the journal record the replay disagrees with (or, for an output the journal does not have,
 *                   the record it should have come before).
 * @param recordType the record's type name, e.g. {@code "TX_FRAME"}.
 * @param field      what differs, e.g. {@code "frame"}, {@code "verdict"}, {@code "result"}, {@code "record"}.
 * @param recorded   the journal's value.
 * @param replayed   the replayed engine's value.
 * @param sinceOriginNs when the duty cycle ran, on the engine clock, since the session's clock origin.
 * @param input      the input that led to it, as {@code journal dump} prints it: the last input record of its
 *                   duty cycle before it (a received frame, a command, the application's bytes), or what began the
 *                   cycle when none came before it (its timers, its commands).
 * @param fields     for frames, the header fields that differ by name, e.g. {@code "IPv4 TTL 64 → 63"}
 *                   ({@link FrameFieldDiff}); otherwise empty.
 * @param hexDiff    for frames, the {@link HexDiff} of the two; otherwise empty.
 */
public record Divergence(
    long sequence, String recordType, String field, String recorded, String replayed, long sinceOriginNs,
    String input, List<String> fields, String hexDiff)
{
    /**
     * @return the report of the first divergence, several lines: where, what, the input that led to it, the fields
     * and the hex diff when frames differ.
     */
    public String describe()
    {
        return describe("first");
    }

    /**
     * @param which e.g. {@code "first"} or {@code "next"}, the report's first word.
     */
    public String describe(final String which)
    {
        final String newLine = System.lineSeparator();
        return which + " divergence at record " + sequence + " (" + recordType + "), field " + field +
            ", in the cycle at +" + sinceOriginNs / 1_000_000_000L + "." +
            String.format("%09d", sinceOriginNs % 1_000_000_000L) + " s" + newLine +
            "  recorded: " + recorded + newLine +
            "  replayed: " + replayed + newLine +
            (fields.isEmpty() ? "" : "  fields:   " + String.join("; ", fields) + newLine) +
            "  input:    " + input + newLine + hexDiff;
    }
}
