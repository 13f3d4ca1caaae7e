package io.ringstack.cli;

import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.wire.MacText;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ringstack connect} and {@code ringstack get} against a peer: a served engine at 10.0.2.2 (echo, discard,
 * HTTP) at the other end of a UDP-datagram link, each engine on its own E1000 model. What comes back is checked by
 * its SHA-256; what goes wrong is one line and exit code 1 or 2.
 */
class ClientCommandsTest
{
    private static final long PEER_MAC = MacText.parse("52:54:00:12:34:57");
    private static final Duration TEST_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private ServeSession peer;
    private String link;

    @BeforeEach
    void startPeer() throws IOException
    {
        final int clientPort = freePort();
        final int peerPort = freePort();
        link = "--link=udp:127.0.0.1:" + clientPort + ",127.0.0.1:" + peerPort;
        peer = ServeSession.start("serve-peer", PlatformProfile.X86_64,
            InterfaceConfig.parse("10.0.2.2/24", "0.0.0.0", PEER_MAC),
            PEER_MAC, LinkSpec.parse("udp:127.0.0.1:" + peerPort + ",127.0.0.1:" + clientPort),
            List.of("echo", "discard", "http"), Map.of(), null, null);
    }

    @AfterEach
    void stopPeer()
    {
        peer.close();
    }

    @Test
    void tcpConnectSendsAQuarterMegabyteToEchoAndReceivesTheSameDigestBack()
    {
        final CommandRun run = client("connect", "--bytes=262144", "10.0.2.2:7");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run::err);
        final String digest = sha256(pattern(262144));
        assertTrue(run.out().contains("sent     262144 bytes, sha256 " + digest), run.out());
        assertTrue(run.out().contains("received 262144 bytes, sha256 " + digest), run.out());
    }

    @Test
    void udpConnectGetsItsDatagramEchoed()
    {
        final CommandRun run = client("connect", "--udp", "--send=hello, peer", "10.0.2.2:7");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run::err);
        assertTrue(run.out().contains("received 11 bytes, sha256 " + sha256("hello, peer".getBytes())), run.out());
    }

    @Test
    void getSavesAMegabyteWhoseDigestIsThatOfTheServedPattern() throws IOException
    {
        final Path saved = directory.resolve("bytes.bin");

        final CommandRun run = client("get", "-o", saved.toString(), "http://10.0.2.2/bytes/1000000");

        assertEquals(RingstackCommand.EXIT_OK, run.exitCode(), run::err);
        final String digest = sha256(pattern(1_000_000));
        assertTrue(run.out().contains("HTTP/1.1 200 OK"), run.out());
        assertTrue(run.out().contains("received 1000000 bytes, sha256 " + digest), run.out());
        assertEquals(digest, sha256(Files.readAllBytes(saved)));
    }

    @Test
    void aClosedTcpPortIsRefusedAndA404IsAFailure()
    {
        final CommandRun refused = client("connect", "--send=x", "10.0.2.2:8");
        assertEquals(RingstackCommand.EXIT_FAILURE, refused.exitCode(), refused::out);
        assertEquals("ringstack: tcp 10.0.2.2:8: ECONNREFUSED", refused.err().strip());

        final CommandRun missing = client("get", "http://10.0.2.2/nothing");
        assertEquals(RingstackCommand.EXIT_FAILURE, missing.exitCode(), missing::out);
        assertEquals("ringstack: get http://10.0.2.2/nothing: the server answered HTTP/1.1 404 Not Found",
            missing.err().strip());
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "connect|10.0.2.2|expected HOST:PORT",
        "connect|10.0.2.2:70000|port '70000' is not 1 to 65535",
        "connect|10.0.2.300:7|octet out of range",
        "get|ftp://10.0.2.2/x|expected http://HOST[:PORT]/PATH",
        "get|http://example.org/|not an IPv4 address" })
    void badTargetsExitTwoWithOneLine(final String command, final String target, final String expected)
    {
        final CommandRun run = CommandRun.execute(command, "--nic=virtio", link, target);

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("ringstack: ") && run.err().contains(expected), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @Test
    void udpBytesBeyondTheLargestDatagramAreAUsageError()
    {
        final CommandRun run = CommandRun.execute("connect", "--nic=e1000", link, "--udp", "--bytes=65508",
            "10.0.2.2:7");

        assertEquals(RingstackCommand.EXIT_USAGE, run.exitCode(), run.err());
        assertEquals("ringstack: --bytes 65508: expected 0 to 65507 over UDP", run.err().strip());
    }

    private CommandRun client(final String... args)
    {
        final String[] all = new String[args.length + 4];
        all[0] = args[0];
        all[1] = "--nic=e1000";
        all[2] = link;
        all[3] = "--counters-dir=" + directory;
        all[4] = "--timeout=10";
        System.arraycopy(args, 1, all, 5, args.length - 1);
        final Supplier<CommandRun> run = () -> CommandRun.execute(all);
        return assertTimeoutPreemptively(TEST_LIMIT, run::get);
    }

    private static byte[] pattern(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }
        return bytes;
    }

    private static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final java.security.NoSuchAlgorithmException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
