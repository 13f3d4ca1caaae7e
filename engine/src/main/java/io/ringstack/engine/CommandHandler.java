package io.ringstack.engine;

import io.ringstack.errno.Errno;
import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.PingTracker;
import io.ringstack.iface.TxResult;
import io.ringstack.tcp.TcpEngine;
import io.ringstack.udp.UdpEndpoint;
import io.ringstack.udp.UdpTable;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Carries out the commands application threads put on the command ring ({@link Command}) and answers each on the
 * {@link ResponseBoard}. Engine thread only.
 */
final class CommandHandler implements MessageHandler
{
    private final UdpTable udpTable;
    private final AtomicReferenceArray<UdpEndpoint> newEndpoints;
    private final Ipv4Output output;
    private final PingTracker pings;
    private final ResponseBoard responses;
    private final EngineCounters counters;
    private final EngineTap tap;
    private final TcpEngine tcp;
    private final boolean loopbackUdpChecksums;
    private long nowNs;

    CommandHandler(
        final UdpTable udpTable,
        final AtomicReferenceArray<UdpEndpoint> newEndpoints,
        final Ipv4Output output,
        final PingTracker pings,
        final ResponseBoard responses,
        final EngineCounters counters,
        final EngineTap tap,
        final TcpEngine tcp,
        final boolean loopbackUdpChecksums)
    {
        this.tap = tap;
        this.loopbackUdpChecksums = loopbackUdpChecksums;
        this.tcp = tcp;
        this.udpTable = udpTable;
        this.newEndpoints = newEndpoints;
        this.output = output;
        this.pings = pings;
        this.responses = responses;
        this.counters = counters;
    }

    void nowNs(final long nowNs)
    {
        this.nowNs = nowNs;
    }

    public void onMessage(final int operation, final MutableDirectBuffer buffer, final int index, final int length)
    {
        counters.commands.incrementRelease();
        tap.onCommand(operation, buffer, index, length);
        final int slot = buffer.getInt(index + Command.SLOT_OFFSET);
        final int arg0 = buffer.getInt(index + Command.ARG0_OFFSET);
        final int arg1 = buffer.getInt(index + Command.ARG1_OFFSET);
        final long sequence = buffer.getLong(index + Command.SEQUENCE_OFFSET);
        switch (operation)
        {
            case Command.UDP_OPEN:
                udpTable.open(slot, newEndpoints.getAndSet(slot, null));
                responses.answer(slot, sequence, 0);
                break;
            case Command.UDP_BIND:
                responses.answer(slot, sequence, udpTable.bind(slot, arg0, arg1));
                break;
            case Command.UDP_CONNECT:
                responses.answer(slot, sequence, udpTable.connect(slot, arg0, arg1));
                break;
            case Command.UDP_SEND:
                final int sent = sendDatagram(slot, arg0, arg1, buffer,
                    index + Command.PAYLOAD_OFFSET, length - Command.PAYLOAD_OFFSET);
                if (sequence != Command.UNANSWERED)
                {
                    responses.answer(slot, sequence, sent);
                }
                else
                {
                    responses.record(slot, sequence, sent);
                    if (sent < 0)
                    {
                        reportError(slot, sent);
                    }
                }
                break;
            case Command.UDP_CLOSE:
                udpTable.close(slot);
                responses.answer(slot, sequence, 0);
                break;
            case Command.UDP_LOCAL_ADDRESS:
                responses.answer(slot, sequence, localAddress(slot));
                break;
            case Command.PING:
                final int result = pings.send(slot, sequence, arg0, arg1, nowNs);
                if (result != TxResult.SENT)
                {
                    responses.answer(slot, sequence, errnoOf(result));
                }
                break;
            case Command.TCP_OPEN:
            case Command.TCP_BIND:
            case Command.TCP_LISTEN:
            case Command.TCP_CONNECT:
            case Command.TCP_ACCEPT:
            case Command.TCP_SHUTDOWN:
            case Command.TCP_CLOSE:
            case Command.TCP_SET_OPTION:
            case Command.TCP_LOCAL_ADDRESS:
                responses.answer(slot, sequence, tcp.onCommand(operation, slot, arg0, arg1, nowNs));
                break;
            default:
                responses.answer(slot, sequence, -Errno.EINVAL);
                break;
        }
    }

