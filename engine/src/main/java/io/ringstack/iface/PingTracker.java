package io.ringstack.iface;

import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Outstanding pings, one per caller slot: the echo request's identifier is the slot, its sequence number the low
 * 16 bits of the call's sequence. A matching echo reply answers the call with the round-trip time in nanoseconds,
 * measured with the engine's clock.
 */
public final class PingTracker
{
    /** Largest echo payload a ping may ask for: the MTU less the IPv4 and ICMP headers. */
    public static final int MAX_PAYLOAD_LENGTH = Ipv4Output.MAX_TRANSPORT_LENGTH - IcmpPacket.HEADER_LENGTH;

    private final Ipv4Output output;
    private final PingAnswers answers;
    private final int[] addresses;
    private final long[] callSequences;
    private final long[] sentNs;
    private final boolean[] outstanding;

    /**
     * @param capacity caller slots: one ping outstanding per slot.
     * @param answers where a matched reply's round trip goes.
     */
    public PingTracker(final Ipv4Output output, final int capacity, final PingAnswers answers)
    {
        this.output = output;
        this.answers = answers;
        addresses = new int[capacity];
        callSequences = new long[capacity];
        sentNs = new long[capacity];
        outstanding = new boolean[capacity];
    }

    /**
     * Send an echo request for the call {@code callSequence} in {@code slot}.
     *
     * @return {@link TxResult#SENT} when sent, else the {@link TxResult} failure (the call should be answered at
     * once).
     */
    public int send(final int slot, final long callSequence, final int address, final int payloadLength,
        final long nowNs)
    {
        final UnsafeBuffer frame = output.frame();
        final int data = IcmpPacket.writeEchoHeader(frame, Ipv4Output.TRANSPORT_OFFSET, IcmpPacket.TYPE_ECHO_REQUEST,
            slot, (int)callSequence & 0xFFFF);
        for (int i = 0; i < payloadLength; i++)
        {
            frame.putByte(data + i, (byte)i);
        }
        final int icmpLength = IcmpPacket.HEADER_LENGTH + payloadLength;
        IcmpPacket.writeChecksum(frame, Ipv4Output.TRANSPORT_OFFSET, icmpLength);
        addresses[slot] = address;
        callSequences[slot] = callSequence;
        sentNs[slot] = nowNs;
        outstanding[slot] = true;
        final int result = output.send(
            Ipv4Packet.PROTOCOL_ICMP, output.sourceFor(0, address), address, icmpLength, nowNs);
        if (result != TxResult.SENT)
        {
            outstanding[slot] = false;
        }
        return result;
    }

    /**
     * @return {@code true} when the reply answered an outstanding ping.
     */
    public boolean onEchoReply(final int source, final int identifier, final int sequence, final long nowNs)
    {
        if (identifier >= outstanding.length || !outstanding[identifier] || addresses[identifier] != source ||
            ((int)callSequences[identifier] & 0xFFFF) != sequence)
        {
            return false;
        }
        outstanding[identifier] = false;
        answers.answer(identifier, callSequences[identifier], nowNs - sentNs[identifier]);
        return true;
    }
}
