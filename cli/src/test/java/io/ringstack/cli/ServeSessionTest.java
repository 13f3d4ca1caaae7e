package io.ringstack.cli;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.journal.JournalException;
import io.ringstack.journal.ReplayReport;
import io.ringstack.journal.Replayer;
import io.ringstack.phy.Link;
import io.ringstack.services.TcpEchoService;
import io.ringstack.services.UdpEchoService;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import io.ringstack.wire.MacText;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve --journal}: a live session with a peer at the other end of its UDP-datagram link (another engine on
 * its own NIC model, over 127.0.0.1) is journaled whole, and the journal replays identical into a fresh engine on
 * the recorded frames and through either NIC model.
 */
class ServeSessionTest
{
    private static final long SERVE_MAC = MacText.parse("52:54:00:12:34:56");
    private static final long PEER_MAC = MacText.parse("52:54:00:12:34:57");
    private static final int SERVE_ADDRESS = Ipv4Text.parse("10.0.2.15");
    private static final int TCP_BYTES = 256 * 1024;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @EnumSource(PlatformProfile.class)
    void aServedSessionWithUdpAndTcpTrafficIsJournaledAndReplaysIdenticalOnEveryDevice(
        final PlatformProfile profile) throws IOException
    {
        final Path journal = directory.resolve("journal");
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final int servePort = freePort();
            final int peerPort = freePort();
            try (ServeSession session = ServeSession.start("serve-" + profile.nic(), profile,
                    InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", SERVE_MAC),
                    SERVE_MAC, link(servePort, peerPort), List.of("echo"), Map.of(), null, journal);
                Link peerWire = link(peerPort, servePort).open(null, "serve-peer");
                Ringstack peer = Ringstack.launch(new EngineContext().name("serve-peer")
                    .interfaceConfig(InterfaceConfig.parse("10.0.2.2/24", "0.0.0.0", PEER_MAC)), true, null,
                    profile.nicOn(peerWire, PEER_MAC)))
            {
                udpEcho(peer.sockets());
                tcpEcho(peer.sockets());
                session.close();
                assertTrue(session.stack().engine().counters().rxBalanced(), session.closingDiagnostics());
            }
        });

        for (final JournalReplayCommand.Device device : JournalReplayCommand.Device.values())
        {
            final ReplayReport report = Replayer.replay(journal, device.wireFactory());
            assertTrue(report.identical(), () -> device + ": " + report.summary() + "\n" +
                (report.divergence() == null ? "" : report.divergence().describe()));
            assertTrue(report.deviceFrames() > TCP_BYTES / 1460, () -> device + ": every segment of the transfer was "
                + "journaled and replayed: " + report.summary());
        }
    }

    @Test
    void aJournalDirectoryThatAlreadyHoldsFilesIsRefusedAndNothingIsLeftRunning() throws IOException
    {
        final Path used = Files.createDirectories(directory.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "not a journal");
        final int servePort = freePort();

        final JournalException refused = assertThrows(JournalException.class, () -> ServeSession.start("serve-e1000",
            PlatformProfile.X86_64, InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", SERVE_MAC), SERVE_MAC,
            link(servePort, freePort()), List.of("echo"), Map.of(), null, used));

        assertTrue(refused.getMessage().contains(used.toString()), refused.getMessage());
        try (DatagramSocket rebound = new DatagramSocket(servePort, InetAddress.getLoopbackAddress()))
        {
            assertEquals(servePort, rebound.getLocalPort(), "the link's socket was closed");
        }
    }

    @Test
    void theServedEngineHoldsAThousandConcurrentConnections() throws IOException
    {
        try (ServeSession session = ServeSession.start("serve-capacity", PlatformProfile.X86_64,
            InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", SERVE_MAC), SERVE_MAC,
            link(freePort(), freePort()), List.of("http"), Map.of(), null, null))
        {
            assertTrue(session.stack().engine().context().settings().intValue(Setting.TCP_MAX_CONNECTIONS) >= 1000,
                "more than the engine's default of 256: one HTTP service alone queues 1,024");
        }
    }

    @Test
    void settingsGivenReachTheEngineAndOverrideServesOwn() throws IOException
    {
        try (ServeSession session = ServeSession.start("serve-settings", PlatformProfile.X86_64,
            InterfaceConfig.parse("10.0.2.15/24", "10.0.2.2", SERVE_MAC), SERVE_MAC,
            link(freePort(), freePort()), List.of("http"),
            Map.of(Setting.TCP_SEND_BUFFER_CAPACITY, 1L << 22, Setting.TCP_MAX_CONNECTIONS, 2048L), null, null))
        {
            assertEquals(1 << 22, session.stack().engine().context().settings().intValue(
                Setting.TCP_SEND_BUFFER_CAPACITY));
            assertEquals(2048, session.stack().engine().context().settings().intValue(Setting.TCP_MAX_CONNECTIONS));
        }
    }

    private static void udpEcho(final Sockets sockets)
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        try
        {
            sockets.setReceiveTimeout(fd, TimeUnit.SECONDS.toNanos(10));
            final byte[] payload = new byte[1200];
            new Random(3).nextBytes(payload);
            assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0,
                SockAddr.inet(SERVE_ADDRESS, UdpEchoService.PORT)));
            final byte[] reply = new byte[2048];
            final int received = sockets.recvfrom(fd, reply, 0, reply.length, 0, null);
            assertArrayEquals(payload, Arrays.copyOf(reply, Math.max(received, 0)), "UDP echo through serve");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void tcpEcho(final Sockets sockets) throws InterruptedException
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        try
        {
            assertEquals(0, sockets.connect(fd, SockAddr.inet(SERVE_ADDRESS, TcpEchoService.PORT)));
            sockets.setReceiveTimeout(fd, TimeUnit.SECONDS.toNanos(10));
            final byte[] sent = new byte[TCP_BYTES];
            new Random(5).nextBytes(sent);
            final Thread writer = new Thread(() -> sockets.write(fd, sent, 0, sent.length), "serve-test-writer");
            writer.start();
            final byte[] received = new byte[TCP_BYTES];
            int total = 0;
            while (total < received.length)
            {
                final int read = sockets.read(fd, received, total, received.length - total);
                assertTrue(read > 0, "read returned " + read + " after " + total + " bytes");
                total += read;
            }
            writer.join(TimeUnit.SECONDS.toMillis(10));
            assertArrayEquals(sent, received, "TCP echo through serve");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static LinkSpec link(final int localPort, final int remotePort)
    {
        return LinkSpec.parse("udp:127.0.0.1:" + localPort + ",127.0.0.1:" + remotePort);
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
