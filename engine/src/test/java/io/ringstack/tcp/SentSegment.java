package io.ringstack.tcp;

import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A segment the engine sent, parsed with the wire flyweights (themselves proven by golden-byte tests) and printed
 * as tcpdump prints it, so that a failed expectation reads like a trace.
 */
final class SentSegment
{
    final int sourceAddress;
    final int destinationAddress;
    final int sourcePort;
    final int destinationPort;
    final int sequence;
    final int acknowledgment;
    final int flags;
    final int window;
    final int mss;
    final int windowShift;
    final boolean sackPermitted;
    final boolean timestamps;
    final int timestampValue;
    final int timestampEcho;
    final int[] sackBlocks;
    final byte[] payload;
    final boolean checksumValid;
    /** The IPv4 header's second octet: DSCP and the ECN field. */
    final int dscpEcn;
    /** Whether the IPv4 header checksum, which covers the ECN field, is right. */
    final boolean ipChecksumValid;

    private SentSegment(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final Ipv4Packet ip = new Ipv4Packet();
        if (ip.wrap(buffer, EthernetFrame.HEADER_LENGTH, frame.length - EthernetFrame.HEADER_LENGTH) !=
            Ipv4Packet.VALID || ip.protocol() != Ipv4Packet.PROTOCOL_TCP)
        {
            throw new AssertionError("not a TCP frame: " + BitUtil.toHex(frame));
        }
        final TcpSegment segment = new TcpSegment();
        if (segment.wrap(buffer, ip.payloadOffset(), ip.payloadLength()) != TcpSegment.VALID)
        {
            throw new AssertionError("malformed TCP segment: " + BitUtil.toHex(frame));
        }
        final TcpOptions options = new TcpOptions();
        if (options.wrap(buffer, segment.optionsOffset(), segment.optionsLength()) != TcpOptions.VALID)
        {
            throw new AssertionError("malformed TCP options: " + BitUtil.toHex(frame));
        }
        sourceAddress = ip.source();
        destinationAddress = ip.destination();
        sourcePort = segment.sourcePort();
        destinationPort = segment.destinationPort();
        sequence = segment.sequenceNumber();
        acknowledgment = segment.acknowledgmentNumber();
        flags = segment.flags();
        window = segment.window();
        mss = options.hasMss() ? options.mss() : -1;
        windowShift = options.hasWindowScale() ? options.windowScale() : -1;
        sackPermitted = options.isSackPermitted();
        timestamps = options.hasTimestamps();
        timestampValue = options.timestampValue();
        timestampEcho = options.timestampEcho();
        sackBlocks = new int[2 * options.sackBlockCount()];
        for (int i = 0; i < options.sackBlockCount(); i++)
        {
            sackBlocks[2 * i] = options.sackLeft(i);
            sackBlocks[2 * i + 1] = options.sackRight(i);
        }
        payload = new byte[segment.payloadLength()];
        buffer.getBytes(segment.payloadOffset(), payload);
        checksumValid = segment.isChecksumValid(ip.source(), ip.destination());
        dscpEcn = ip.dscpEcn();
        ipChecksumValid = ip.isChecksumValid();
    }

    static SentSegment parse(final byte[] frame)
    {
        return new SentSegment(frame);
    }

    boolean is(final int expectedFlags)
    {
        return flags == expectedFlags;
    }

    boolean has(final int flag)
    {
        return (flags & flag) != 0;
    }

    int end()
    {
        return sequence + payload.length + (has(TcpSegment.FLAG_SYN) ? 1 : 0) + (has(TcpSegment.FLAG_FIN) ? 1 : 0);
    }

    String text()
    {
        return new String(payload, StandardCharsets.US_ASCII);
    }

    public String toString()
    {
        final StringBuilder text = new StringBuilder();
        text.append(sourcePort).append(" > ").append(destinationPort).append(" [");
        appendFlag(text, TcpSegment.FLAG_SYN, 'S');
        appendFlag(text, TcpSegment.FLAG_FIN, 'F');
        appendFlag(text, TcpSegment.FLAG_RST, 'R');
        appendFlag(text, TcpSegment.FLAG_PSH, 'P');
        appendFlag(text, TcpSegment.FLAG_ACK, '.');
        appendFlag(text, TcpSegment.FLAG_ECE, 'E');
        appendFlag(text, TcpSegment.FLAG_CWR, 'W');
        text.append("] seq ").append(Integer.toUnsignedString(sequence));
        if (payload.length > 0)
        {
            text.append(":").append(Integer.toUnsignedString(sequence + payload.length));
        }
        if (has(TcpSegment.FLAG_ACK))
        {
            text.append(" ack ").append(Integer.toUnsignedString(acknowledgment));
        }
        text.append(" win ").append(window).append(" <");
        if (mss >= 0)
        {
            text.append("mss ").append(mss).append(',');
        }
        if (sackPermitted)
        {
            text.append("sackOK,");
        }
        if (timestamps)
        {
            text.append("TS val ").append(Integer.toUnsignedString(timestampValue)).append(" ecr ")
                .append(Integer.toUnsignedString(timestampEcho)).append(',');
        }
        if (windowShift >= 0)
        {
            text.append("wscale ").append(windowShift).append(',');
        }
        if (sackBlocks.length > 0)
        {
            text.append("sack ").append(Arrays.toString(sackBlocks)).append(',');
        }
        text.append("> length ").append(payload.length);
        if ((dscpEcn & Ipv4Packet.ECN_MASK) != 0)
        {
            text.append((dscpEcn & Ipv4Packet.ECN_MASK) == Ipv4Packet.ECN_CE ? " CE" : " ECT");
        }
        return text.toString();
    }

    private void appendFlag(final StringBuilder text, final int flag, final char letter)
    {
        if (has(flag))
        {
            text.append(letter);
        }
    }
}
