package io.ringstack.journal;

/**
 * Receives the records of a journal in order, each checked for integrity first.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * @param record valid during this call only.
     * @return {@code false} to stop reading.
     */
    boolean onRecord(JournalRecord record);
}
