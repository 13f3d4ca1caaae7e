package io.ringstack.services;

import io.ringstack.socket.Sockets;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server (RFC 9112) for trying the engine with {@code curl}: {@code GET /} answers 200 with a line
 * of text, {@code GET /bytes/N} answers N bytes where byte i is {@code i mod 251} (a pattern no power-of-two
 * buffer boundary can hide). Connections are persistent unless the request says {@code Connection: close} or is
 * HTTP/1.0. Other methods get 405, other paths 404, malformed requests 400, oversize headers 431. A connection that
 * no worker will serve in time gets 503 with {@code Retry-After} (RFC 9110 15.6.4, 10.2.3), its request read first
 * so that closing it sends FIN rather than RST.
 */
public final class HttpService extends TcpService
{
    public static final int PORT = 80;
    public static final int PATTERN_MODULUS = 251;
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final long REFUSAL_READ_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int RETRY_AFTER_SECONDS = 1;
    private static final String BYTES_PATH = "/bytes/";
    private static final byte[] PATTERN = pattern(PATTERN_MODULUS * 256);

    public HttpService(final Sockets sockets, final int port)
    {
        super(sockets, port, "http");
    }

    /**
     * @param queueTimeoutNs how long a connection may wait for a worker before it is answered 503.
     */
    public HttpService(final Sockets sockets, final int port, final long queueTimeoutNs)
    {
        super(sockets, port, "http", queueTimeoutNs);
    }

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % PATTERN_MODULUS);
        }
        return bytes;
    }

    protected void refuse(final int fd)
    {
        sockets.setReceiveTimeout(fd, REFUSAL_READ_NS);
        final byte[] header = new byte[MAX_HEADER_BYTES];
        int filled = 0;
        while (filled < header.length && headerEnd(header, filled) < 0)
        {
            final int read = sockets.read(fd, header, filled, header.length - filled);
            if (read <= 0)
            {
                break;
            }
            filled += read;
        }
        respond(fd, 503, "Service Unavailable", true);
    }

    protected void serve(final int fd)
    {
        final byte[] header = new byte[MAX_HEADER_BYTES];
        int filled = 0;
        while (isRunning())
        {
            final int end = headerEnd(header, filled);
            if (end < 0)
            {
                if (filled == header.length)
                {
                    respond(fd, 431, "Request Header Fields Too Large", true);
                    return;
                }
                final int read = sockets.read(fd, header, filled, header.length - filled);
                if (read <= 0)
                {
                    return;
                }
                filled += read;
                continue;
            }
            final String request = new String(header, 0, end, StandardCharsets.ISO_8859_1);
            if (!answer(fd, request))
            {
                return;
            }
            System.arraycopy(header, end, header, 0, filled - end);
            filled -= end;
        }
    }

    /**
     * @return whether the connection stays open for another request.
     */
    private boolean answer(final int fd, final String request)
    {
        final String[] lines = request.split("\r\n");
        final String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1."))
        {
            return respond(fd, 400, "Bad Request", true);
        }
        final boolean close = "HTTP/1.0".equals(requestLine[2]) || hasConnectionClose(lines);
        if (!"GET".equals(requestLine[0]))
        {
            return respond(fd, 405, "Method Not Allowed", close);
        }
        final String path = requestLine[1];
        if ("/".equals(path))
        {
            final byte[] body = "ringstack: a user-space TCP/IP engine answered you\n".getBytes(StandardCharsets.US_ASCII);
            return writeHead(fd, 200, "OK", body.length, close) && writeFully(fd, body, 0, body.length) && !close;
        }
        if (path.startsWith(BYTES_PATH))
        {
            final long count = parseCount(path.substring(BYTES_PATH.length()));
            if (count < 0)
            {
                return respond(fd, 400, "Bad Request", close);
            }
            return writeHead(fd, 200, "OK", count, close) && writePattern(fd, count) && !close;
        }
        return respond(fd, 404, "Not Found", close);
    }

    private boolean writePattern(final int fd, final long count)
    {
        long left = count;
        while (left > 0)
        {
            final int chunk = (int)Math.min(left, PATTERN.length);
            if (!writeFully(fd, PATTERN, 0, chunk))
            {
                return false;
            }
            left -= chunk;
        }
        return true;
    }

    private boolean respond(final int fd, final int status, final String reason, final boolean close)
    {
        final byte[] body = (status + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
        return writeHead(fd, status, reason, body.length, close) && writeFully(fd, body, 0, body.length) && !close;
    }

    private boolean writeHead(final int fd, final int status, final String reason, final long length,
        final boolean close)
    {
        final byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\n" +
            "Content-Type: " + (status == 200 && length > 0 ? "application/octet-stream" : "text/plain") + "\r\n" +
            "Content-Length: " + length + "\r\n" +
            (status == 405 ? "Allow: GET\r\n" : "") +
            (status == 503 ? "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n" : "") +
            (close ? "Connection: close\r\n" : "") +
            "Server: ringstack\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return writeFully(fd, head, 0, head.length);
    }

    private static boolean hasConnectionClose(final String[] lines)
    {
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i].toLowerCase();
            if (line.startsWith("connection:") && line.contains("close"))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the count, or -1 when the text is not a decimal number of at most 12 digits.
     */
    private static long parseCount(final String text)
    {
        if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            return -1;
        }
        return Long.parseLong(text);
    }

    /**
     * @return the index just past the blank line that ends the header, or -1 when it has not arrived.
     */
    private static int headerEnd(final byte[] bytes, final int length)
    {
        for (int i = 3; i < length; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n')
            {
                return i + 1;
            }
        }
        return -1;
    }
}
