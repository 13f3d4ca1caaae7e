package io.ringstack.drivers.soak;

import io.ringstack.errno.Errno;
import io.ringstack.seed.SeedWorld;
import io.ringstack.services.HttpService;
import io.ringstack.services.TcpEchoService;
import io.ringstack.services.UdpEchoService;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mixed traffic from a world's guest to the services on its gateway until a deadline, one thread each:
 * <ul>
 *   <li>TCP echo: connections of {@value #TCP_CONNECTION_BYTES} bytes each, in {@value #TCP_ROUND_BYTES}-byte
 *       rounds written and read back, every byte compared;</li>
 *   <li>HTTP: {@code GET /bytes/N} with {@code Connection: close}, N from 1 byte to about 1 MiB, status, length and
 *       every byte of the body checked;</li>
 *   <li>UDP echo: one datagram of 1 to 1400 bytes at a time, answered within {@value #UDP_WAIT_MS} ms or counted
 *       lost; a late answer is counted as such and never taken for a later datagram's.</li>
 * </ul>
 * The first unexpected result stops its thread and is kept as {@link #failure()}.
 */
final class MixedTraffic
{
    private static final int TCP_ROUND_BYTES = 64 * 1024;
    private static final int TCP_CONNECTION_BYTES = 1 << 20;
    private static final int UDP_WAIT_MS = 2000;
    private static final int UDP_DATAGRAMS_PER_SOCKET = 10_000;
    private static final long CALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    final AtomicLong tcpBytes = new AtomicLong();
    final AtomicLong tcpConnections = new AtomicLong();
    final AtomicLong httpRequests = new AtomicLong();
    final AtomicLong httpBytes = new AtomicLong();
    final AtomicLong udpSent = new AtomicLong();
    final AtomicLong udpEchoed = new AtomicLong();
    final AtomicLong udpLost = new AtomicLong();
    final AtomicLong udpLate = new AtomicLong();

    private final String name;
    private final Sockets sockets;
    private final int gateway;
    private final Thread[] threads;
    private volatile long endNs;
    private volatile String failure;

    MixedTraffic(final String name, final SeedWorld world)
    {
        this.name = name;
        this.sockets = world.sockets();
        this.gateway = world.gatewayAddress();
        threads = new Thread[]{
            new Thread(() -> run(this::tcpEcho), name + "-tcp-echo-client"),
            new Thread(() -> run(this::http), name + "-http-client"),
            new Thread(() -> run(this::udpEcho), name + "-udp-echo-client") };
    }

    void start(final long endNs)
    {
        stopAt(endNs);
        for (final Thread thread : threads)
        {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * Move the moment the clients stop: each finishes its round, and starts no other.
     */
    void stopAt(final long endNs)
    {
        this.endNs = endNs;
    }

    /**
     * @return whether each TCP service has accepted at least {@code connections} connections from these clients.
     */
    boolean hasOpened(final long connections)
    {
        return tcpConnections.get() >= connections && httpRequests.get() >= connections;
    }

    /**
     * @return whether every thread stopped within {@code timeoutMs}.
     */
    boolean join(final long timeoutMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final Thread thread : threads)
        {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            if (thread.isAlive())
            {
                return false;
            }
        }
        return true;
    }

    String failure()
    {
        return failure;
    }

    String totals()
    {
        return String.format("%s: TCP echo %,d bytes over %,d connections; HTTP %,d requests, %,d body bytes; " +
            "UDP %,d sent, %,d echoed, %,d lost, %,d late", name, tcpBytes.get(), tcpConnections.get(),
            httpRequests.get(), httpBytes.get(), udpSent.get(), udpEchoed.get(), udpLost.get(), udpLate.get());
    }

    /**
     * One kind of traffic, round after round until the deadline.
     */
    @FunctionalInterface
    private interface Round
    {
        /**
         * @return {@code null}, or what went wrong.
         */
        String run(long round);
    }

    private void run(final Round round)
    {
        for (long i = 0; System.nanoTime() - endNs < 0 && failure == null; i++)
        {
            final String problem = round.run(i);
            if (problem != null)
            {
                failure = name + " " + Thread.currentThread().getName() + ": " + problem;
            }
        }
    }

    private String tcpEcho(final long connection)
    {
        final int fd = connect(TcpEchoService.PORT);
        if (fd < 0)
        {
            return "connect: " + Errno.describe(fd);
        }
        try
        {
            final byte[] sent = new byte[TCP_ROUND_BYTES];
            final byte[] received = new byte[TCP_ROUND_BYTES];
            for (int offset = 0; offset < TCP_CONNECTION_BYTES && System.nanoTime() - endNs < 0;
                offset += TCP_ROUND_BYTES)
            {
                for (int i = 0; i < sent.length; i++)
                {
                    sent[i] = (byte)(connection * 131 + offset + i * 7);
                }
                final int written = sockets.write(fd, sent, 0, sent.length);
                if (written != sent.length)
                {
                    return "write: " + Errno.describe(written) + " of " + sent.length;
                }
                final String problem = readFully(fd, received);
                if (problem != null)
                {
                    return problem;
                }
                for (int i = 0; i < sent.length; i++)
                {
                    if (sent[i] != received[i])
                    {
                        return "echoed byte " + (offset + i) + " of connection " + connection + " differs";
                    }
                }
                tcpBytes.addAndGet(sent.length);
            }
            tcpConnections.incrementAndGet();
            return null;
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private String http(final long request)
    {
        final int length = (int)(1 + (request * 7919) % (1 << 20));
        final int fd = connect(HttpService.PORT);
        if (fd < 0)
        {
            return "connect: " + Errno.describe(fd);
        }
        try
        {
            final byte[] ask = ("GET /bytes/" + length + " HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            final int written = sockets.write(fd, ask, 0, ask.length);
            if (written != ask.length)
            {
                return "write: " + Errno.describe(written);
            }
            final byte[] answer = new byte[length + 1024];
            int filled = 0;
            for (int read; (read = sockets.read(fd, answer, filled, answer.length - filled)) != 0; filled += read)
            {
                if (read < 0)
                {
                    return "read: " + Errno.describe(read) + " after " + filled + " bytes of GET /bytes/" + length;
                }
            }
            return checkHttpAnswer(answer, filled, length);
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private String checkHttpAnswer(final byte[] answer, final int filled, final int length)
    {
        final String text = new String(answer, 0, Math.min(filled, 1024), StandardCharsets.ISO_8859_1);
        final int headerEnd = text.indexOf("\r\n\r\n") + 4;
        if (!text.startsWith("HTTP/1.1 200 ") || headerEnd < 4 || filled - headerEnd != length)
        {
            return "GET /bytes/" + length + " answered " + filled + " bytes: " +
                text.substring(0, Math.max(0, text.indexOf('\r')));
        }
        for (int i = 0; i < length; i++)
        {
            if (answer[headerEnd + i] != (byte)(i % HttpService.PATTERN_MODULUS))
            {
                return "GET /bytes/" + length + ": body byte " + i + " differs";
            }
        }
        httpRequests.incrementAndGet();
        httpBytes.addAndGet(length);
        return null;
    }

    /**
     * Up to {@value #UDP_DATAGRAMS_PER_SOCKET} datagrams through one socket, each carrying its sequence number in its
     * first four bytes, the next sent once the last is echoed or given up on.
     */
    private String udpEcho(final long round)
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        if (fd < 0)
        {
            return "socket: " + Errno.describe(fd);
        }
        try
        {
            sockets.setReceiveTimeout(fd, TimeUnit.MILLISECONDS.toNanos(UDP_WAIT_MS));
            final SockAddr echo = SockAddr.inet(gateway, UdpEchoService.PORT);
            final byte[] datagram = new byte[1400];
            final byte[] reply = new byte[2048];
            for (int sequence = 0; sequence < UDP_DATAGRAMS_PER_SOCKET && System.nanoTime() - endNs < 0; sequence++)
            {
                final int length = 4 + (int)((round * 31 + sequence * 37L) % (datagram.length - 4));
                for (int i = 0; i < length; i++)
                {
                    datagram[i] = (byte)(i < 4 ? sequence >>> (8 * i) : sequence + i);
                }
                final int sent = sockets.sendto(fd, datagram, 0, length, 0, echo);
                if (sent != length)
                {
                    return "sendto: " + Errno.describe(sent);
                }
                udpSent.incrementAndGet();
                final String problem = awaitEcho(fd, datagram, length, sequence, reply);
                if (problem != null)
                {
                    return problem;
                }
            }
            return null;
        }
        finally
        {
            sockets.close(fd);
        }
    }

    /**
     * Wait for datagram {@code sequence} to come back, passing over late answers to earlier ones.
     */
    private String awaitEcho(
        final int fd, final byte[] datagram, final int length, final int sequence, final byte[] reply)
    {
        while (true)
        {
            final int received = sockets.recvfrom(fd, reply, 0, reply.length, 0, null);
            if (received == -Errno.EAGAIN)
            {
                udpLost.incrementAndGet();
                return null;
            }
            if (received < 4)
            {
                return "recvfrom: " + Errno.describe(received);
            }
            final int echoed = (reply[0] & 0xFF) | (reply[1] & 0xFF) << 8 | (reply[2] & 0xFF) << 16 | reply[3] << 24;
            if (echoed != sequence)
            {
                udpLate.incrementAndGet();
                continue;
            }
            if (received != length || !Arrays.equals(datagram, 0, length, reply, 0, length))
            {
                return "datagram " + sequence + " came back changed";
            }
            udpEchoed.incrementAndGet();
            return null;
        }
    }

    private int connect(final int port)
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        if (fd < 0)
        {
            return fd;
        }
        sockets.setReceiveTimeout(fd, CALL_TIMEOUT_NS);
        sockets.setSendTimeout(fd, CALL_TIMEOUT_NS);
        final int connected = sockets.connect(fd, SockAddr.inet(gateway, port));
        if (connected < 0)
        {
            sockets.close(fd);
            return connected;
        }
        return fd;
    }

    private String readFully(final int fd, final byte[] into)
    {
        for (int filled = 0, read; filled < into.length; filled += read)
        {
            read = sockets.read(fd, into, filled, into.length - filled);
            if (read <= 0)
            {
                return "read: " + Errno.describe(read) + " after " + filled + " of " + into.length + " bytes";
            }
        }
        return null;
    }
}
