package io.ringstack.socket.inet;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.INADDR_ANY;
import static io.ringstack.socket.SocketConstants.INADDR_LOOPBACK;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's UDP data calls over an engine on its own thread: what {@code sendto} and {@code recvfrom}
 * return, and what they promise when threads share a socket. Every blocking call has a short timeout, and each test
 * runs within {@link #LIMIT}, so a call that hangs fails the test with a message.
 */
class UdpSocketCallsTest
{
    private static final Duration LIMIT = Duration.ofSeconds(20);
    private static final long RECEIVE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int SERVER_PORT = 7200;

    private final Ringstack stack = Ringstack.launch(new EngineContext()
        .name("udp-calls")
        .interfaceConfig(new InterfaceConfig(Ipv4Text.parse("10.0.2.15"), 24, 0, 0x0200_0000_0001L))
        .set(Setting.CALL_TIMEOUT_NS, TimeUnit.SECONDS.toNanos(5)), true, null);
    private final Sockets sockets = stack.sockets();

    @AfterEach
    void close()
    {
        stack.close();
    }

    @Test
    void twoThreadsReadingOneSocketReceiveEachDatagramExactlyOnce()
    {
        final int datagrams = 4000;
        final int server = boundSocket(SERVER_PORT);
        final int client = boundSocket(0);
        final BitSet seen = new BitSet(datagrams);
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();

        assertTimeoutPreemptively(LIMIT, () ->
        {
            final Runnable reader = () ->
            {
                final byte[] buffer = new byte[8];
                final UnsafeBuffer view = new UnsafeBuffer(buffer);
                while (received.get() < datagrams)
                {
                    if (sockets.recvfrom(server, buffer, 0, buffer.length, 0, null) == Integer.BYTES)
                    {
                        final int sequence = view.getInt(0);
                        synchronized (seen)
                        {
                            if (seen.get(sequence))
                            {
                                duplicates.incrementAndGet();
                            }
                            seen.set(sequence);
                        }
                        received.incrementAndGet();
                    }
                }
            };
            final Thread first = new Thread(reader, "udp-reader-1");
            final Thread second = new Thread(reader, "udp-reader-2");
            first.start();
            second.start();
            final byte[] request = new byte[Integer.BYTES];
            final UnsafeBuffer view = new UnsafeBuffer(request);
            final SockAddr destination = SockAddr.inet(INADDR_LOOPBACK, SERVER_PORT);
            for (int i = 0; i < datagrams; i++)
            {
                view.putInt(0, i);
                assertEquals(Integer.BYTES, sockets.sendto(client, request, 0, request.length, 0, destination));
            }
            first.join();
            second.join();
        });

        assertEquals(0, duplicates.get(), "datagrams read twice");
        assertEquals(datagrams, seen.cardinality(), stack::diagnostics);
    }

    private int boundSocket(final int port)
    {
        final int fd = sockets.socket(AF_INET, SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> "socket: " + Errno.describe(fd));
        assertEquals(0, sockets.bind(fd, SockAddr.inet(INADDR_ANY, port)), "bind");
        assertEquals(0, sockets.setReceiveTimeout(fd, RECEIVE_TIMEOUT_NS), "setReceiveTimeout");
        return fd;
    }
}
