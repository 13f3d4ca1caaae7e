package io.ringstack.bench;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;

import static io.ringstack.bench.UdpFrames.ENGINE_ADDRESS;
import static io.ringstack.bench.UdpFrames.ENGINE_MAC;
import static io.ringstack.bench.UdpFrames.PEER_ADDRESS;
import static io.ringstack.bench.UdpFrames.PEER_MAC;

/**
 * The request/response paths {@link UdpLatency} measures, each an echo server on a thread of its own and a client
 * socket for the harness's thread.
 */
final class LatencyEndpoints
{
    private static final int ECHO_PORT = 7000;
    private static final int CLIENT_PORT = 7001;
    private static final int CABLE_CAPACITY = 1 << 20;
    private static final int RING_CAPACITY = 1 << 20;

    private LatencyEndpoints()
    {
    }

    /**
     * @param path    {@code loopback}, {@code e1000}, {@code virtio} or {@code kernel}.
     * @param payload the request's length in bytes.
     * @return the path, its echo server running.
     */
    static LatencyEndpoint open(final String path, final int payload) throws IOException
    {
        return switch (path)
        {
            case "loopback" -> loopback(payload);
            case "e1000" -> cable(PlatformProfile.X86_64, payload);
            case "virtio" -> cable(PlatformProfile.AARCH64, payload);
            case "kernel" -> new Kernel(payload);
            default -> throw new IllegalArgumentException("no latency path " + path);
        };
    }

    /**
     * Client and server on one engine on its own thread, through its loopback ring.
     */
    private static LatencyEndpoint loopback(final int payload)
    {
        final Ringstack stack = Ringstack.launch(context("latency-loopback", ENGINE_ADDRESS), true, null);
        return new OnRingstack(stack, stack, SocketConstants.INADDR_LOOPBACK, payload);
    }

    /**
     * Two hosts joined by a cable between two NIC models of a profile: the client's engine (10.0.2.15) on its own
     * thread, the server's (10.0.2.2) embedded in its echo thread, whose blocking calls run its duty cycles.
     */
    private static LatencyEndpoint cable(final PlatformProfile profile, final int payload)
    {
        final Link[] ends = Cable.ends(CABLE_CAPACITY);
        final Ringstack client = Ringstack.launch(
            context("latency-client", ENGINE_ADDRESS), true, null, profile.nicOn(ends[0], ENGINE_MAC));
        final Ringstack server = Ringstack.launch(
            context("latency-server", PEER_ADDRESS), false, null, profile.nicOn(ends[1], PEER_MAC));
        return new OnRingstack(client, server, PEER_ADDRESS, payload);
    }

    private static EngineContext context(final String name, final int address)
    {
        return new EngineContext()
            .name(name)
            .interfaceConfig(new InterfaceConfig(address, 24, 0, address == ENGINE_ADDRESS ? ENGINE_MAC : PEER_MAC))
            .set(Setting.UDP_RECEIVE_RING_CAPACITY, RING_CAPACITY)
            .set(Setting.LOOPBACK_RING_CAPACITY, RING_CAPACITY)
            .set(Setting.ARP_ENTRY_LIFETIME_NS, TimeUnit.HOURS.toNanos(1));
    }

    /**
     * A client socket on one engine and a {@link RingstackUdpEcho} on another or the same.
     */
    private static final class OnRingstack implements LatencyEndpoint
    {
        private final Ringstack clientStack;
        private final Ringstack serverStack;
        private final Sockets sockets;
        private final RingstackUdpEcho echo;
        private final SockAddr server;
        private final byte[] request;
        private final byte[] reply;
        private final UnsafeBuffer requestView;
        private final UnsafeBuffer replyView;
        private final int fd;

        OnRingstack(final Ringstack clientStack, final Ringstack serverStack, final int serverAddress,
            final int payload)
        {
            this.clientStack = clientStack;
            this.serverStack = serverStack;
            request = new byte[payload];
            reply = new byte[payload];
            requestView = new UnsafeBuffer(request);
            replyView = new UnsafeBuffer(reply);
            server = SockAddr.inet(serverAddress, ECHO_PORT);
            echo = new RingstackUdpEcho(serverStack.sockets(), ECHO_PORT, payload);
            sockets = clientStack.sockets();
            fd = Checks.errno(sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0), "socket");
            Checks.errno(sockets.bind(fd, SockAddr.inet(SocketConstants.INADDR_ANY, CLIENT_PORT)), "bind");
        }

        public boolean send(final long sequence)
        {
            requestView.putLong(0, sequence);
            return sockets.sendto(fd, request, 0, request.length, 0, server) == request.length;
        }

        public long poll()
        {
            final int length = sockets.recvfrom(fd, reply, 0, reply.length, SocketConstants.MSG_DONTWAIT, null);
            return length == reply.length ? replyView.getLong(0) : NO_REPLY;
        }

        public long echoed()
        {
            return echo.echoed();
        }

        public String diagnostics()
        {
            return clientStack == serverStack ? clientStack.diagnostics() :
                "client:\n" + clientStack.diagnostics() + "server:\n" + serverStack.diagnostics();
        }

        public void close()
        {
            try
            {
                echo.close();
            }
            finally
            {
                CloseHelper.closeAll(clientStack, serverStack == clientStack ? null : serverStack);
            }
        }
    }

    /**
     * The kernel's UDP over 127.0.0.1: {@link KernelUdpEcho}, its client channel made non-blocking for polling.
     */
    private static final class Kernel implements LatencyEndpoint
    {
        private final KernelUdpEcho echo;
        private final DatagramChannel client;
        private final ByteBuffer request;
        private final ByteBuffer reply;

        Kernel(final int payload) throws IOException
        {
            echo = new KernelUdpEcho(payload);
            client = echo.client();
            client.configureBlocking(false);
            request = ByteBuffer.allocateDirect(payload);
            reply = ByteBuffer.allocateDirect(payload);
        }

        public boolean send(final long sequence)
        {
            request.clear();
            request.putLong(0, sequence);
            try
            {
                return client.write(request) == request.capacity();
            }
            catch (final IOException ex)
            {
                return false;
            }
        }

        public long poll()
        {
            reply.clear();
            try
            {
                return client.read(reply) == reply.capacity() ? reply.getLong(0) : NO_REPLY;
            }
            catch (final IOException ex)
            {
                return NO_REPLY;
            }
        }

        public long echoed()
        {
            return echo.echoed();
        }

        public String diagnostics()
        {
            return "";
        }

        public void close() throws IOException
        {
            echo.close();
        }
    }
}
