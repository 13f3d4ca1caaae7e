package io.ringstack.services;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP service under more clients than it has workers, over the engine's loopback: a request that waits for a
 * worker past the queue timeout is answered {@code 503 Service Unavailable} with {@code Retry-After} (RFC 9110
 * 15.6.4) and a clean close, never left hanging or reset unread; once workers are free, requests are served again.
 */
@Timeout(60)
class HttpServiceOverloadTest
{
    private static final int WORKERS = 64;
    private static final long QUEUE_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final int PORT = 8080;
    private static final String ADDRESS = "10.0.2.15";
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII);

    private Ringstack stack;
    private Sockets sockets;
    private HttpService service;
    private final List<Integer> idle = new ArrayList<>();

    @BeforeEach
    void startService()
    {
        stack = Ringstack.launch(new EngineContext().name("http-overload")
            .interfaceConfig(InterfaceConfig.parse(ADDRESS + "/24", null, 0x5254_0012_3456L)), true, null);
        sockets = stack.sockets();
        service = new HttpService(sockets, PORT, QUEUE_TIMEOUT_NS);
        assertEquals(0, service.start());
    }

    @AfterEach
    void stop()
    {
        idle.forEach(sockets::close);
        service.close();
        stack.close();
    }

    @Test
    void requestThatWaitsPastTheQueueTimeoutIsAnswered503WithRetryAfter()
    {
        occupyEveryWorker();

        final long startNs = System.nanoTime();
        final String answer = request();
        final long waitedNs = System.nanoTime() - startNs;

        assertTrue(answer.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), answer);
        assertTrue(answer.contains("\r\nRetry-After: 1\r\n"), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
        assertTrue(waitedNs >= QUEUE_TIMEOUT_NS && waitedNs < QUEUE_TIMEOUT_NS + TimeUnit.SECONDS.toNanos(5),
            () -> "answered after " + TimeUnit.NANOSECONDS.toMillis(waitedNs) + " ms");
        assertEquals(1, service.refusedConnections());
    }

    @Test
    void requestsAreServedAgainOnceWorkersAreFree()
    {
        occupyEveryWorker();
        assertTrue(request().startsWith("HTTP/1.1 503 "));

        idle.forEach(sockets::close);
        idle.clear();

        final String answer = request();
        assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
    }

    /**
     * Connect clients that send nothing: each holds a worker in its read until the idle timeout.
     */
    private void occupyEveryWorker()
    {
        for (int i = 0; i < WORKERS; i++)
        {
            idle.add(connect());
        }
    }

    private int connect()
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        assertTrue(fd >= 0, () -> "socket: " + fd);
        final int result = sockets.connect(fd, SockAddr.inet(Ipv4Text.parse(ADDRESS), PORT));
        assertEquals(0, result, "connect");
        return fd;
    }

    /**
     * @return the whole answer to one GET, read until the server closes.
     */
    private String request()
    {
        final int fd = connect();
        try
        {
            sockets.setReceiveTimeout(fd, TimeUnit.SECONDS.toNanos(20));
            assertEquals(GET.length, sockets.write(fd, GET, 0, GET.length));
            final byte[] answer = new byte[4096];
            int filled = 0;
            for (int read; (read = sockets.read(fd, answer, filled, answer.length - filled)) > 0; )
            {
                filled += read;
            }
            return new String(answer, 0, filled, StandardCharsets.US_ASCII);
        }
        finally
        {
            sockets.close(fd);
        }
    }
}
