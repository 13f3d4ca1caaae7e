package io.ringstack.cli;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringstack get}: the engine as an HTTP/1.1 client (RFC 9112). One {@code GET} with
 * {@code Connection: close}; the body is read to its {@code Content-Length} (or to the close when there is none),
 * hashed as it streams and, with {@code -o}, written to a file; then the status, the byte count, the SHA-256 and the
 * rate are printed. A status other than 200, a body cut short or a deadline passing is one line and exit code 1.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Run an engine on an E1000 or VirtIO-net model and fetch a URL over HTTP/1.1: print the bytes and "
        + "their SHA-256, optionally save them.")
public final class GetCommand implements Callable<Integer>
{
    private static final String SCHEME = "http://";
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientStation station;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the body to FILE.")
    Path output;

    @Parameters(paramLabel = "URL", description = "http://HOST[:PORT]/PATH, HOST a dotted quad, e.g. "
        + "http://10.0.2.2:8000/file.bin.")
    String url;

    public Integer call()
    {
        final SockAddr server;
        final String path;
        try
        {
            station.check();
            if (!url.startsWith(SCHEME))
            {
                throw new IllegalArgumentException("URL '" + url + "': expected http://HOST[:PORT]/PATH");
            }
            final int slash = url.indexOf('/', SCHEME.length());
            final String authority = url.substring(SCHEME.length(), slash < 0 ? url.length() : slash);
            path = slash < 0 ? "/" : url.substring(slash);
            server = authority.contains(":") ? ClientStation.parsePeer(authority) :
                SockAddr.inet(Ipv4Text.parse(authority), 80);
            if (path.chars().anyMatch(c -> c <= ' ' || c >= 0x7F))
            {
                throw new IllegalArgumentException("URL '" + url + "': the path has a space or control character");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            RingstackCommand.printError(spec.commandLine(), ex.getMessage());
            return RingstackCommand.EXIT_USAGE;
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (ServeSession session = station.start("get");
            OutputStream file = output == null ? null : Files.newOutputStream(output))
        {
            out.println("ringstack get: " + url + " from " + station.describe());
            out.flush();
            final long startNs = System.nanoTime();
            final Sha256Sink body = fetch(session.stack().sockets(), server, path, new Sha256Sink(file), out);
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            out.printf(Locale.ROOT, "received %s in %.3f s (%.1f Mbit/s)%s%n", body.summary(), seconds,
                body.count() * 8 / seconds / 1e6, output == null ? "" : "; saved to " + output);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + output + ": " + ex.getMessage(), ex);
        }
        return RingstackCommand.EXIT_OK;
    }

    private Sha256Sink fetch(
        final Sockets sockets, final SockAddr server, final String path, final Sha256Sink body, final PrintWriter out)
    {
        final String host = Ipv4Text.format(server.ipv4()) + (server.port() == 80 ? "" : ":" + server.port());
        final int fd = station.connect(sockets, SocketConstants.SOCK_STREAM, server, "get: tcp");
        try
        {
            final byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: ringstack\r\n" +
                "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            final int sent = sockets.write(fd, request, 0, request.length);
            if (sent != request.length)
            {
                throw new IllegalStateException("get " + url + ": sending the request: " + Errno.describe(sent));
            }
            final byte[] header = new byte[MAX_HEADER_BYTES];
            final int[] filled = new int[1];
            final int headerEnd = readHeader(sockets, fd, header, filled);
            final String[] lines = new String(header, 0, headerEnd, StandardCharsets.ISO_8859_1).split("\r\n");
            out.println(lines[0]);
            out.flush();
            final String[] status = lines[0].split(" ", 3);
            if (status.length < 2 || !status[0].startsWith("HTTP/1."))
            {
                throw new IllegalStateException("get " + url + ": not an HTTP/1.x answer: '" + lines[0] + "'");
            }
            if (!"200".equals(status[1]))
            {
                throw new IllegalStateException("get " + url + ": the server answered " + lines[0]);
            }
            if (headerValue(lines, "transfer-encoding") != null)
            {
                throw new IllegalStateException("get " + url + ": a Transfer-Encoding body is not supported");
            }
            final String lengthText = headerValue(lines, "content-length");
            final long length = lengthText == null ? -1 : parseLength(lengthText);
            final int early = (int)(length < 0 ? filled[0] - headerEnd : Math.min(length, filled[0] - headerEnd));
            body.accept(header, headerEnd, early);
            final StreamReader reader = new StreamReader(sockets, fd, body, length);
            reader.run();
            return reader.result("get " + url, station.timeoutSeconds);
        }
        finally
        {
            sockets.close(fd);
        }
    }

    /**
     * Read until the blank line that ends the header.
     *
     * @return the index just past it; {@code filled[0]} says how many bytes {@code header} holds.
     */
    private int readHeader(final Sockets sockets, final int fd, final byte[] header, final int[] filled)
    {
        while (true)
        {
            for (int i = 3; i < filled[0]; i++)
            {
                if (header[i - 3] == '\r' && header[i - 2] == '\n' && header[i - 1] == '\r' && header[i] == '\n')
                {
                    return i + 1;
                }
            }
            if (filled[0] == header.length)
            {
                throw new IllegalStateException("get " + url + ": the answer's header is over " + header.length +
                    " bytes");
            }
            final int read = sockets.read(fd, header, filled[0], header.length - filled[0]);
            if (read <= 0)
            {
                throw new IllegalStateException("get " + url + ": " + (read == 0 ? "the server closed" :
                    read == -Errno.EAGAIN ? "nothing came for " + station.timeoutSeconds + " s" : Errno.name(read)) +
                    " before the end of the answer's header");
            }
            filled[0] += read;
        }
    }

    private static String headerValue(final String[] lines, final String name)
    {
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().equalsIgnoreCase(name))
            {
                return lines[i].substring(colon + 1).trim();
            }
        }
        return null;
    }

    private long parseLength(final String text)
    {
        if (text.isEmpty() || text.length() > 15 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new IllegalStateException("get " + url + ": Content-Length '" + text + "' is not a number");
        }
        return Long.parseLong(text);
    }
}
