package io.ringstack.seed;

import io.ringstack.errno.Errno;
import io.ringstack.iface.EphemeralPorts;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.Sockets;
import java.util.List;

import static io.ringstack.seed.SeedChecks.ascii;
import static io.ringstack.seed.SeedChecks.check;
import static io.ringstack.seed.SeedChecks.equalsBytes;
import static io.ringstack.seed.SeedChecks.fails;
import static io.ringstack.seed.SeedChecks.succeeds;
import static io.ringstack.socket.SocketConstants.AF_INET;
import static io.ringstack.socket.SocketConstants.INADDR_ANY;
import static io.ringstack.socket.SocketConstants.SOCK_DGRAM;
import static io.ringstack.socket.SocketConstants.SOCK_NONBLOCK;

/**
 * The seed's {@code udp_socket_test}: the ten steps of its inventory (section 1.2), same ports, payloads and
 * buffer sizes. Step 7 is stricter than the seed, whose {@code getsockname} was a stub: the ephemeral port must
 * be in 49152-65535.
 */
public final class UdpSocketProgram implements SeedProgram
{
    private static final int GATEWAY_PORT = 7777;

    private int first;
    private int second;

    public String name()
    {
        return "udp_socket_test";
    }

    public List<SeedPhase> phases()
    {
        return List.of(
            new SeedPhase("1 socket", this::createSocket),
            new SeedPhase("2 bind 12345", this::bindFirst),
            new SeedPhase("3 TX to gateway", this::sendToGateway),
            new SeedPhase("4 second socket on 54321", this::bindSecond),
            new SeedPhase("5 loopback TX", this::loopbackSend),
            new SeedPhase("6 loopback RX", this::loopbackReceive),
            new SeedPhase("7 ephemeral port", UdpSocketProgram::ephemeralPort),
            new SeedPhase("8 EADDRINUSE", UdpSocketProgram::addressInUse),
            new SeedPhase("9 EAGAIN", UdpSocketProgram::nonBlockingEmpty),
            new SeedPhase("10 multiple datagrams", UdpSocketProgram::multipleDatagrams));
    }

    private void createSocket(final SeedContext context) throws SeedFailure
    {
        first = succeeds(context.sockets().socket(AF_INET, SOCK_DGRAM, 0), "socket(AF_INET, SOCK_DGRAM)");
    }

    private void bindFirst(final SeedContext context) throws SeedFailure
    {
        succeeds(context.sockets().bind(first, SockAddr.inet(INADDR_ANY, 12345)), "bind 0.0.0.0:12345");
    }

    private void sendToGateway(final SeedContext context) throws SeedFailure
    {
        final byte[] hello = ascii("Hello from Breenix UDP!");
        final int sent = context.sockets().sendto(
            first, hello, 0, hello.length, 0, SockAddr.inet(context.gatewayAddress(), GATEWAY_PORT));
        check(sent == hello.length, "sendto gateway:7777 returned " + Errno.describe(sent) + ", expected 23");
    }

    private void bindSecond(final SeedContext context) throws SeedFailure
    {
        second = succeeds(context.sockets().socket(AF_INET, SOCK_DGRAM, 0), "second socket");
        succeeds(context.sockets().bind(second, SockAddr.inet(INADDR_ANY, 54321)), "bind 0.0.0.0:54321");
    }

    private void loopbackSend(final SeedContext context) throws SeedFailure
    {
        final byte[] payload = ascii("RX TEST");
        final int sent = context.sockets().sendto(
            first, payload, 0, payload.length, 0, SockAddr.inet(context.ownAddress(), 54321));
        check(sent == payload.length, "sendto own:54321 returned " + Errno.describe(sent) + ", expected 7");
    }

    private void loopbackReceive(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final byte[] buffer = new byte[128];
        final SockAddr source = new SockAddr();
        final int received = sockets.recvfrom(second, buffer, 0, buffer.length, 0, source);
        sockets.close(first);
        sockets.close(second);
        equalsBytes(ascii("RX TEST"), buffer, received, "recvfrom on 54321");
    }

    private static void ephemeralPort(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int fd = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "socket");
        try
        {
            succeeds(sockets.bind(fd, SockAddr.inet(INADDR_ANY, 0)), "bind 0.0.0.0:0");
            final SockAddr local = new SockAddr();
            succeeds(sockets.getsockname(fd, local), "getsockname");
            check(local.port() >= EphemeralPorts.FIRST && local.port() <= EphemeralPorts.LAST,
                "ephemeral port " + local.port() + " is outside 49152-65535");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void addressInUse(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int a = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "socket A");
        final int b = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "socket B");
        try
        {
            succeeds(sockets.bind(a, SockAddr.inet(INADDR_ANY, 54324)), "bind A to 54324");
            fails(sockets.bind(b, SockAddr.inet(INADDR_ANY, 54324)), Errno.EADDRINUSE, "bind B to 54324");
        }
        finally
        {
            sockets.close(a);
            sockets.close(b);
        }
    }

    private static void nonBlockingEmpty(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int fd = succeeds(sockets.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), "socket(SOCK_NONBLOCK)");
        try
        {
            succeeds(sockets.bind(fd, SockAddr.inet(INADDR_ANY, 54325)), "bind 54325");
            final byte[] buffer = new byte[64];
            fails(sockets.recvfrom(fd, buffer, 0, buffer.length, 0, null), Errno.EAGAIN, "recvfrom on empty queue");
        }
        finally
        {
            sockets.close(fd);
        }
    }

    private static void multipleDatagrams(final SeedContext context) throws SeedFailure
    {
        final Sockets sockets = context.sockets();
        final int receiver = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "receiver socket");
        final int sender = succeeds(sockets.socket(AF_INET, SOCK_DGRAM, 0), "sender socket");
        try
        {
            succeeds(sockets.bind(receiver, SockAddr.inet(INADDR_ANY, 54326)), "bind 54326");
            succeeds(sockets.bind(sender, SockAddr.inet(INADDR_ANY, 54327)), "bind 54327");
            final SockAddr destination = SockAddr.inet(context.ownAddress(), 54326);
            final String[] packets = { "PKT1", "PKT2", "PKT3" };
            for (final String packet : packets)
            {
                final byte[] payload = ascii(packet);
                check(sockets.sendto(sender, payload, 0, payload.length, 0, destination) == payload.length,
                    "sendto " + packet);
            }
            final byte[] buffer = new byte[64];
            for (final String packet : packets)
            {
                final int received = sockets.recvfrom(receiver, buffer, 0, buffer.length, 0, null);
                equalsBytes(ascii(packet), buffer, received, "datagram " + packet);
            }
        }
        finally
        {
            sockets.close(receiver);
            sockets.close(sender);
        }
    }
}
