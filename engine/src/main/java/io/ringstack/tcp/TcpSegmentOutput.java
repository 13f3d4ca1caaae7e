package io.ringstack.tcp;

import io.ringstack.iface.EngineCounters;
import io.ringstack.iface.Ipv4Output;
import io.ringstack.iface.TxResult;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpOptions;
import io.ringstack.wire.TcpSegment;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Writes TCP segments into the engine's {@link Ipv4Output} frame and sends them: the header, the options, the
 * payload straight from a send ring, and the checksum. Options follow Linux's layout, every one 32-bit aligned:
 * <pre>
 *   SYN, SYN-ACK:  MSS | SACK-permitted, Timestamps | NOP, Window scale        (at most 20 bytes)
 *   other:         NOP, NOP, Timestamps | NOP, NOP, SACK with 1-4 blocks        (at most 40 bytes)
 * </pre>
 * Set the options of the next segment with the {@code with...} methods, then call {@link #send}; each send clears
 * them. A segment to a loopback destination is written straight into the loopback ring's frame ({@link
 * Ipv4Output#claimLoopback}), its header and options copied there from {@link Ipv4Output#frame()} and its payload from
 * the send ring, so its bytes are copied once. It is only sent when the loopback ring has room for it; otherwise
 * {@link TxResult#NO_BUFFER} comes back before anything is counted, and the caller tries again next duty cycle
 * (backpressure, not loss). A segment the next hop's full ARP queue refuses ({@link TxResult#ARP_QUEUE_FULL}) is
 * counted as {@code tcp_arp_queue_full} and is the caller's to take as lost. Loopback segments carry no checksum (a
 * zero field): like Linux's {@code lo}, the engine does not checksum what never leaves it, and its dispatcher does not
 * verify TCP from the loopback ring.
 * <p>
 * A segment longer than the MTU allows, for a device that cuts it itself ({@link #withSegmentSize},
 * {@link Ipv4Output#sendSegmented}), leaves in one frame with only the pseudo-header's sum in its checksum field,
 * which the device finishes for each piece, as Linux hands a TSO device its segments. It too is written in place
 * when the device lends its own memory for it ({@link Ipv4Output#claimSegmented}): its payload is then copied once,
 * from the send ring into the buffer the device reads, rather than through {@link Ipv4Output#frame()}.
 * Engine thread only; nothing allocates.
 */
final class TcpSegmentOutput
{
    static final int MAX_SACK_BLOCKS = TcpOptions.MAX_SACK_BLOCKS;
    /** Option bytes of the timestamps as every segment but a SYN carries them: NOP, NOP, TS. */
    static final int TIMESTAMPS_SPACE = 12;
    /** Option bytes of {@code n} SACK blocks: NOP, NOP, kind, length, 8 per block. */
    static final int SACK_SPACE_BASE = 4;

    /** Room kept free in the loopback ring: two of the largest frames, with their record headers and padding. */
    private static final int LOOPBACK_HEADROOM = 2 * 2048;

    private final Ipv4Output output;
    private final OneToOneRingBuffer loopback;
    private final EngineCounters counters;
    private final UnsafeBuffer frame;
    private final int[] sackEdges = new int[2 * MAX_SACK_BLOCKS];
    private int synMss;
    private int synWindowShift;
    private boolean synSackPermitted;
    private boolean timestamps;
    private int timestampValue;
    private int timestampEcho;
    private int sackBlockCount;
    private int segmentSize;
    private int dscpEcn;

    TcpSegmentOutput(final Ipv4Output output, final OneToOneRingBuffer loopback, final EngineCounters counters)
    {
        this.output = output;
        this.loopback = loopback;
        this.counters = counters;
        frame = output.frame();
        clearOptions();
    }

    /**
     * The next segment is a SYN or SYN-ACK announcing these options.
     *
     * @param windowShift our window shift, or -1 to send no window scale option.
     */
    TcpSegmentOutput withSynOptions(final int mss, final int windowShift, final boolean sackPermitted)
    {
        synMss = mss;
        synWindowShift = windowShift;
        synSackPermitted = sackPermitted;
        return this;
    }

    TcpSegmentOutput withTimestamps(final int value, final int echo)
    {
        timestamps = true;
        timestampValue = value;
        timestampEcho = echo;
        return this;
    }

    /**
     * The next segment, if longer than the route's MTU allows, goes whole to a device that cuts it into segments of
     * {@code payloadPerSegment} bytes of payload each.
     */
    TcpSegmentOutput withSegmentSize(final int payloadPerSegment)
    {
        segmentSize = payloadPerSegment;
        return this;
    }

    /**
     * The next segment goes with ECT(0) in its IP header's ECN field (RFC 3168 section 5): new data of an ECN
     * connection. Every other segment goes as not ECN-capable.
     */
    TcpSegmentOutput withEcnCapableTransport()
    {
        dscpEcn = Ipv4Packet.ECN_ECT_0;
        return this;
    }

    /**
     * @return the most payload one segment to {@code destination} may carry with {@code optionBytes} of options when
     * the device cuts segments larger than the MTU, a multiple of {@code payloadPerSegment}; or
     * {@code payloadPerSegment} when the device does not cut, or cuts less than two.
     */
    int offloadPayload(final int destination, final int optionBytes, final int payloadPerSegment)
    {
        return payloadForOffload(output.segmentOffloadBytes(destination), optionBytes, payloadPerSegment);
    }

    /**
     * @return the most payload a segment of at most {@code offloadBytes} of IP packet carries with
     * {@code optionBytes} of options, a multiple of {@code payloadPerSegment}, at least {@code payloadPerSegment}.
     */
    static int payloadForOffload(final int offloadBytes, final int optionBytes, final int payloadPerSegment)
    {
        final int room = offloadBytes - Ipv4Packet.HEADER_LENGTH - TcpSegment.HEADER_LENGTH - optionBytes;
        return Math.max(payloadPerSegment, room - room % payloadPerSegment);
    }

    /**
     * @return the array to fill with (left, right) pairs before {@link #withSackBlocks}.
     */
    int[] sackEdges()
    {
        return sackEdges;
    }

    TcpSegmentOutput withSackBlocks(final int count)
    {
        sackBlockCount = count;
        return this;
    }

    /**
     * Send a segment from {@code source}:{@code sourcePort} to {@code destination}:{@code destinationPort} with
     * the options set since the last send.
     *
     * @param payloadRing where the payload is, {@code null} when there is none.
     * @param payloadFromHead where in the ring the payload starts, counted from the ring's head.
     * @return 0 when sent, {@link TxResult#NO_BUFFER} when the loopback ring has no room, else what
     * {@link Ipv4Output#send} returned, {@link TxResult#ARP_QUEUE_FULL} counted.
     */
    int send(
        final int source, final int destination, final int sourcePort, final int destinationPort,
        final int sequence, final int acknowledgment, final int flags, final int window,
        final TcpByteRing payloadRing, final int payloadFromHead, final int payloadLength, final long nowNs)
    {
        final int tcp = Ipv4Output.TRANSPORT_OFFSET;
        final int optionsEnd = writeOptions(tcp + TcpSegment.HEADER_LENGTH);
        final int headerLength = optionsEnd - tcp;
        TcpSegment.writeHeader(frame, tcp, sourcePort, destinationPort, sequence, acknowledgment, headerLength, flags,
            window);
        final int segmentLength = headerLength + payloadLength;
        final int cutInto = payloadLength > segmentSize ? segmentSize : 0;
        segmentSize = 0;
        final int ecn = dscpEcn;
        dscpEcn = 0;
        final boolean local = output.isLocal(destination);
        if (local)
        {
            final int frameLength = Ipv4Output.TRANSPORT_OFFSET + segmentLength;
            if (loopback.capacity() - loopback.size() < frameLength + LOOPBACK_HEADROOM)
            {
                return TxResult.NO_BUFFER;
            }
            final int claimed = output.claimLoopback(destination, segmentLength);
            if (claimed >= 0)
            {
                writeInPlace(output.loopbackBuffer(), claimed, headerLength, payloadRing, payloadFromHead,
                    payloadLength);
                countReset(flags);
                output.commitLoopback(claimed, Ipv4Packet.PROTOCOL_TCP, ecn, source, destination, segmentLength);
                return TxResult.SENT;
            }
        }
        else if (cutInto != 0)
        {
            final int claimed = output.claimSegmented(destination, segmentLength, nowNs);
            if (claimed >= 0)
            {
                final MutableDirectBuffer device = output.deviceBuffer();
                writeInPlace(device, claimed, headerLength, payloadRing, payloadFromHead, payloadLength);
                TcpSegment.writePseudoHeaderChecksum(device, claimed, segmentLength, source, destination);
                countReset(flags);
                return output.commitSegmented(claimed, ecn, source, destination, segmentLength, cutInto, nowNs);
            }
        }
        if (payloadLength > 0)
        {
            payloadRing.copyOut(payloadFromHead, frame, optionsEnd, payloadLength);
        }
        if (!local)
        {
            if (cutInto != 0)
            {
                TcpSegment.writePseudoHeaderChecksum(frame, tcp, segmentLength, source, destination);
            }
            else
            {
                TcpSegment.writeChecksum(frame, tcp, segmentLength, source, destination);
            }
        }
        countReset(flags);
        final int result = cutInto != 0 ?
            output.sendSegmented(ecn, source, destination, segmentLength, cutInto, nowNs) :
            output.send(Ipv4Packet.PROTOCOL_TCP, ecn, source, destination, segmentLength, nowNs);
        if (result == TxResult.ARP_QUEUE_FULL)
        {
            counters.tcpArpQueueFull.incrementRelease();
        }
        return result;
    }

    /**
     * Write the segment whose header and options are in {@link #frame} at {@code claimed} of a claimed buffer, its
     * payload straight from the send ring.
     */
    private void writeInPlace(final MutableDirectBuffer buffer, final int claimed, final int headerLength,
        final TcpByteRing payloadRing, final int payloadFromHead, final int payloadLength)
    {
        buffer.putBytes(claimed, frame, Ipv4Output.TRANSPORT_OFFSET, headerLength);
        if (payloadLength > 0)
        {
            payloadRing.copyOut(payloadFromHead, buffer, claimed + headerLength, payloadLength);
        }
    }

    private void countReset(final int flags)
    {
        if ((flags & TcpSegment.FLAG_RST) != 0)
        {
            counters.tcpResetsSent.incrementRelease();
        }
    }

    /**
     * Answer a segment that belongs to no connection with the reset of RFC 9293 section 3.10.7.1 (never a reset
     * in answer to a reset):
     * <pre>
     *   segment has ACK:     &lt;SEQ=SEG.ACK&gt;&lt;CTL=RST&gt;
     *   segment has no ACK:  &lt;SEQ=0&gt;&lt;ACK=SEG.SEQ+SEG.LEN&gt;&lt;CTL=RST,ACK&gt;
     * </pre>
     * where SEG.LEN counts the data plus one for SYN and one for FIN.
     */
    void replyReset(final Ipv4Packet ip, final TcpSegment segment, final long nowNs)
    {
        if (segment.isRst())
        {
            return;
        }
        clearOptions();
        if (segment.isAck())
        {
            send(ip.destination(), ip.source(), segment.destinationPort(), segment.sourcePort(),
                segment.acknowledgmentNumber(), 0, TcpSegment.FLAG_RST, 0, null, 0, 0, nowNs);
        }
        else
        {
            send(ip.destination(), ip.source(), segment.destinationPort(), segment.sourcePort(), 0,
                segment.sequenceNumber() + sequenceLength(segment), TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK, 0,
                null, 0, 0, nowNs);
        }
    }

    /**
     * @return the sequence space a segment occupies: its data, plus one for SYN and one for FIN.
     */
    static int sequenceLength(final TcpSegment segment)
    {
        return segment.payloadLength() + (segment.isSyn() ? 1 : 0) + (segment.isFin() ? 1 : 0);
    }

    /**
     * @return option bytes a non-SYN segment carries with timestamps on or off and {@code sackBlocks} blocks.
     */
    static int optionSpace(final boolean timestamps, final int sackBlocks)
    {
        return (timestamps ? TIMESTAMPS_SPACE : 0) +
            (sackBlocks > 0 ? SACK_SPACE_BASE + sackBlocks * TcpOptions.SACK_BLOCK_LENGTH : 0);
    }

    private int writeOptions(final int start)
    {
        int position = start;
        if (synMss > 0)
        {
            position = TcpOptions.writeMss(frame, position, synMss);
            if (synSackPermitted && timestamps)
            {
                position = TcpOptions.writeSackPermitted(frame, position);
                position = TcpOptions.writeTimestamps(frame, position, timestampValue, timestampEcho);
            }
            else if (timestamps || synSackPermitted)
            {
                position = TcpOptions.writeNop(frame, position);
                position = TcpOptions.writeNop(frame, position);
                position = timestamps ?
                    TcpOptions.writeTimestamps(frame, position, timestampValue, timestampEcho) :
                    TcpOptions.writeSackPermitted(frame, position);
            }
            if (synWindowShift >= 0)
            {
                position = TcpOptions.writeNop(frame, position);
                position = TcpOptions.writeWindowScale(frame, position, synWindowShift);
            }
        }
        else
        {
            if (timestamps)
            {
                position = TcpOptions.writeNop(frame, position);
                position = TcpOptions.writeNop(frame, position);
                position = TcpOptions.writeTimestamps(frame, position, timestampValue, timestampEcho);
            }
            if (sackBlockCount > 0)
            {
                position = TcpOptions.writeNop(frame, position);
                position = TcpOptions.writeNop(frame, position);
                position = TcpOptions.writeSackHeader(frame, position, sackBlockCount);
                for (int i = 0; i < sackBlockCount; i++)
                {
                    position = TcpOptions.writeSackBlock(frame, position, sackEdges[2 * i], sackEdges[2 * i + 1]);
                }
            }
        }
        clearOptions();
        return position;
    }

    private void clearOptions()
    {
        synMss = 0;
        synWindowShift = -1;
        synSackPermitted = false;
        timestamps = false;
        sackBlockCount = 0;
    }
}
