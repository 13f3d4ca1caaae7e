package io.ringstack.ring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UncommittedMemoryTest
{
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long MIB = 1024 * 1024;
    private static final int PAGE = 4096;

    @Test
    void aBufferStartsAtTheAlignmentAskedFor()
    {
        for (final int alignment : new int[]{ 8, 64, 4096 })
        {
            final UnsafeBuffer buffer = UncommittedMemory.allocate(1000, alignment);

            assertEquals(0, buffer.addressOffset() % alignment, "alignment " + alignment);
            assertEquals(1000, buffer.capacity());
        }
    }

    @Test
    void aLargeRingIsResidentOnlyForTheBytesItHasHeld() throws IOException
    {
        assumeTrue(Files.isReadable(STATM), "needs Linux's /proc/self/statm to read the resident set");
        final long before = residentBytes();
        final ByteRing ring = new ByteRing(256 * (int)MIB);
        final long afterAllocation = residentBytes();

        final byte[] chunk = new byte[(int)MIB];
        for (int i = 0; i < 64; i++)
        {
            assertEquals(chunk.length, ring.write(chunk, 0, chunk.length));
        }
        final long afterWriting = residentBytes();

        assertTrue(afterAllocation - before < 16 * MIB,
            "a 256 MiB ring made " + (afterAllocation - before) / MIB + " MiB resident before anything was written");
        assertTrue(afterWriting - afterAllocation >= 60 * MIB,
            "64 MiB written made only " + (afterWriting - afterAllocation) / MIB + " MiB resident");
        assertEquals(64 * MIB, ring.size());
    }

    /** The second field of statm: resident pages. */
    private static long residentBytes() throws IOException
    {
        final String[] fields = Files.readString(STATM).trim().split(" ");
        return Long.parseLong(fields[1]) * PAGE;
    }
}