    private void reportError(final int slot, final int error)
    {
        final UdpEndpoint endpoint = udpTable.endpoint(slot);
        if (endpoint != null)
        {
            endpoint.reportError(error);
        }
    }

    private long localAddress(final int slot)
    {
        final UdpEndpoint endpoint = udpTable.endpoint(slot);
        if (endpoint == null)
        {
            return -Errno.EBADF;
        }
        return ((endpoint.localAddress() & 0xFFFF_FFFFL) << 16) | endpoint.localPort();
    }

    private int sendDatagram(
        final int slot, final int address, final int port, final MutableDirectBuffer payload, final int payloadOffset,
        final int payloadLength)
    {
        final UdpEndpoint endpoint = udpTable.endpoint(slot);
        if (endpoint == null)
        {
            return -Errno.EBADF;
        }
        if (payloadLength > Ipv4Output.MAX_DATAGRAM_TRANSPORT_LENGTH - UdpDatagram.HEADER_LENGTH)
        {
            return -Errno.EMSGSIZE;
        }
        final int destination = port != 0 ? address : endpoint.remoteAddress();
        final int destinationPort = port != 0 ? port : endpoint.remotePort();
        if (destinationPort == 0)
        {
            return -Errno.EDESTADDRREQ;
        }
        if (!endpoint.isBound())
        {
            final int bound = udpTable.bind(slot, 0, 0);
            if (bound < 0)
            {
                return bound;
            }
        }
        final int source = output.sourceFor(endpoint.localAddress(), destination);
        final int udpLength = UdpDatagram.HEADER_LENGTH + payloadLength;
        final int claimed = output.claimLoopback(destination, udpLength);
        final MutableDirectBuffer frame = claimed >= 0 ? output.loopbackBuffer() : output.frame();
        final int udp = claimed >= 0 ? claimed : Ipv4Output.TRANSPORT_OFFSET;
        final int data = UdpDatagram.writeHeader(frame, udp, endpoint.localPort(), destinationPort, payloadLength);
        frame.putBytes(data, payload, payloadOffset, payloadLength);
        if (loopbackUdpChecksums || !output.isLocal(destination))
        {
            UdpDatagram.writeChecksum(frame, udp, udpLength, source, destination);
        }
        if (claimed >= 0)
        {
            output.commitLoopback(claimed, Ipv4Packet.PROTOCOL_UDP, 0, source, destination, udpLength);
            return payloadLength;
        }
        final int result = output.send(Ipv4Packet.PROTOCOL_UDP, source, destination, udpLength, nowNs);
        return result == TxResult.SENT ? payloadLength : errnoOf(result);
    }

    /**
     * The answer to a call whose frame the interface could not send, with the error number Linux gives for the same
     * condition: a full ring or ARP queue is {@code ENOBUFS}, an oversize frame {@code EMSGSIZE}, no route
     * {@code ENETUNREACH}, and a device that is not ready (or answered with a code it should not have)
     * {@code ENETDOWN}.
     *
     * @param txResult a {@link TxResult} other than {@link TxResult#SENT}.
     * @return {@code -errno}.
     */
    static int errnoOf(final int txResult)
    {
        switch (txResult)
        {
            case TxResult.NO_BUFFER:
            case TxResult.ARP_QUEUE_FULL: return -Errno.ENOBUFS;
            case TxResult.OVERSIZE: return -Errno.EMSGSIZE;
            case TxResult.NO_ROUTE: return -Errno.ENETUNREACH;
            case TxResult.NOT_READY:
            default: return -Errno.ENETDOWN;
        }
    }
}
