package io.ringstack.tcp;

import io.ringstack.wire.TcpOptions;

/**
 * What a handshake learnt of the peer, whichever way it arrived: from the SYN options of a SYN-ACK (active open),
 * from a {@link SynQueue} entry, or from a SYN cookie and the timestamp it echoes. One reusable instance on the
 * engine thread.
 */
final class Handshake
{
    /** RFC 9293 section 3.7.1: the MSS to assume when the peer sends none. */
    static final int DEFAULT_MSS = 536;
    /** {@link #rttSampleNs} when the handshake gave none. */
    static final long NO_RTT_SAMPLE = -1;

    int initialSendSequence;
    int initialReceiveSequence;
    int peerMss;
    /** The peer's window shift, or -1 when it sent no window scale option. */
    int peerWindowShift;
    boolean sackPermitted;
    boolean timestamps;
    /** Both SYNs agreed on ECN (RFC 3168 6.1.1). */
    boolean ecn;
    int timestampValue;
    int timestampOffset;
    /**
     * From our SYN-ACK to the ACK that completes a passive open, the connection's first RTT sample (RFC 6298
     * section 2.2), or {@link #NO_RTT_SAMPLE} when the SYN-ACK went more than once (Karn) or a cookie stood for it.
     */
    long rttSampleNs = NO_RTT_SAMPLE;

    /**
     * Take the peer's options from its SYN or SYN-ACK.
     */
    Handshake fromOptions(final TcpOptions options)
    {
        rttSampleNs = NO_RTT_SAMPLE;
        peerMss = options.hasMss() ? options.mss() : DEFAULT_MSS;
        peerWindowShift = options.hasWindowScale() ? options.windowScale() : -1;
        sackPermitted = options.isSackPermitted();
        timestamps = options.hasTimestamps();
        timestampValue = options.timestampValue();
        ecn = false;
        return this;
    }

    Handshake fromSynQueue(final SynQueue queue, final int entry, final long nowNs)
    {
        rttSampleNs = queue.synAckResent[entry] ? NO_RTT_SAMPLE : nowNs - queue.synAckSentNs[entry];
        initialSendSequence = queue.initialSendSequences[entry];
        initialReceiveSequence = queue.initialReceiveSequences[entry];
        peerMss = queue.peerMss[entry];
        peerWindowShift = queue.peerWindowShifts[entry];
        sackPermitted = queue.sackPermitted[entry];
        timestamps = queue.timestamps[entry];
        ecn = queue.ecn[entry];
        timestampValue = queue.timestampRecent[entry];
        timestampOffset = queue.timestampOffsets[entry];
        return this;
    }
}
