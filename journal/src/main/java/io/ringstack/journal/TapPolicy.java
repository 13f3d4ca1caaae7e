package io.ringstack.journal;

/**
 * What the engine thread does when the journal's tap ring has no room for a record.
 */
public enum TapPolicy
{
    /**
     * Wait for room: lossless. With the journal agent on its own thread the engine thread backs off until the
     * agent has drained some of the ring; in embedded mode it runs the agent itself, so it can never deadlock.
     */
    BLOCK,

    /**
     * Drop the record and count it ({@code journal_lost}); when room returns the tap writes a
     * {@link JournalFormat#LOSS} record saying how many were lost there. A lossy journal cannot be replayed.
     */
    DROP
}
