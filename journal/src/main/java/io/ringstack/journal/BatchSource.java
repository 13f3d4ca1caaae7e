package io.ringstack.journal;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where {@link JournalReader} takes a journal's Chronicle documents (its batches) from, one at a time, each copied
 * out of Chronicle's mapped memory: read ahead on a thread of their own for a read of the whole journal
 * ({@link BatchReadAhead}), or one when it is needed for a read that stops soon or follows a journal still being
 * written ({@link TailerBatches}).
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
     * @return the memory under {@link #batch()}, for checksums over a {@link ByteBuffer}: its position and limit are
     * the caller's to set.
     */
    ByteBuffer batchMemory();

    /**
     * @return where {@link #batch()} begins in {@link #batchMemory()}.
     */
    int batchOffset();

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
