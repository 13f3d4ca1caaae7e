package io.ringstack.iface;

import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;

/**
 * The ICMP arm (RFC 792): echo requests are answered, echo replies matched to the pings that asked for them, errors
 * counted as not yet reported to sockets. Engine thread only.
 */
final class IcmpReceiver implements Ipv4Protocol
{
    private final IcmpPacket icmp = new IcmpPacket();
    private final IcmpResponder responder;
    private final PingTracker pings;
    private final EngineCounters counters;

    IcmpReceiver(final IcmpResponder responder, final PingTracker pings, final EngineCounters counters)
    {
        this.responder = responder;
        this.pings = pings;
        this.counters = counters;
    }

    public DropReason onPacket(final Ipv4Packet ip, final int arrival, final long nowNs)
    {
        if (icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()) != IcmpPacket.VALID)
        {
            return DropReason.ICMP_TRUNCATED;
        }
        if (!icmp.isChecksumValid())
        {
            return DropReason.ICMP_BAD_CHECKSUM;
        }
        switch (icmp.type())
        {
            case IcmpPacket.TYPE_ECHO_REQUEST:
                if ((arrival & TO_BROADCAST) != 0)
                {
                    return DropReason.ICMP_BROADCAST_ECHO;
                }
                responder.echoReply(ip, icmp, nowNs);
                return null;
            case IcmpPacket.TYPE_ECHO_REPLY:
                if (pings.onEchoReply(ip.source(), icmp.identifier(), icmp.sequence(), nowNs))
                {
                    counters.pingRepliesMatched.incrementRelease();
                    return null;
                }
                return DropReason.ICMP_UNMATCHED_REPLY;
            case IcmpPacket.TYPE_DESTINATION_UNREACHABLE:
            case IcmpPacket.TYPE_TIME_EXCEEDED:
                return DropReason.ICMP_ERROR_NOT_REPORTED;
            default:
                return DropReason.ICMP_TYPE_UNSUPPORTED;
        }
    }
}
