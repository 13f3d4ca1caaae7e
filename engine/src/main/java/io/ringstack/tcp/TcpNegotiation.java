package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.config.Settings;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;

/**
 * What the engine offers in its SYNs and what a connection keeps of what both SYNs agreed: the MSS of the route
 * (RFC 9293 3.7.1), window scaling and timestamps (RFC 7323), SACK (RFC 2018), ECN (RFC 3168 6.1.1). Engine thread
 * only.
 */
final class TcpNegotiation
{
    static final int MAX_WINDOW_SHIFT = 14;
    /** The least MSS a connection sends with, whatever the peer announced. */
    static final int MIN_SEND_MSS = 64;
    /**
     * The MSS a connection falls back to in a path MTU black hole (RFC 8899 section 4.3): Linux's
     * {@code tcp_base_mss}, a base that RFC 8899 section 5.1.2 leaves to the packetization layer.
     */
    static final int BLACK_HOLE_BASE_MSS = 1024;

    /** {@link Setting#TCP_ECN}: ECN asked for in our SYNs. */
    private static final int ECN_REQUESTED = 1;

    private final Ipv4Output output;
    private final EngineCounters counters;
    private final boolean windowScaling;
    private final boolean sack;
    private final boolean timestamps;
    private final int maxSegmentSize;
    private final int ecn;

    TcpNegotiation(final Settings settings, final Ipv4Output output, final EngineCounters counters)
    {
        this.output = output;
        this.counters = counters;
        ecn = settings.intValue(Setting.TCP_ECN);
        windowScaling = settings.flag(Setting.TCP_WINDOW_SCALING);
        sack = settings.flag(Setting.TCP_SACK);
        timestamps = settings.flag(Setting.TCP_TIMESTAMPS);
        maxSegmentSize = settings.intValue(Setting.TCP_MAX_SEGMENT_SIZE);
    }

    boolean offersWindowScaling()
    {
        return windowScaling;
    }

    boolean offersSack()
    {
        return sack;
    }

    boolean offersTimestamps()
    {
        return timestamps;
    }

    /**
     * @return whether our SYNs ask for ECN ({@link Setting#TCP_ECN} 1).
     */
    boolean requestsEcn()
    {
        return ecn == ECN_REQUESTED;
    }

    /**
     * @return whether a peer's ECN-setup SYN gets an ECN-setup SYN-ACK ({@link Setting#TCP_ECN} 1 or 2).
     */
    boolean acceptsEcn()
    {
        return ecn != 0;
    }

    /**
     * Settle the options both SYNs agreed on and start the congestion controller, whose window counts segments of
     * the payload a segment carries once the options are taken off (RFC 6691).
     */
    void negotiate(final TcpConnection connection, final Handshake peer, final long nowNs)
    {
        final int ourMss = mssFor(connection.remoteAddress);
        connection.receiveMss = ourMss;
        connection.sendMssLimit = Math.min(peer.peerMss, ourMss);
        connection.pathMtuGeneration = output.pathMtuGeneration();
        connection.sendMss = sendMssOnPath(connection, nowNs);
        connection.windowScaling = windowScaling && peer.peerWindowShift >= 0;
        connection.sendWindowShift = connection.windowScaling ? Math.min(peer.peerWindowShift, MAX_WINDOW_SHIFT) : 0;
        connection.receiveWindowShift = connection.windowScaling ?
            windowShiftFor(connection.stream.receiveRing().limit()) : 0;
        connection.sackPermitted = sack && peer.sackPermitted;
        connection.timestamps = timestamps && peer.timestamps;
        connection.ecnEnabled = peer.ecn;
        if (peer.ecn)
        {
            counters.tcpEcnConnections.incrementRelease();
        }
        if (connection.timestamps)
        {
            connection.timestampRecent = peer.timestampValue;
            connection.timestampRecentNs = nowNs;
        }
        final int capacity = TcpSender.payloadCapacity(connection);
        connection.congestion.start(capacity, nowNs);
    }

    /**
     * The MSS we announce on the route to {@code remoteAddress}: its link's MTU (the loopback's, or the device's)
     * less 40 bytes of headers; capped by {@link Setting#TCP_MAX_SEGMENT_SIZE} when set.
     */
    int mssFor(final int remoteAddress)
    {
        final int mss = output.linkMtu(remoteAddress) - Ipv4Packet.HEADER_LENGTH - TcpSegment.HEADER_LENGTH;
        return maxSegmentSize > 0 ? Math.min(mss, maxSegmentSize) : mss;
    }

    /**
     * Bring the connection's send MSS to its path's MTU if that changed since it last looked (RFC 1191 section 6.3,
     * Linux's {@code tcp_current_mss}): down after a fragmentation needed, up again when the report expired. One
     * comparison when nothing changed.
     *
     * @return {@code true} when the send MSS went down.
     */
    boolean followPathMtu(final TcpConnection connection, final long nowNs)
    {
        final int generation = output.pathMtuGeneration();
        if (connection.pathMtuGeneration == generation)
        {
            return false;
        }
        connection.pathMtuGeneration = generation;
        final int before = connection.sendMss;
        connection.sendMss = sendMssOnPath(connection, nowNs);
        return connection.sendMss < before;
    }

    /**
     * A path MTU black hole is suspected: send with {@link #BLACK_HOLE_BASE_MSS} at most, from now on, whatever ICMP
     * says later (as Linux's {@code tcp_mtu_probing=1}, which probes upward again; this engine does not).
     *
     * @return {@code false} when the connection sent no more than that already.
     */
    static boolean fallBackToBaseMss(final TcpConnection connection)
    {
        if (connection.sendMss <= BLACK_HOLE_BASE_MSS)
        {
            return false;
        }
        connection.sendMssLimit = Math.min(connection.sendMssLimit, BLACK_HOLE_BASE_MSS);
        connection.sendMss = BLACK_HOLE_BASE_MSS;
        return true;
    }

    /**
     * @return the MSS a connection sends with: its limit, or the path MTU less 40 bytes of headers, at least
     * {@value #MIN_SEND_MSS}.
     */
    private int sendMssOnPath(final TcpConnection connection, final long nowNs)
    {
        final int pathMss = output.pathMtu(connection.remoteAddress, nowNs) - Ipv4Packet.HEADER_LENGTH -
            TcpSegment.HEADER_LENGTH;
        return Math.max(Math.min(connection.sendMssLimit, pathMss), MIN_SEND_MSS);
    }

    /**
     * @return the smallest shift that lets a 16-bit window field cover {@code bufferBytes}, at most 14.
     */
    static int windowShiftFor(final int bufferBytes)
    {
        int shift = 0;
        while (shift < MAX_WINDOW_SHIFT && (bufferBytes >> shift) > 0xFFFF)
        {
            shift++;
        }
        return shift;
    }
}
