package io.ringstack.services;

import io.ringstack.socket.Sockets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server (RFC 9112) for trying the engine with {@code curl}: {@code GET /} answers 200 with a line
 * of text, {@code GET /bytes/N} answers N bytes where byte i is {@code i mod 251} (a pattern no power-of-two
 * buffer boundary can hide), {@code POST /sha256} answers the SHA-256 of the request body (FIPS 180-4) as 64 hex
 * digits and a newline, hashing the body as it streams in, so an upload of any size can be checked end to end. A body
 * needs a {@code Content-Length} (411 without one); {@code Expect: 100-continue} is answered at once (RFC 9110
 * 10.1.1). Connections are persistent unless the request says {@code Connection: close} or is HTTP/1.0. Other
 * methods get 405, other paths 404, malformed requests 400, oversize headers 431. A connection that no worker will
 * serve in time gets 503 with {@code Retry-After} (RFC 9110 15.6.4, 10.2.3), its request read first so that closing
 * it sends FIN rather than RST.
 */
public final class HttpService extends TcpService
{
    public static final int PORT = 80;
    public static final int PATTERN_MODULUS = 251;
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final long REFUSAL_READ_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int RETRY_AFTER_SECONDS = 1;
    private static final int BODY_CHUNK_BYTES = 64 * 1024;
    private static final int CLOSE = -1;
    private static final String BYTES_PATH = "/bytes/";
    private static final String SHA256_PATH = "/sha256";
    private static final String CONTENT_LENGTH = "content-length:";
    private static final long NO_LENGTH = -2;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
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
            final int consumed = answer(fd, request, header, end, filled);
            if (consumed == CLOSE)
            {
                return;
            }
            System.arraycopy(header, consumed, header, 0, filled - consumed);
            filled -= consumed;
        }
    }

    /**
     * @param buffer   holds the request's header in {@code [0, end)} and what followed it up to {@code filled}.
     * @return how many bytes of {@code buffer} the request took (its header and the part of its body in the buffer),
     * or {@link #CLOSE} when the connection ends.
     */
    private int answer(final int fd, final String request, final byte[] buffer, final int end, final int filled)
    {
        final String[] lines = request.split("\r\n");
        final String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1."))
        {
            return respondKeeping(fd, 400, "Bad Request", true, end);
        }
        final boolean close = "HTTP/1.0".equals(requestLine[2]) || headerContains(lines, "connection:", "close");
        final String method = requestLine[0];
        final String path = requestLine[1];
        if ("POST".equals(method))
        {
            return SHA256_PATH.equals(path) ? answerSha256(fd, lines, buffer, end, filled, close) :
                respondKeeping(fd, 404, "Not Found", close, end);
        }
        if (!"GET".equals(method))
        {
            return respondKeeping(fd, 405, "Method Not Allowed", close, end);
        }
        if ("/".equals(path))
        {
            final byte[] body = "ringstack: a user-space TCP/IP engine answered you\n".getBytes(StandardCharsets.US_ASCII);
            return writeHead(fd, 200, "OK", body.length, close) && writeFully(fd, body, 0, body.length) && !close ?
                end : CLOSE;
        }
        if (path.startsWith(BYTES_PATH))
        {
            final long count = parseCount(path.substring(BYTES_PATH.length()));
            if (count < 0)
            {
                return respondKeeping(fd, 400, "Bad Request", close, end);
            }
            return writeHead(fd, 200, "OK", count, close) && writePattern(fd, count) && !close ? end : CLOSE;
        }
        return respondKeeping(fd, 404, "Not Found", close, end);
    }

    /**
     * Hash the body as it arrives: first what is already in {@code buffer} after the header, then reads of at most
     * what is left of it, so that nothing of a following request is read.
     */
    private int answerSha256(
        final int fd, final String[] lines, final byte[] buffer, final int end, final int filled, final boolean close)
    {
        final long length = contentLength(lines);
        if (length == NO_LENGTH || headerContains(lines, "transfer-encoding:", ""))
        {
            return respondKeeping(fd, 411, "Length Required", true, end);
        }
        if (length < 0)
        {
            return respondKeeping(fd, 400, "Bad Request", true, end);
        }
        if (headerContains(lines, "expect:", "100-continue") && !writeFully(fd, CONTINUE, 0, CONTINUE.length))
        {
            return CLOSE;
        }
        final MessageDigest digest = sha256();
        final int inBuffer = (int)Math.min(length, filled - end);
        digest.update(buffer, end, inBuffer);
        long left = length - inBuffer;
        final byte[] chunk = left > 0 ? new byte[(int)Math.min(left, BODY_CHUNK_BYTES)] : buffer;
        while (left > 0)
        {
            final int read = sockets.read(fd, chunk, 0, (int)Math.min(left, chunk.length));
            if (read <= 0)
            {
                return CLOSE;
            }
            digest.update(chunk, 0, read);
            left -= read;
        }
        final byte[] body = (HexFormat.of().formatHex(digest.digest()) + "\n").getBytes(StandardCharsets.US_ASCII);
        return writeHead(fd, 200, "OK", body.length, close) && writeFully(fd, body, 0, body.length) && !close ?
            end + inBuffer : CLOSE;
    }

    private static MessageDigest sha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
    }

    private int respondKeeping(final int fd, final int status, final String reason, final boolean close, final int end)
    {
        return respond(fd, status, reason, close) ? end : CLOSE;
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
            (status == 405 ? "Allow: GET, POST\r\n" : "") +
            (status == 503 ? "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n" : "") +
            (close ? "Connection: close\r\n" : "") +
            "Server: ringstack\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return writeFully(fd, head, 0, head.length);
    }

    /**
     * @return whether a header line starts with {@code name} (lower case, with its colon) and contains {@code value}.
     */
    private static boolean headerContains(final String[] lines, final String name, final String value)
    {
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i].toLowerCase();
            if (line.startsWith(name) && line.contains(value))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the {@code Content-Length}, {@link #NO_LENGTH} when there is none, or -1 when it is not a decimal
     * number of at most 12 digits or appears twice.
     */
    private static long contentLength(final String[] lines)
    {
        long length = NO_LENGTH;
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i];
            if (line.regionMatches(true, 0, CONTENT_LENGTH, 0, CONTENT_LENGTH.length()))
            {
                if (length != NO_LENGTH)
                {
                    return -1;
                }
                length = parseCount(line.substring(CONTENT_LENGTH.length()).trim());
                if (length < 0)
                {
                    return -1;
                }
            }
        }
        return length;
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
