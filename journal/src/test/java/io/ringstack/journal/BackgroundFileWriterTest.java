package io.ringstack.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocks filled in the writer's two buffers and handed over reach the file whole and in the order handed over, the
 * buffers taking turns, each given back empty only once the thread has written it; a block the file refuses, or one
 * that stalls past the deadline, is reported, as one line naming the file, by the call that waits for it.
 */
class BackgroundFileWriterTest
{
    @TempDir
    Path directory;

    @Test
    void blocksReachTheFileInTheOrderTheyWereHandedOver() throws IOException
    {
        final Path file = directory.resolve("blocks");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            final BackgroundFileWriter writer = new BackgroundFileWriter(channel, "blocks", 64);
            ByteBuffer block = writer.buffer();
            for (int i = 0; i < 10; i++)
            {
                block.put(("block " + i + ";").getBytes(StandardCharsets.US_ASCII));
                block = writer.handOver(block.position());
            }
            writer.finish();
        }
        assertEquals("block 0;block 1;block 2;block 3;block 4;block 5;block 6;block 7;block 8;block 9;",
            Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void theBuffersTakeTurnsAndNoByteIsLostOrReorderedAcrossManySwaps()
    {
        final TricklingChannel channel = new TricklingChannel();
        final BackgroundFileWriter writer = new BackgroundFileWriter(channel, "blocks", 1024);
        final ByteBuffer first = writer.buffer();
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteBuffer block = first;
        ByteBuffer handedOver = null;
        for (int i = 0; i < 5000; i++)
        {
            final int length = (i * 37) % (block.capacity() + 1);
            for (int j = 0; j < length; j++)
            {
                final byte next = (byte)(expected.size() % 251);
                block.put(next);
                expected.write(next);
            }
            final ByteBuffer filled = block;
            block = writer.handOver(length);
            assertNotSame(filled, block, "the other buffer, at hand-over " + i);
            if (handedOver != null)
            {
                assertSame(handedOver, block, "the buffer handed over before, at hand-over " + i);
            }
            assertSame(block, writer.buffer());
            assertEquals(0, block.position(), "empty, at hand-over " + i);
            assertEquals(block.capacity(), block.limit(), "empty, at hand-over " + i);
            handedOver = filled;
        }
        writer.finish();
        assertTrue(channel.writes > 5000, "the thread wrote each block in many pieces: " + channel.writes);
        assertArrayEquals(expected.toByteArray(), channel.written.toByteArray());
    }

    @Test
    void aBlockTheFileRefusesIsReportedByTheCallThatWaitsForIt() throws IOException
    {
        final Path file = Files.createFile(directory.resolve("read-only"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final BackgroundFileWriter writer = new BackgroundFileWriter(channel, "pcapng", 16);
            writer.buffer().put(new byte[16]);
            writer.handOver(16);
            final JournalException refused = assertThrows(JournalException.class, writer::finish);
            assertTrue(refused.getMessage().startsWith("cannot write pcapng: "), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
        }
    }

    @Test
    void aBlockThatStallsPastTheDeadlineIsReportedByTheNextHandOverWhichHandsNothingOver()
    {
        final CountDownLatch never = new CountDownLatch(1);
        final WritableByteChannel stalled = new TricklingChannel()
        {
            public int write(final ByteBuffer source) throws IOException
            {
                try
                {
                    never.await();
                }
                catch (final InterruptedException ex)
                {
                    throw new InterruptedIOException("interrupted");
                }
                return super.write(source);
            }
        };
        final BackgroundFileWriter writer =
            new BackgroundFileWriter(stalled, "pcapng", 16, TimeUnit.MILLISECONDS.toNanos(20));
        writer.buffer().put((byte)1);
        final ByteBuffer next = writer.handOver(1);
        next.put((byte)2);
        final JournalException stall = assertThrows(JournalException.class, () -> writer.handOver(1));
        assertTrue(stall.getMessage().startsWith("cannot write pcapng: the write stalled for "), stall.getMessage());
        assertEquals(1, stall.getMessage().lines().count(), stall.getMessage());
        assertSame(next, writer.buffer(), "still the buffer to fill");
        assertEquals(1, next.position(), "what was filled is still there");
        writer.finish();
    }

    /**
     * Takes at most 7 bytes a call, so that the writer's thread is still at a block while the next is filled.
     */
    private static class TricklingChannel implements WritableByteChannel
    {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int writes;

        public int write(final ByteBuffer source) throws IOException
        {
            final int count = Math.min(7, source.remaining());
            for (int i = 0; i < count; i++)
            {
                written.write(source.get());
            }
            writes++;
            Thread.yield();
            return count;
        }

        public boolean isOpen()
        {
            return true;
        }

        public void close()
        {
        }
    }
}
