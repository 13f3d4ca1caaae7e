package io.ringstack.stack;

import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;

/**
 * The reset a host sends for a segment that belongs to no connection (RFC 9293 3.10.7.1, CLOSED state):
 * <pre>
 *   segment has ACK:     &lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;
 *   segment has no ACK:  &lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;
 * </pre>
 * where SEG.LEN counts the data plus one for SYN and one for FIN. A reset is never sent in answer to a reset.
 */
final class TcpReset
{
    private TcpReset()
    {
    }

    static void reply(final Ipv4Output output, final Ipv4Packet ip, final TcpSegment segment, final long nowNs)
    {
        final int sequence;
        final int acknowledgment;
        final int flags;
        if (segment.isAck())
        {
            sequence = segment.acknowledgmentNumber();
            acknowledgment = 0;
            flags = TcpSegment.FLAG_RST;
        }
        else
        {
            sequence = 0;
            acknowledgment = segment.sequenceNumber() + segment.payloadLength() + (segment.isSyn() ? 1 : 0) +
                (segment.isFin() ? 1 : 0);
            flags = TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK;
        }
        TcpSegment.writeHeader(output.frame(), Ipv4Output.TRANSPORT_OFFSET, segment.destinationPort(),
            segment.sourcePort(), sequence, acknowledgment, TcpSegment.HEADER_LENGTH, flags, 0);
        TcpSegment.writeChecksum(output.frame(), Ipv4Output.TRANSPORT_OFFSET, TcpSegment.HEADER_LENGTH,
            ip.destination(), ip.source());
        output.send(Ipv4Packet.PROTOCOL_TCP, ip.destination(), ip.source(), TcpSegment.HEADER_LENGTH, nowNs);
    }
}
