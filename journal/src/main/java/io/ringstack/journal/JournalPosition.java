package io.ringstack.journal;

/**
 * A place in a journal where a read may begin: a Chronicle document (a batch) and the sequence number of its first
 * record, as {@link JournalReader#seekRecord} and {@link JournalReader#seekTime} find them.
 *
 * @param index         the document's Chronicle index, or {@link #FIRST_INDEX} for the journal's first document.
 * @param firstSequence the sequence number of the document's first record.
 */
public record JournalPosition(long index, long firstSequence)
{
    /** The index of the journal's first document, whatever Chronicle numbers it. */
    public static final long FIRST_INDEX = Long.MIN_VALUE;
    /** The journal's beginning: the session header. */
    public static final JournalPosition START = new JournalPosition(FIRST_INDEX, 0);
}
