package io.ringstack.tcp;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A segment the scripted peer sends, built field by field as a packetdrill line reads:
 * {@code peer.segment(S).seq(100).window(65535).mss(1460).wscale(7)}. {@link #frame} writes it whole (Ethernet,
 * IPv4, TCP with options, correct checksums) with the wire writers.
 */
final class PeerSegment
{
    private final long sourceMac;
    private final long destinationMac;
    private final int sourceAddress;
    private final int destinationAddress;
    private final int sourcePort;
    private final int destinationPort;
    private final int flags;
    private int sequence;
    private int acknowledgment;
    private int window = 65535;
    private int mss = -1;
    private int windowShift = -1;
    private boolean sackPermitted;
    private boolean timestamps;
    private int timestampValue;
    private int timestampEcho;
    private int[] sackBlocks = new int[0];
    private byte[] payload = new byte[0];
    private int dscpEcn;

    PeerSegment(
        final long sourceMac, final long destinationMac, final int sourceAddress, final int destinationAddress,
        final int sourcePort, final int destinationPort, final int flags)
    {
        this.sourceMac = sourceMac;
        this.destinationMac = destinationMac;
        this.sourceAddress = sourceAddress;
        this.destinationAddress = destinationAddress;
        this.sourcePort = sourcePort;
        this.destinationPort = destinationPort;
        this.flags = flags;
    }

    PeerSegment seq(final int sequence)
    {
        this.sequence = sequence;
        return this;
    }

    PeerSegment ack(final int acknowledgment)
    {
        this.acknowledgment = acknowledgment;
        return this;
    }

    PeerSegment window(final int window)
    {
        this.window = window;
        return this;
    }

    PeerSegment mss(final int mss)
    {
        this.mss = mss;
        return this;
    }

    PeerSegment wscale(final int shift)
    {
        windowShift = shift;
        return this;
    }

    PeerSegment sackPermitted()
    {
        sackPermitted = true;
        return this;
    }

    PeerSegment timestamps(final int value, final int echo)
    {
        timestamps = true;
        timestampValue = value;
        timestampEcho = echo;
        return this;
    }

    /**
     * @param edges left, right pairs.
     */
    PeerSegment sack(final int... edges)
    {
        sackBlocks = edges.clone();
        return this;
    }

    PeerSegment payload(final byte[] payload)
    {
        this.payload = payload.clone();
        return this;
    }

    PeerSegment payload(final String text)
    {
        return payload(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * @param codepoint the IPv4 header's ECN field: {@link Ipv4Packet#ECN_ECT_0}, {@link Ipv4Packet#ECN_CE} ...
     */
    PeerSegment ecn(final int codepoint)
    {
        dscpEcn = codepoint;
        return this;
    }

    byte[] frame()
    {
        final UnsafeBuffer options = new UnsafeBuffer(new byte[TcpSegment.MAX_HEADER_LENGTH]);
        int length = 0;
        if (mss >= 0)
        {
            length = TcpOptions.writeMss(options, length, mss);
        }
        if (sackPermitted)
        {
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeSackPermitted(options, length);
        }
        if (timestamps)
        {
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeTimestamps(options, length, timestampValue, timestampEcho);
        }
        if (windowShift >= 0)
        {
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeWindowScale(options, length, windowShift);
        }
        if (sackBlocks.length > 0)
        {
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeNop(options, length);
            length = TcpOptions.writeSackHeader(options, length, sackBlocks.length / 2);
            for (int i = 0; i < sackBlocks.length; i += 2)
            {
                length = TcpOptions.writeSackBlock(options, length, sackBlocks[i], sackBlocks[i + 1]);
            }
        }
        while (length % 4 != 0)
        {
            length = TcpOptions.writeNop(options, length);
        }
        final int headerLength = TcpSegment.HEADER_LENGTH + length;
        final int segmentLength = headerLength + payload.length;
        final int ip = EthernetFrame.HEADER_LENGTH;
        final int tcp = ip + Ipv4Packet.HEADER_LENGTH;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[tcp + segmentLength]);
        EthernetFrame.writeHeader(frame, 0, destinationMac, sourceMac, EthernetFrame.ETHER_TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, ip, dscpEcn, segmentLength, 1, Ipv4Packet.FLAG_DONT_FRAGMENT, 64,
            Ipv4Packet.PROTOCOL_TCP, sourceAddress, destinationAddress);
        TcpSegment.writeHeader(frame, tcp, sourcePort, destinationPort, sequence, acknowledgment, headerLength, flags,
            window);
        frame.putBytes(tcp + TcpSegment.HEADER_LENGTH, options, 0, length);
        frame.putBytes(tcp + headerLength, payload);
        TcpSegment.writeChecksum(frame, tcp, segmentLength, sourceAddress, destinationAddress);
        return frame.byteArray();
    }
}
