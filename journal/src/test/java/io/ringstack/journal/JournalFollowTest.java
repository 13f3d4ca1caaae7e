package io.ringstack.journal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Following a journal as {@code tail -f} does: a read that reaches the end of a journal still being written waits
 * and reads what is written after, and ends when the journal is closed, when its deadline passes, when it is
 * stopped from another thread, or when its output has failed; never later.
 */
class JournalFollowTest
{
    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void aFollowReadsEachDocumentWrittenAfterItWaitedAndEndsWithTheEndRecord() throws InterruptedException
    {
        final Path journal = directory.resolve("live");
        final AtomicInteger waits = new AtomicInteger();
        final CountDownLatch created = new CountDownLatch(1);
        final Thread writer = new Thread(() -> writeAfterEachWait(journal, created, waits), "journal-writer");
        writer.start();
        assertTrue(created.await(HANG.toMillis(), TimeUnit.MILLISECONDS), "the writer made the journal");
        final AtomicLong records = new AtomicLong();
        final ReadResult result;
        try (JournalReader reader = JournalReader.open(journal))
        {
            result = assertTimeoutPreemptively(HANG, () -> reader.follow((record) -> records.incrementAndGet() > 0,
                JournalPosition.START, new Follow(HANG.toNanos(), () -> waits.incrementAndGet() > 0)));
        }
        writer.join(HANG.toMillis());

        assertTrue(result.intact(), result.problem());
        assertTrue(result.closed(), "the END record ended the read");
        assertEquals(1 + 1 + 3 * 2 + 1, records.get(), "the header, the first cycle, three documents, END");
        assertTrue(waits.get() >= 3, "it waited before each document written later: " + waits.get());
    }

    @Test
    void aFollowOfAJournalNobodyClosesEndsAtItsDeadline()
    {
        final Path journal = directory.resolve("open");
        try (CycleJournal cycles = new CycleJournal(journal))
        {
            cycles.document(4).document(4);
        }
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(300);
        try (JournalReader reader = JournalReader.open(journal))
        {
            final long startNs = System.nanoTime();
            final ReadResult result = assertTimeoutPreemptively(HANG, () -> reader.follow((record) -> true,
                JournalPosition.START, new Follow(timeoutNs, () -> true)));
            final long elapsedNs = System.nanoTime() - startNs;

            assertTrue(result.intact(), result.problem());
            assertFalse(result.closed());
            assertEquals(1 + 8, result.records());
            assertTrue(elapsedNs >= timeoutNs, "it followed until its deadline: " + elapsedNs + " ns");
        }
    }

    @Test
    void aFollowStoppedFromAnotherThreadEndsAtOnce()
    {
        final Path journal = directory.resolve("stopped");
        try (CycleJournal cycles = new CycleJournal(journal))
        {
            cycles.document(2);
        }
        final Follow follow = new Follow(Follow.NO_DEADLINE, () -> true);
        final Thread stopper = new Thread(() ->
        {
            sleepMillis(200);
            follow.stop();
        }, "ctrl-c");
        try (JournalReader reader = JournalReader.open(journal))
        {
            stopper.start();
            final ReadResult result = assertTimeoutPreemptively(HANG,
                () -> reader.follow((record) -> true, JournalPosition.START, follow));

            assertTrue(follow.stopped());
            assertTrue(result.intact(), result.problem());
            assertEquals(1 + 2, result.records());
        }
    }

    @Test
    void aFollowWhoseOutputHasFailedEndsAtItsFirstWait()
    {
        final Path journal = directory.resolve("unread");
        try (CycleJournal cycles = new CycleJournal(journal))
        {
            cycles.document(3);
        }
        final AtomicInteger waits = new AtomicInteger();
        try (JournalReader reader = JournalReader.open(journal))
        {
            final ReadResult result = assertTimeoutPreemptively(HANG, () -> reader.follow((record) -> true,
                JournalPosition.START, new Follow(Follow.NO_DEADLINE, () -> waits.incrementAndGet() < 0)));

            assertTrue(result.intact(), result.problem());
            assertFalse(result.closed());
            assertEquals(1 + 3, result.records());
            assertEquals(1, waits.get(), "the output was asked once, before the first wait");
        }
    }

    /**
     * Make the journal (its header and a document of one cycle), then write a document of two cycles after each of
     * the reader's next three waits, then END.
     */
    private static void writeAfterEachWait(final Path journal, final CountDownLatch created, final AtomicInteger waits)
    {
        try (CycleJournal cycles = new CycleJournal(journal))
        {
            cycles.document(1);
            created.countDown();
            for (int document = 1; document <= 3; document++)
            {
                final long deadlineNs = System.nanoTime() + HANG.toNanos();
                while (waits.get() < document && System.nanoTime() - deadlineNs < 0)
                {
                    sleepMillis(5);
                }
                cycles.document(2);
            }
            cycles.end();
        }
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
