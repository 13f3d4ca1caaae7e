package io.ringstack.services;

import io.ringstack.errno.Errno;
import io.ringstack.seed.SeedWorld;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP service on the gateway engine, asked by a client on the guest engine: {@code POST /sha256} answers the
 * digests FIPS 180-2 gives for its examples, hashes a body far larger than any buffer of the service, leaves a
 * pipelined request after the body intact, and refuses a body without a length.
 */
class HttpServiceTest
{
    private static final Duration TEST_LIMIT = Duration.ofSeconds(30);
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    /** FIPS 180-2 appendix B.1: SHA-256("abc"). */
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** SHA-256 of the empty message. */
    private static final String SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private SeedWorld world;
    private HttpService service;
    private Sockets client;

    @BeforeEach
    void start()
    {
        world = SeedWorld.overPipe("http", null);
        service = new HttpService(world.gateway().sockets(), HttpService.PORT);
        final int started = service.start();
        assertEquals(0, started, () -> Errno.describe(started));
        client = world.guest().sockets();
    }

    @AfterEach
    void stop()
    {
        service.close();
        world.close();
    }

    @Test
    void postSha256AnswersTheFipsDigestOfAbcAndOfTheEmptyBody()
    {
        assertTimeoutPreemptively(TEST_LIMIT, () ->
        {
            assertEquals(ok(SHA256_ABC), exchange(post("abc".getBytes(StandardCharsets.US_ASCII), true)));
            assertEquals(ok(SHA256_EMPTY), exchange(post(new byte[0], true)));
        });
    }

    @Test
    void aFourMebibyteBodyAfterExpectContinueIsHashedAsItStreams() throws Exception
    {
        final byte[] body = new byte[4 << 20];
        for (int i = 0; i < body.length; i++)
        {
            body[i] = (byte)(i * 31 + (i >>> 13));
        }
        final String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        final String head = "POST /sha256 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nConnection: close\r\n" +
            "Content-Length: " + body.length + "\r\n\r\n";

        assertTimeoutPreemptively(TEST_LIMIT, () ->
        {
            final String answer = exchange(concat(head.getBytes(StandardCharsets.US_ASCII), body));
            assertTrue(answer.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), answer);
            assertEquals(ok(expected), answer.substring("HTTP/1.1 100 Continue\r\n\r\n".length()));
        });
    }

    @Test
    void aRequestPipelinedAfterTheBodyIsAnsweredOnTheSameConnection()
    {
        final byte[] get = "GET /bytes/3 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

        assertTimeoutPreemptively(TEST_LIMIT, () ->
        {
            final String answer = exchange(concat(post("abc".getBytes(StandardCharsets.US_ASCII), false), get));
            final String first = ok(SHA256_ABC).replace("Connection: close\r\n", "");
            assertTrue(answer.startsWith(first), answer);
            assertTrue(answer.endsWith("\r\n\r\n\u0000\u0001\u0002"), answer);
        });
    }

    @Test
    void aPostWithoutContentLengthIs411AndAPostElsewhereIs404()
    {
        assertTimeoutPreemptively(TEST_LIMIT, () ->
        {
            final String chunked = exchange(("POST /sha256 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
                "3\r\nabc\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertTrue(chunked.startsWith("HTTP/1.1 411 Length Required\r\n"), chunked);
            final String elsewhere = exchange(("POST /upload HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n" +
                "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertTrue(elsewhere.startsWith("HTTP/1.1 404 Not Found\r\n"), elsewhere);
        });
    }

    private static byte[] post(final byte[] body, final boolean close)
    {
        final String head = "POST /sha256 HTTP/1.1\r\nHost: t\r\n" + (close ? "Connection: close\r\n" : "") +
            "Content-Length: " + body.length + "\r\n\r\n";
        return concat(head.getBytes(StandardCharsets.US_ASCII), body);
    }

    private static String ok(final String digest)
    {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 65\r\n" +
            "Connection: close\r\nServer: ringstack\r\n\r\n" + digest + "\n";
    }

    /**
     * Connect to the service, send {@code request}, and read until the service closes the connection.
     */
    private String exchange(final byte[] request)
    {
        final int fd = client.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
        try
        {
            client.setReceiveTimeout(fd, TIMEOUT_NS);
            client.setSendTimeout(fd, TIMEOUT_NS);
            final int connected = client.connect(fd, SockAddr.inet(SeedWorld.GATEWAY_ADDRESS, HttpService.PORT));
            assertEquals(0, connected, () -> Errno.describe(connected) + "\n" + world.diagnostics());
            for (int written = 0; written < request.length; )
            {
                final int result = client.write(fd, request, written, request.length - written);
                assertTrue(result > 0, () -> Errno.describe(result));
                written += result;
            }
            final ByteArrayOutputStream answer = new ByteArrayOutputStream();
            final byte[] buffer = new byte[4096];
            int read;
            while ((read = client.read(fd, buffer, 0, buffer.length)) > 0)
            {
                answer.write(buffer, 0, read);
            }
            final int end = read;
            assertEquals(0, end, () -> "read ended with " + Errno.describe(end));
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
        finally
        {
            client.close(fd);
        }
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
