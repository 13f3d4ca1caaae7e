package io.ringstack.drivers;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedProgram;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.TcpSocketProgram;
import io.ringstack.seed.UdpSocketProgram;
import io.ringstack.services.TcpEchoService;
import io.ringstack.services.UdpEchoService;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two engines on their own threads, each on a NIC model, joined by a cable, for every pairing of the two profiles:
 * the seed programs pass on the guest, and UDP and TCP cross the cable intact both ways to services on the gateway.
 */
class CrossCableTest
{
    private static final int CABLE_CAPACITY = 1 << 20;
    private static final int TCP_BYTES = 1 << 20;

    @ParameterizedTest(name = "guest {0} <-> gateway {1}")
    @CsvSource({ "X86_64,X86_64", "AARCH64,AARCH64", "X86_64,AARCH64", "AARCH64,X86_64" })
    void seedProgramsPassAndTrafficCrossesTheCableIntact(final PlatformProfile guest, final PlatformProfile gateway)
    {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
        {
            final Link[] cable = Cable.ends(CABLE_CAPACITY);
            try (SeedWorld world = SeedWorld.over(guest.nic() + "-" + gateway.nic(),
                guest.nicOn(cable[0], SeedWorld.GUEST_MAC), gateway.nicOn(cable[1], SeedWorld.GATEWAY_MAC), null))
            {
                for (final SeedProgram program : new SeedProgram[]{ new UdpSocketProgram(), new TcpSocketProgram() })
                {
                    final ProgramResult result = SeedRunner.run(program, world, SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);
                    assertTrue(result.passed(), () -> program.name() + ": " + result.firstFailure());
                }
                final Sockets gatewaySockets = world.gateway().sockets();
                try (UdpEchoService udpEcho = new UdpEchoService(gatewaySockets, UdpEchoService.PORT);
                    TcpEchoService tcpEcho = new TcpEchoService(gatewaySockets, TcpEchoService.PORT))
                {
                    assertEquals(0, udpEcho.start());
                    assertEquals(0, tcpEcho.start());
                    udpRoundTrip(world);
                    tcpRoundTrip(world);
                }
                assertTrue(world.guest().engine().counters().rxBalanced(), world::diagnostics);
                assertTrue(world.gateway().engine().counters().rxBalanced(), world::diagnostics);
            }
        });
    }

    private static void udpRoundTrip(final SeedWorld world)
    {
        final Sockets sockets = world.sockets();
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        try
        {
            sockets.setReceiveTimeout(fd, TimeUnit.SECONDS.toNanos(5));
            final byte[] payload = new byte[1400];
            new Random(7).nextBytes(payload);
            final SockAddr echo = SockAddr.inet(world.gatewayAddress(), UdpEchoService.PORT);
            assertEquals(payload.length, sockets.sendto(fd, payload, 0, payload.length, 0, echo));
            final byte[] reply = new byte[2048];
            final int received = sockets.recvfrom(fd, reply, 0, reply.length, 0, null);
            assertArrayEquals(payload, Arrays.copyOf(reply, Math.max(received, 0)), world.diagnostics());
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void tcpRoundTrip(final SeedWorld world)
    {
        final Sockets sockets = world.sockets();
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
        try
        {
            assertEquals(0, sockets.connect(fd, SockAddr.inet(world.gatewayAddress(), TcpEchoService.PORT)),
                world::diagnostics);
            sockets.setReceiveTimeout(fd, TimeUnit.SECONDS.toNanos(10));
            final byte[] sent = new byte[TCP_BYTES];
            new Random(11).nextBytes(sent);
            final byte[] received = new byte[TCP_BYTES];
            final Thread writer = new Thread(() -> sockets.write(fd, sent, 0, sent.length), "cross-cable-writer");
            writer.start();
            int total = 0;
            while (total < received.length)
            {
                final int read = sockets.read(fd, received, total, received.length - total);
                if (read <= 0)
                {
                    throw new AssertionError("read returned " + read + " after " + total + " bytes; " +
                        world.diagnostics());
                }
                total += read;
            }
            assertArrayEquals(sent, received, "1 MiB echoed back through the cable");
        }
        finally
        {
            sockets.close(fd);
        }
    }
}
