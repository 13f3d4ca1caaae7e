package io.ringstack.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a client command's bytes go: counted, hashed with SHA-256 (FIPS 180-4) and, when asked, written to a file,
 * so that a transfer of any size can be compared with what the other end sent without being held in memory.
 */
final class Sha256Sink
{
    private final MessageDigest digest;
    private final OutputStream copy;
    private long count;

    /**
     * @param copy where to write the bytes too, or {@code null}.
     */
    Sha256Sink(final OutputStream copy)
    {
        try
        {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
        this.copy = copy;
    }

    void accept(final byte[] bytes, final int offset, final int length)
    {
        digest.update(bytes, offset, length);
        count += length;
        if (copy != null)
        {
            try
            {
                copy.write(bytes, offset, length);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write the received bytes: " + ex.getMessage(), ex);
            }
        }
    }

    long count()
    {
        return count;
    }

    /**
     * @return {@code N bytes, sha256 HEX}; the digest is final, so call it once.
     */
    String summary()
    {
        return count + " bytes, sha256 " + HexFormat.of().formatHex(digest.digest());
    }
}
