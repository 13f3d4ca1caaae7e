package io.ringstack.drivers.link;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The datagrams the Linux kernel dropped for one IPv4 UDP socket because its receive buffer was full, as the
 * {@code drops} column of {@code /proc/net/udp} shows them ({@code sk_drops}, {@code udp4_format_sock} in
 * {@code net/ipv4/udp.c}), copied into a counter.
 * <p>
 * The socket's line is the one whose local and remote addresses are the socket's; the kernel prints each as
 * {@code %08X:%04X}, the address as the native-order value of its four network-order bytes and the port in host
 * order, and pads every line to 127 characters, so a line is found by a fixed byte pattern and its last number
 * read backwards from its end. A look allocates nothing: the file stays open and is read from its start into one
 * direct buffer, one batch of whole lines per read. {@code /proc/net/udp} lists the sockets of the reader's own
 * network namespace, which is the socket's.
 */
final class UdpKernelDrops implements AutoCloseable
{
    private static final Path PROC_NET_UDP = Path.of("/proc/net/udp");
    /** Room for 512 lines of 128 bytes each per read. */
    private static final int READ_BYTES = 64 * 1024;

    private final AtomicCounter counter;
    private final byte[] pattern;
    private final FileChannel file;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BYTES);
    private final UnsafeBuffer view = new UnsafeBuffer(readBuffer);

    private UdpKernelDrops(final AtomicCounter counter, final byte[] pattern, final FileChannel file)
    {
        this.counter = counter;
        this.pattern = pattern;
        this.file = file;
    }

    /**
     * @param local  the socket's bound address.
     * @param remote the address it is connected to.
     * @return a reader into {@code counter}, or {@code null} where this system has no {@code /proc/net/udp}.
     */
    static UdpKernelDrops open(final InetSocketAddress local, final InetSocketAddress remote, final AtomicCounter counter)
    {
        try
        {
            return new UdpKernelDrops(counter, pattern(local, remote),
                FileChannel.open(PROC_NET_UDP, StandardOpenOption.READ));
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return null;
        }
    }

    /**
     * @return {@code ": LOCAL REMOTE "} as the kernel prints the two columns after a line's slot number.
     */
    static byte[] pattern(final InetSocketAddress local, final InetSocketAddress remote)
    {
        return (": " + column(local) + " " + column(remote) + " ").getBytes(StandardCharsets.US_ASCII);
    }

    private static String column(final InetSocketAddress address)
    {
        final int nativeValue = ByteBuffer.wrap(address.getAddress().getAddress()).order(ByteOrder.nativeOrder())
            .getInt();
        return String.format("%08X:%04X", nativeValue, address.getPort());
    }

    /**
     * Read the socket's drops and store them in the counter; leaves it as it was when the line is not found.
     *
     * @return the drops read, or {@code -1} when the socket's line was not found.
     */
    long read()
    {
        long position = 0;
        try
        {
            while (true)
            {
                readBuffer.clear();
                final int read = file.read(readBuffer, position);
                if (read <= 0)
                {
                    return -1;
                }
                int end = read;
                while (end > 0 && view.getByte(end - 1) != '\n')
                {
                    end--;
                }
                final long drops = find(end);
                if (drops >= 0)
                {
                    counter.setRelease(drops);
                    return drops;
                }
                if (end == 0)
                {
                    return -1;
                }
                position += end;
            }
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    /**
     * @param end the end of the whole lines in the buffer.
     * @return the drops on the line that holds the pattern, or {@code -1}.
     */
    private long find(final int end)
    {
        final int last = end - pattern.length;
        for (int i = 0; i <= last; i++)
        {
            if (matches(i))
            {
                int lineEnd = i + pattern.length;
                while (view.getByte(lineEnd) != '\n')
                {
                    lineEnd++;
                }
                return lastNumber(lineEnd);
            }
        }
        return -1;
    }

    private boolean matches(final int at)
    {
        for (int j = 0; j < pattern.length; j++)
        {
            if (view.getByte(at + j) != pattern[j])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the number that ends the line ending at {@code lineEnd}, before the padding spaces.
     */
    private long lastNumber(final int lineEnd)
    {
        int i = lineEnd - 1;
        while (view.getByte(i) == ' ')
        {
            i--;
        }
        long value = 0;
        long scale = 1;
        for (byte digit = view.getByte(i); digit >= '0' && digit <= '9'; digit = view.getByte(--i))
        {
            value += (digit - '0') * scale;
            scale *= 10;
        }
        return value;
    }

    public void close()
    {
        try
        {
            file.close();
        }
        catch (final IOException ignore)
        {
            // a file open for reading closes
        }
    }
}
