package io.ringstack.tcp;

import io.ringstack.errno.Errno;
import io.ringstack.errno.UnreachableErrors;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.IcmpError;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.wire.TcpSegment;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.ringstack.tcp.SequenceNumbers.afterOrAt;
import static io.ringstack.tcp.SequenceNumbers.beforeOrAt;

/**
 * What an ICMP destination unreachable or time exceeded does to the TCP connection whose segment it quotes
 * (RFC 1122 4.2.3.9, RFC 5927), as Linux's {@code tcp_v4_err} does:
 * <ul>
 *   <li>the quote must name a connection by its four-tuple and carry a sequence number in
 *       {@code SND.UNA .. SND.MAX}, the segments in flight (RFC 5927 section 4.1, Linux's {@code between(seq,
 *       snd_una, snd_nxt)}, our SND.MAX being Linux's SND.NXT); otherwise it may be a blind attack and is counted
 *       as {@link DropReason#ICMP_TCP_OUT_OF_WINDOW};</li>
 *   <li>in SYN-SENT, and in SYN-RECEIVED of an active (simultaneous) open, any unreachable ends the connect at once
 *       with the errno of its code ({@code ECONNREFUSED} for port unreachable, {@code EHOSTUNREACH},
 *       {@code ENETUNREACH}...: {@link UnreachableErrors});</li>
 *   <li>on a synchronized connection it is only a soft error: the connection goes on, and the error replaces
 *       {@code ETIMEDOUT} if the connection later times out (Linux's {@code sk_err_soft}); an acceptable ACK
 *       forgets it;</li>
 *   <li>a fragmentation needed is path MTU discovery's (RFC 1191), whatever the state;</li>
 *   <li>a time exceeded is {@code EHOSTUNREACH}, a soft error like the others (RFC 1122 4.2.3.9), that ends a
 *       connect as Linux does.</li>
 * </ul>
 * Engine thread only; nothing allocates.
 */
final class TcpIcmpErrors
{
    private final EngineCounters counters;
    private final Ipv4Output output;
    private final TcpConnectionTable table;
    private final TcpNegotiation negotiation;
    private final TcpLifecycle lifecycle;
    private final TcpOutputQueue outputQueue;

    TcpIcmpErrors(
        final EngineCounters counters,
        final Ipv4Output output,
        final TcpConnectionTable table,
        final TcpNegotiation negotiation,
        final TcpLifecycle lifecycle,
        final TcpOutputQueue outputQueue)
    {
        this.counters = counters;
        this.output = output;
        this.table = table;
        this.negotiation = negotiation;
        this.lifecycle = lifecycle;
        this.outputQueue = outputQueue;
    }

    DropReason onUnreachable(final IcmpError error, final long nowNs)
    {
        final int errno = error.isTimeExceeded() ? Errno.EHOSTUNREACH : UnreachableErrors.errorOf(error.code());
        final TcpConnection connection = quotedConnection(error);
        if (connection == null || errno == 0)
        {
            return DropReason.ICMP_ERROR_NOT_REPORTED;
        }
        final int sequence = error.buffer().getInt(
            error.transportOffset() + TcpSegment.SEQUENCE_NUMBER_OFFSET, ByteOrder.BIG_ENDIAN);
        if (!afterOrAt(sequence, connection.sendUnacknowledged) || !beforeOrAt(sequence, connection.sendMax))
        {
            return DropReason.ICMP_TCP_OUT_OF_WINDOW;
        }
        if (error.isFragmentationNeeded())
        {
            return onFragmentationNeeded(connection, error.reportedMtu(), nowNs);
        }
        if (connection.state == TcpState.SYN_SENT || (connection.state == TcpState.SYN_RECEIVED && !connection.passive))
        {
            lifecycle.failConnect(connection, errno);
        }
        else
        {
            connection.softError = errno;
        }
        return null;
    }

    /**
     * Path MTU discovery (RFC 1191 section 6.4, Linux's {@code tcp_v4_mtu_reduced} and {@code tcp_simple_retransmit}):
     * lower the destination's path MTU; a connection whose MSS it lowers resends what is in flight at once, in
     * segments of the new size, without taking it for congestion.
     */
    private DropReason onFragmentationNeeded(final TcpConnection connection, final int mtu, final long nowNs)
    {
        final boolean lowered = output.lowerPathMtu(connection.remoteAddress, mtu, nowNs);
        if (connection.state == TcpState.SYN_SENT)
        {
            return lowered ? null : DropReason.ICMP_PATH_MTU_NOT_LOWER;
        }
        if (!negotiation.followPathMtu(connection, nowNs))
        {
            return DropReason.ICMP_PATH_MTU_NOT_LOWER;
        }
        counters.tcpPathMtuReductions.incrementRelease();
        if (connection.sendMax != connection.sendUnacknowledged)
        {
            connection.sendNext = connection.sendUnacknowledged;
            connection.rtt.stopTiming();
        }
        outputQueue.mark(connection);
        return null;
    }

    /**
     * @return the connection that sent the quoted segment, from the quoted source's port and address to the quoted
     * destination's, or {@code null}.
     */
    private TcpConnection quotedConnection(final IcmpError error)
    {
        final DirectBuffer quote = error.buffer();
        final int offset = error.transportOffset();
        final int localPort = quote.getShort(offset + TcpSegment.SOURCE_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int remotePort =
            quote.getShort(offset + TcpSegment.DESTINATION_PORT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        return table.lookup(TcpConnectionTable.key(error.destination(), remotePort, localPort), error.source());
    }
}
