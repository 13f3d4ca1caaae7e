package io.ringstack.journal;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where {@link JournalReader} takes a journal's Chronicle documents (its batches) from, one at a time, each copied
 * out of Chronicle's mapped memory and checked ({@link RecordChecks}): read ahead and checked on a thread of their
 * own for a read of the whole journal ({@link BatchReadAhead}), or one when it is needed for a read that stops soon
 * or follows a journal still being written ({@link TailerBatches}).
 */
interface BatchSource extends AutoCloseable
{
    /**
     * @return {@code true} with {@link #batch()} over the next document; {@code false} when there is none (yet), or
     * on a failure ({@link #failure()}).
     */
    boolean next();

    /**
     * @return the document {@link #next()} returned, valid until the next call.
     */
    UnsafeBuffer batch();

    /**
     * @return how many records of {@link #batch()}, from its first, passed the read's checks.
     */
    int intactRecords();

    /**
     * @return what is wrong with the record of {@link #batch()} after its intact ones, or with its header; {@code null}
     * when the whole batch is intact.
     */
    String problem();

    /**
     * @return what stopped the documents before the end of the queue, or {@code null}.
     */
    String failure();

    /**
     * @return Chronicle documents read so far, those read ahead and not yet taken included.
     */
    long documentsRead();

    void close();
}
