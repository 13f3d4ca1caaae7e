package io.ringstack.journal;

/**
 * Told how far a long operation has come, now and then; for progress on a terminal. A journal read reports
 * Chronicle documents (batches) read of those there were when it began; a capture import reports bytes of the
 * capture read of its size.
 */
@FunctionalInterface
public interface ProgressListener
{
    /** Reports nothing. */
    ProgressListener NONE = (done, total, records) -> { };

    /**
     * @param done    units of work done so far.
     * @param total   units of work in all.
     * @param records records (or packets) handled so far.
     */
    void onProgress(long done, long total, long records);
}
