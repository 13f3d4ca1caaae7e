package io.ringstack.journal;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dump written as bytes is the dump a writer gets, byte for byte in UTF-8, an imported capture's comments in any
 * script and each frame in hex included, across many blocks of the output; a channel that refuses the bytes ends the
 * output quietly, as a writer's error does, and says so.
 */
class TextOutputTest
{
    private static final long FIRST_NS = 1_700_000_000_000_000_000L;

    @TempDir
    Path directory;

    @Test
    void aDumpAsBytesIsTheDumpAWriterGetsInUtf8() throws IOException
    {
        PcapngCapture capture = new PcapngCapture(FIRST_NS, 1_000_000)
            .packet(PeerFrames.bytes(PeerFrames.arpRequest()), 42, "qui a l'adresse ? — 誰ですか");
        for (int i = 0; i < 3000; i++)
        {
            capture = capture.packet(PeerFrames.bytes(PeerFrames.udp(40000 + i, 9999, 8)), 50, i % 1000 == 0 ?
                "sonde n° " + i : null);
        }
        final Path journal = capture.importInto(directory);

        final StringWriter text = new StringWriter();
        final Path bytes = directory.resolve("dump.txt");
        try (JournalReader reader = JournalReader.open(journal))
        {
            assertTrue(JournalDump.write(reader, new RecordFilter(), true, new PrintWriter(text)).intact());
        }
        try (JournalReader reader = JournalReader.open(journal);
            FileChannel channel = FileChannel.open(bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final TextOutput out = new TextOutput(channel, "dump");
            assertTrue(JournalDump.write(reader, new RecordFilter(), true, out).intact());
            out.close();
            assertFalse(out.checkError());
        }
        assertTrue(text.toString().contains("誰ですか"), "the comment, in its own script");
        assertTrue(Files.size(bytes) > 4 * 256 * 1024, "more than a few blocks of output: " + Files.size(bytes));
        assertArrayEquals(text.toString().getBytes(StandardCharsets.UTF_8), Files.readAllBytes(bytes));
    }

    @Test
    void aChannelThatRefusesTheBytesEndsTheOutputQuietly() throws IOException
    {
        final Path file = Files.createFile(directory.resolve("read-only"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final TextOutput out = new TextOutput(channel, "dump");
            final byte[] line = "#1        +0.000000000    CYCLE     \n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 20_000; i++)
            {
                out.write(line, line.length);
            }
            out.close();
            assertTrue(out.checkError());
        }
        assertEquals(0, Files.size(file));
    }
}
