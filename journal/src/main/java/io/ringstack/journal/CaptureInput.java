package io.ringstack.journal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of a capture file, read forward through a window of a megabyte or more, so that a capture of small
 * packets costs one system call per window rather than two per packet. A gzip-compressed capture (RFC 1952, magic
 * {@code 1f 8b}) is inflated as it is read; positions are then positions in the inflated capture. Reads move
 * forward only: a position before the window's start is a programming error.
 */
final class CaptureInput implements AutoCloseable
{
    static final int WINDOW_BYTES = 1024 * 1024;
    private static final int GZIP_MAGIC = 0x1F8B;
    private static final int GZIP_BUFFER_BYTES = 64 * 1024;

    private final FileChannel file;
    private final long fileSize;
    private final ReadableByteChannel source;
    private final boolean compressed;
    private ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES);
    private long windowStart;
    private boolean ended;
    private boolean compressedCut;

    private CaptureInput(final FileChannel file, final long fileSize, final boolean compressed) throws IOException
    {
        this.file = file;
        this.fileSize = fileSize;
        this.compressed = compressed;
        source = compressed ?
            Channels.newChannel(new GZIPInputStream(Channels.newInputStream(file), GZIP_BUFFER_BYTES)) : file;
        window.limit(0);
    }

    /**
     * @return the capture in {@code file}, inflated when it is gzip-compressed.
     * @throws IOException when the file cannot be read, or its gzip header is malformed.
     */
    static CaptureInput open(final FileChannel file) throws IOException
    {
        final ByteBuffer magic = ByteBuffer.allocate(2);
        while (magic.hasRemaining() && file.read(magic, magic.position()) > 0)
        {
            // a short read goes on until the two bytes or the end of the file
        }
        final boolean compressed = !magic.hasRemaining() && (magic.getShort(0) & 0xFFFF) == GZIP_MAGIC;
        return new CaptureInput(file, file.size(), compressed);
    }

    /**
     * @return whether the capture is gzip-compressed.
     */
    boolean compressed()
    {
        return compressed;
    }

    /**
     * @return whether a compressed capture's gzip stream ended before its end (a cut download, a disk full).
     */
    boolean compressedCut()
    {
        return compressedCut;
    }

    /**
     * @return whether the {@code length} bytes at {@code position} are in the capture, reading ahead for them.
     */
    boolean has(final long position, final int length) throws IOException
    {
        final long end = position + length;
        if (!compressed && end > fileSize)
        {
            return false;
        }
        while (end > windowStart + window.limit() && !ended)
        {
            fill(position, length);
        }
        return end <= windowStart + window.limit();
    }

    /**
     * Copy the {@code length} bytes at {@code position}, which {@link #has} found, to the start of {@code into}.
     */
    void copy(final long position, final int length, final ByteBuffer into)
    {
        into.put(0, window, (int)(position - windowStart), length);
    }

    /**
     * @return how far into the file the read has gone, for progress: the compressed bytes read of a gzip capture.
     */
    long progressBytes(final long position) throws IOException
    {
        return compressed ? file.position() : position;
    }

    /**
     * @return the file's size, against which {@link #progressBytes} is reported.
     */
    long fileSize()
    {
        return fileSize;
    }

    public void close() throws IOException
    {
        source.close();
        file.close();
    }

    /**
     * Slide the window to begin at {@code position}, wide enough for {@code length} bytes, and read into it.
     */
    private void fill(final long position, final int length) throws IOException
    {
        if (position < windowStart)
        {
            throw new IllegalStateException("capture read backwards: " + position + " < " + windowStart);
        }
        final long windowEnd = windowStart + window.limit();
        final int keep = (int)Math.max(0, windowEnd - position);
        final int keepFrom = keep == 0 ? 0 : (int)(position - windowStart);
        if (length > window.capacity())
        {
            final ByteBuffer wider = ByteBuffer.allocateDirect(Integer.highestOneBit(length) * 2);
            wider.put(0, window, keepFrom, keep);
            window = wider;
        }
        else if (keep > 0 && keepFrom > 0)
        {
            window.put(0, window.duplicate(), keepFrom, keep);
        }
        // A gzip stream cannot skip: bytes before the position are inflated into the window and passed over.
        windowStart = keep > 0 || !compressed ? position : windowEnd;
        window.limit(window.capacity()).position(keep);
        try
        {
            while (window.hasRemaining())
            {
                final int read = compressed ? source.read(window) : file.read(window, windowStart + window.position());
                if (read < 0)
                {
                    ended = true;
                    break;
                }
            }
        }
        catch (final EOFException ex)
        {
            ended = true;
            compressedCut = true;
        }
        window.limit(window.position()).position(0);
    }
}
