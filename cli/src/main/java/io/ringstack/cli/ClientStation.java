package io.ringstack.cli;

import io.ringstack.counters.CountersFile;
import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a client command ({@code connect}, {@code get}) runs on: one engine on a NIC model wired to a link, as
 * {@code serve} runs, without services, and the deadline every one of its waits has. A picocli mixin.
 */
final class ClientStation
{
    @Mixin
    NicOptions nicOptions;

    @Option(names = "--link", required = true, description = "tap:NAME or udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT, as "
        + "for serve.")
    String link;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS",
        description = "Deadline of every wait: connecting, each send and each receive (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--counters-dir", description = "Where to publish counters for 'ringstack stat'.")
    Path countersDirectory;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal the whole session into DIR (a new or "
        + "empty directory); replay it with 'ringstack journal replay DIR'.")
    Path journalDirectory;

    private PlatformProfile profile;
    private InterfaceConfig config;
    private LinkSpec linkSpec;
    private long macAddress;

    /**
     * Check every option before anything starts.
     *
     * @throws IllegalArgumentException naming the first bad option.
     */
    void check()
    {
        profile = nicOptions.profile();
        macAddress = nicOptions.macAddress();
        config = nicOptions.interfaceConfig();
        linkSpec = LinkSpec.parse(link);
        if (timeoutSeconds <= 0 || timeoutSeconds > 3600)
        {
            throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": expected 1 to 3600 seconds");
        }
    }

    /**
     * Open the link and start the engine, named after the command, e.g. {@code connect-e1000}. Call {@link #check}
     * first.
     */
    ServeSession start(final String command)
    {
        return ServeSession.start(command + "-" + profile.nic(), profile, config, macAddress, linkSpec, List.of(),
            Map.of(), countersDirectory != null ? countersDirectory : CountersFile.defaultDirectory(), journalDirectory);
    }

    long timeoutNs()
    {
        return TimeUnit.SECONDS.toNanos(timeoutSeconds);
    }

    String describe()
    {
        return config + " on " + profile.label() + " via " + linkSpec;
    }

    /**
     * A blocking socket with this station's deadline on every call, connected to {@code peer}.
     *
     * @throws IllegalStateException naming the peer and the error when the socket cannot be made or connected.
     */
    int connect(final Sockets sockets, final int type, final SockAddr peer, final String what)
    {
        final int fd = sockets.socket(SocketConstants.AF_INET, type, 0);
        if (fd < 0)
        {
            throw new IllegalStateException(what + ": socket: " + Errno.name(fd));
        }
        sockets.setReceiveTimeout(fd, timeoutNs());
        sockets.setSendTimeout(fd, timeoutNs());
        final int connected = sockets.connect(fd, peer);
        if (connected < 0)
        {
            sockets.close(fd);
            throw new IllegalStateException(what + " " + Ipv4Text.format(peer.ipv4()) + ":" + peer.port() + ": "
                + Errno.name(connected));
        }
        return fd;
    }

    /**
     * @return {@code HOST:PORT} (a dotted quad and a port 1-65535) as an address.
     * @throws IllegalArgumentException showing the expected form.
     */
    static SockAddr parsePeer(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("peer '" + text + "': expected HOST:PORT, e.g. 10.0.2.2:7");
        }
        return SockAddr.inet(Ipv4Text.parse(text.substring(0, colon)), parsePort(text.substring(colon + 1), text));
    }

    static int parsePort(final String port, final String text)
    {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9') ||
            Integer.parseInt(port) == 0 || Integer.parseInt(port) > 0xFFFF)
        {
            throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not 1 to 65535");
        }
        return Integer.parseInt(port);
    }
}
