package io.ringstack.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocks handed to the writer's thread reach the file whole and in the order handed over, and a block the file
 * refuses is reported, as one line naming the file, by the call that waits for it.
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
            final BackgroundFileWriter writer = new BackgroundFileWriter(channel, "blocks");
            final ByteBuffer[] buffers = { ByteBuffer.allocateDirect(64), ByteBuffer.allocateDirect(64) };
            for (int i = 0; i < 10; i++)
            {
                final ByteBuffer block = buffers[i & 1];
                block.clear();
                block.put(("block " + i + ";").getBytes(StandardCharsets.US_ASCII)).flip();
                writer.write(block);
            }
            writer.finish();
        }
        assertEquals("block 0;block 1;block 2;block 3;block 4;block 5;block 6;block 7;block 8;block 9;",
            Files.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void aBlockTheFileRefusesIsReportedByTheCallThatWaitsForIt() throws IOException
    {
        final Path file = Files.createFile(directory.resolve("read-only"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final BackgroundFileWriter writer = new BackgroundFileWriter(channel, "pcapng");
            writer.write(ByteBuffer.wrap(new byte[16]));
            final JournalException refused = assertThrows(JournalException.class, writer::finish);
            assertTrue(refused.getMessage().startsWith("cannot write pcapng: "), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
        }
    }
}
