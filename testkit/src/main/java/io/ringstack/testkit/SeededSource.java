package io.ringstack.testkit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * What a transfer test writes into a stream: {@link #totalBytes()} bytes drawn from a generator seeded with 42, a
 * chunk at a time, and their SHA-256, so that what the far end reads ({@link DigestSink}) can be compared by count
 * and digest without either side keeping the bytes.
 */
public final class SeededSource
{
    /**
     * Where the bytes go, e.g. a non-blocking socket's write.
     */
    @FunctionalInterface
    public interface Writer
    {
        /**
         * @return bytes taken, 0 when none can be taken now.
         */
        int write(byte[] buffer, int offset, int length);
    }

    private final MessageDigest digest = sha256();
    private final SplittableRandom random = new SplittableRandom(42);
    private final byte[] chunk;
    private final long totalBytes;
    private long remaining;
    private int length;
    private int offset;

    public SeededSource(final long totalBytes, final int chunkSize)
    {
        this.totalBytes = totalBytes;
        chunk = new byte[chunkSize];
        remaining = totalBytes;
    }

    public long totalBytes()
    {
        return totalBytes;
    }

    /**
     * @return whether every byte has been written.
     */
    public boolean finished()
    {
        return remaining == 0 && offset == length;
    }

    /**
     * Write chunk after chunk, drawing each when the last is gone, until {@code writer} takes no more or every byte
     * is written.
     *
     * @return bytes written.
     */
    public long writeSome(final Writer writer)
    {
        long total = 0;
        int written;
        do
        {
            if (offset == length)
            {
                if (remaining == 0)
                {
                    break;
                }
                length = (int)Math.min(remaining, chunk.length);
                random.nextBytes(chunk);
                digest.update(chunk, 0, length);
                remaining -= length;
                offset = 0;
            }
            written = writer.write(chunk, offset, length - offset);
            offset += written;
            total += written;
        }
        while (written > 0);
        return total;
    }

    /**
     * @return the SHA-256 of every byte drawn so far, all of them once {@link #finished()}.
     */
    public byte[] digest()
    {
        return digest.digest();
    }

    static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
