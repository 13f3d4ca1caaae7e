package io.ringstack.journal;

/**
 * How a read of a journal went: how far it got and what, if anything, stopped it.
 *
 * @param records      intact records read (passed to the handler).
 * @param batches      Chronicle documents read.
 * @param lastSequence sequence of the last intact record, -1 for none.
 * @param closed       whether the END record was read: the session was closed and nothing is missing at its tail.
 * @param lostRecords  records the tap lost under {@link TapPolicy#DROP}, from LOSS records (and END).
 * @param stopped      whether the handler stopped the read early.
 * @param problem      the first integrity problem, or {@code null}: e.g. {@code "record 41: CRC mismatch"}.
 */
public record ReadResult(
    long records, long batches, long lastSequence, boolean closed, long lostRecords, boolean stopped, String problem)
{
    /**
     * @return {@code true} when every record read was intact.
     */
    public boolean intact()
    {
        return problem == null;
    }

    /**
     * @return {@code true} when the journal ends without its END record: the writer died or was killed, and
     * whatever it had not yet written is missing.
     */
    public boolean tailCut()
    {
        return !closed && !stopped && problem == null;
    }
}
