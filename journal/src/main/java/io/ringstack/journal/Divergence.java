package io.ringstack.journal;

/**
 * The first place where a replay did something other than what the journal recorded.
 *
 * @param sequence   the journal record the replay disagrees with (or, for an output the journal does not have,
 *                   the record it should have come before).
 * @param recordType the record's type name, e.g. {@code "TX_FRAME"}.
 * @param field      what differs, e.g. {@code "frame"}, {@code "verdict"}, {@code "result"}, {@code "record"}.
 * @param recorded   the journal's value.
 * @param replayed   the replayed engine's value.
 * @param sinceOriginNs when the duty cycle ran, on the engine clock, since the session's clock origin.
 * @param hexDiff    for frames, the {@link HexDiff} of the two; otherwise empty.
 */
public record Divergence(
    long sequence, String recordType, String field, String recorded, String replayed, long sinceOriginNs,
    String hexDiff)
{
    /**
     * @return the report, several lines: where, what, and the hex diff when frames differ.
     */
    public String describe()
    {
        return "first divergence at record " + sequence + " (" + recordType + "), field " + field +
            ", in the cycle at +" + sinceOriginNs / 1_000_000_000L + "." +
            String.format("%09d", sinceOriginNs % 1_000_000_000L) + " s" +
            System.lineSeparator() +
            "  recorded: " + recorded + System.lineSeparator() +
            "  replayed: " + replayed + System.lineSeparator() + hexDiff;
    }
}
