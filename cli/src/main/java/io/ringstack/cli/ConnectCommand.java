package io.ringstack.cli;

import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringstack connect}: the engine as a client. Over TCP it connects to the peer, sends its bytes while it
 * reads what the peer sends back, half-closes (RFC 9293 3.6) and reads until the peer closes; over UDP it sends one
 * datagram to the peer and waits for one back. Either way it prints how many bytes went each way with their SHA-256,
 * so that an echo (both digests equal) or a download from the peer can be checked. A refused connection, an ICMP
 * error reported to the socket, or a deadline passing is one line and exit code 1.
 */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = "Run an engine on an E1000 or VirtIO-net model and connect to a peer over TCP (or UDP): send bytes, "
        + "receive what comes back, print both with their SHA-256.")
public final class ConnectCommand implements Callable<Integer>
{
    /** The largest UDP payload over IPv4: 65535 - 20 - 8 (RFC 768, RFC 791). */
    static final int MAX_UDP_PAYLOAD = 65_507;
    private static final int PATTERN_MODULUS = 251;
    private static final int CHUNK_BYTES = 64 * 1024;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientStation station;

    @Option(names = "--udp", description = "Send one UDP datagram and wait for one back, instead of TCP.")
    boolean udp;

    @Option(names = "--send", paramLabel = "TEXT", description = "Send this text.")
    String text;

    @Option(names = "--bytes", paramLabel = "N", defaultValue = "0",
        description = "Send N bytes where byte i is i mod 251 (default: ${DEFAULT-VALUE}; over UDP at most 65507).")
    long count;

    @Parameters(paramLabel = "HOST:PORT", description = "The peer, e.g. 10.0.2.2:7.")
    String peerText;

    public Integer call()
    {
        final SockAddr peer;
        final byte[] payload;
        try
        {
            station.check();
            peer = ClientStation.parsePeer(peerText);
            payload = payload();
        }
        catch (final IllegalArgumentException ex)
        {
            RingstackCommand.printError(spec.commandLine(), ex.getMessage());
            return RingstackCommand.EXIT_USAGE;
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (ServeSession session = station.start("connect"))
        {
            final String what = (udp ? "udp" : "tcp") + " " + Ipv4Text.format(peer.ipv4()) + ":" + peer.port();
            out.println("ringstack connect: " + what + " from " + station.describe());
            out.flush();
            final long startNs = System.nanoTime();
            final Sha256Sink received = udp ? exchangeDatagram(session.stack().sockets(), peer, payload) :
                exchangeStream(session.stack().sockets(), peer, payload);
            final long elapsedNs = System.nanoTime() - startNs;
            final Sha256Sink sent = new Sha256Sink(null);
            sent.accept(payload, 0, payload.length);
            out.println("sent     " + sent.summary());
            out.printf("received %s in %.3f s%n", received.summary(), elapsedNs / 1e9);
        }
        return RingstackCommand.EXIT_OK;
    }

    private byte[] payload()
    {
        if (text != null && count != 0)
        {
            throw new IllegalArgumentException("--send and --bytes: give one of them");
        }
        if (text != null)
        {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        final long limit = udp ? MAX_UDP_PAYLOAD : Integer.MAX_VALUE - 8;
        if (count < 0 || count > limit)
        {
            throw new IllegalArgumentException(
                "--bytes " + count + ": expected 0 to " + limit + (udp ? " over UDP" : ""));
        }
        final byte[] bytes = new byte[(int)count];
        for (int i = 0; i < bytes.length; i++)
        {
            bytes[i] = (byte)(i % PATTERN_MODULUS);
        }
        return bytes;
    }

    private Sha256Sink exchangeDatagram(final Sockets sockets, final SockAddr peer, final byte[] payload)
    {
        final int fd = station.connect(sockets, SocketConstants.SOCK_DGRAM, peer, "udp");
        try
        {
            final int sent = sockets.send(fd, payload, 0, payload.length, 0);
            if (sent < 0)
            {
                throw new IllegalStateException("udp send to " + peerText + ": " + Errno.name(sent));
            }
            final byte[] answer = new byte[MAX_UDP_PAYLOAD];
            final int read = sockets.recv(fd, answer, 0, answer.length, 0);
            if (read < 0)
            {
                throw new IllegalStateException("udp " + peerText + ": " + (read == -Errno.EAGAIN ?
                    "no datagram came back within " + station.timeoutSeconds + " s" : Errno.name(read)));
            }
            final Sha256Sink received = new Sha256Sink(null);
            received.accept(answer, 0, read);
            return received;
        }
        finally
        {
            sockets.close(fd);
        }
    }

    /**
     * Send on this thread while another receives, so that a peer echoing more than the windows hold never stalls.
     */
    private Sha256Sink exchangeStream(final Sockets sockets, final SockAddr peer, final byte[] payload)
    {
        final int fd = station.connect(sockets, SocketConstants.SOCK_STREAM, peer, "tcp");
        final StreamReader reader = new StreamReader(sockets, fd, new Sha256Sink(null), -1);
        final Thread readerThread = new Thread(reader, "connect-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        try
        {
            for (int offset = 0; offset < payload.length; )
            {
                final int written = sockets.write(fd, payload, offset, Math.min(CHUNK_BYTES, payload.length - offset));
                if (written <= 0)
                {
                    throw new IllegalStateException("tcp send to " + peerText + " after " + offset + " bytes: " +
                        (written == -Errno.EAGAIN ? "deadline of " + station.timeoutSeconds + " s passed" :
                        Errno.name(written)));
                }
                offset += written;
            }
            sockets.shutdown(fd, SocketConstants.SHUT_WR);
            readerThread.join(TimeUnit.NANOSECONDS.toMillis(station.timeoutNs()) * 2);
            return reader.result("tcp " + peerText, station.timeoutSeconds);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
        finally
        {
            sockets.close(fd);
        }
    }
}
