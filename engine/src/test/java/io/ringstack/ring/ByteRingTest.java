package io.ringstack.ring;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ByteRingTest
{
    @Test
    void rejectsCapacityThatIsNotAPowerOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new ByteRing(1000));
        assertThrows(IllegalArgumentException.class, () -> new ByteRing(0));
    }

    @Test
    void acceptsExactlyCapacityThenNothing()
    {
        final ByteRing ring = new ByteRing(64);

        assertEquals(64, ring.write(pattern(0, 64), 0, 64));
        assertEquals(64, ring.size());
        assertEquals(0, ring.write(new byte[1], 0, 1));

        final byte[] out = new byte[64];
        assertEquals(64, ring.read(out, 0, 64));
        assertArrayEquals(pattern(0, 64), out);
        assertEquals(0, ring.read(out, 0, 64));
        assertEquals(0, ring.size());
    }

    @Test
    void writesPartiallyWhenPartlyFull()
    {
        final ByteRing ring = new ByteRing(16);

        assertEquals(10, ring.write(pattern(0, 10), 0, 10));
        assertEquals(6, ring.write(pattern(10, 10), 0, 10));
        assertEquals(0, ring.write(pattern(0, 1), 0, 1));

        final byte[] out = new byte[16];
        assertEquals(16, ring.read(out, 0, 16));
        assertArrayEquals(pattern(0, 16), out);
    }

    @Test
    void readsPartiallyAndResumes()
    {
        final ByteRing ring = new ByteRing(32);
        ring.write(pattern(0, 20), 0, 20);

        final byte[] out = new byte[20];
        assertEquals(7, ring.read(out, 0, 7));
        assertEquals(13, ring.size());
        assertEquals(13, ring.read(out, 7, 100));
        assertArrayEquals(pattern(0, 20), out);
    }

    @Test
    void wrapsAroundTheEndOfTheBuffer()
    {
        final ByteRing ring = new ByteRing(16);
        final byte[] out = new byte[16];
        ring.write(pattern(0, 12), 0, 12);
        ring.read(out, 0, 12);

        assertEquals(16, ring.write(pattern(12, 16), 0, 16));
        assertEquals(16, ring.read(out, 0, 16));
        assertArrayEquals(pattern(12, 16), out);
    }

    @Test
    void writesFromAndReadsIntoOffsets()
    {
        final ByteRing ring = new ByteRing(16);
        final byte[] src = pattern(0, 10);
        ring.write(src, 4, 6);

        final byte[] out = new byte[10];
        assertEquals(6, ring.read(out, 2, 8));
        assertArrayEquals(new byte[]{0, 0, 4, 5, 6, 7, 8, 9, 0, 0}, out);
    }

    @Test
    void movesFiftyMegabytesBetweenTwoThreadsIntact()
    {
        final long total = 50L * 1024 * 1024;
        final ByteRing ring = new ByteRing(64 * 1024);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final CompletableFuture<Long> producer = CompletableFuture.supplyAsync(() -> produce(ring, total));

            final CRC32 crc = new CRC32();
            final byte[] buffer = new byte[5003];
            long received = 0;
            while (received < total)
            {
                final int count = ring.read(buffer, 0, buffer.length);
                if (count == 0)
                {
                    if (producer.isCompletedExceptionally())
                    {
                        producer.join();
                    }
                    Thread.onSpinWait();
                }
                crc.update(buffer, 0, count);
                received += count;
            }

            assertEquals(total, received);
            assertEquals(producer.join(), crc.getValue());
            assertEquals(0, ring.size());
        });
    }

    /**
     * Write {@code total} bytes of a pattern in chunks of every size from 1 to 7919, spinning while the ring is full.
     *
     * @return the CRC-32 of what was written.
     */
    private static long produce(final ByteRing ring, final long total)
    {
        final CRC32 crc = new CRC32();
        final byte[] chunk = new byte[7919];
        long sent = 0;
        int size = 1;
        while (sent < total)
        {
            final int length = (int)Math.min(size, total - sent);
            for (int i = 0; i < length; i++)
            {
                chunk[i] = (byte)((sent + i) * 31 + ((sent + i) >>> 13));
            }
            int offset = 0;
            while (offset < length)
            {
                final int written = ring.write(chunk, offset, length - offset);
                if (written == 0)
                {
                    Thread.onSpinWait();
                }
                offset += written;
            }
            crc.update(chunk, 0, length);
            sent += length;
            size = (size + 977) % chunk.length + 1;
        }
        return crc.getValue();
    }

    private static byte[] pattern(final int first, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(first + i);
        }
        return bytes;
    }
}
