package io.ringstack.testkit;

import java.security.MessageDigest;

/**
 * What a transfer test reads from a stream: how many bytes, their SHA-256, and whether the stream has ended; to
 * compare with the {@link SeededSource} the far end wrote.
 */
public final class DigestSink
{
    /**
     * Where the bytes come from, e.g. a non-blocking socket's read.
     */
    @FunctionalInterface
    public interface Reader
    {
        /**
         * @return bytes read, 0 at the end of the stream, a negative number when there are none now.
         */
        int read(byte[] buffer, int offset, int length);
    }

    private final MessageDigest digest = SeededSource.sha256();
    private final byte[] buffer;
    private long total;
    private boolean ended;

    public DigestSink(final int chunkSize)
    {
        buffer = new byte[chunkSize];
    }

    /**
     * Read chunk after chunk until there are none now or the stream ends.
     *
     * @return bytes read.
     */
    public long readSome(final Reader reader)
    {
        long total = 0;
        int read;
        while ((read = reader.read(buffer, 0, buffer.length)) > 0)
        {
            digest.update(buffer, 0, read);
            total += read;
        }
        this.total += total;
        ended |= read == 0;
        return total;
    }

    public long total()
    {
        return total;
    }

    public boolean ended()
    {
        return ended;
    }

    /**
     * @return the SHA-256 of every byte read.
     */
    public byte[] digest()
    {
        return digest.digest();
    }
}
