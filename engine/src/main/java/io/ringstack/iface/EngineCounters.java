package io.ringstack.iface;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The engine's counters: frames in and out, per protocol, per ring, and one per {@link DropReason}. Only the
 * engine thread writes them ({@code incrementRelease}, single writer); any thread or process may read them.
 * <p>
 * Invariants, checked by {@link #rxBalanced()} and {@link #txBalanced(long)}:
 * <pre>
 *   rx_frames   = rx_delivered + Σ drop[reason]  over RX reasons + fragments held for reassembly
 *   tx_requests = tx_frames    + Σ drop[reason]  over TX reasons + frames still queued for ARP
 * </pre>
 */
public final class EngineCounters implements AutoCloseable
{
    /** Counter type id of the frame and protocol totals. */
    public static final int TYPE_TOTAL = 1001;
    /** Counter type id of a drop reason. */
    public static final int TYPE_DROP = 1002;

    public final AtomicCounter rxFrames;
    public final AtomicCounter rxDelivered;
    public final AtomicCounter txRequests;
    public final AtomicCounter txFrames;
    public final AtomicCounter rxArp;
    public final AtomicCounter rxIpv4;
    public final AtomicCounter rxIcmp;
    public final AtomicCounter rxUdp;
    public final AtomicCounter rxTcp;
    /** IPv4 fragments received, whatever became of them. */
    public final AtomicCounter rxIpv4Fragments;
    /** IPv4 datagrams reassembled from their fragments (RFC 791 3.2). */
    public final AtomicCounter ipv4Reassembled;
    /** Fragments held for reassembly now: neither delivered nor dropped until their datagram's fate is known. */
    public final AtomicCounter ipv4FragmentsHeld;
    public final AtomicCounter txArp;
    public final AtomicCounter txIcmp;
    public final AtomicCounter txUdp;
    public final AtomicCounter txTcp;
    public final AtomicCounter loopbackFrames;
    public final AtomicCounter deviceRxFrames;
    public final AtomicCounter deviceTxFrames;
    public final AtomicCounter commands;
    public final AtomicCounter arpRequestsSent;
    public final AtomicCounter pingRepliesMatched;
    public final AtomicCounter tcpActiveOpens;
    public final AtomicCounter tcpPassiveOpens;
    public final AtomicCounter tcpResetsSent;
    public final AtomicCounter tcpResetsReceived;
    public final AtomicCounter tcpRetransmittedSegments;
    public final AtomicCounter tcpRetransmissionTimeouts;
    public final AtomicCounter tcpFastRetransmits;
    public final AtomicCounter tcpOutOfOrderSegments;
    public final AtomicCounter tcpSynCookiesSent;
    public final AtomicCounter tcpSynCookiesAccepted;
    public final AtomicCounter tcpSynAckTimeouts;
    public final AtomicCounter tcpConnectionTimeouts;
    public final AtomicCounter tcpTimeWaitOverflows;
    public final AtomicCounter tcpChallengeAcks;
    public final AtomicCounter tcpChallengeAcksSuppressed;
    public final AtomicCounter tcpWindowProbes;
    public final AtomicCounter tcpKeepAliveProbes;
    public final AtomicCounter tcpLossProbes;
    public final AtomicCounter tcpLostRetransmissions;

    private final AtomicCounter[] totals;
    private final AtomicCounter[] drops = new AtomicCounter[DropReason.count()];
    private final String prefix;

    /**
     * Allocate every counter, each label prefixed with {@code engineName}.
     */
    public EngineCounters(final CountersManager manager, final String engineName)
    {
        prefix = engineName + ": ";
        rxFrames = total(manager, "rx_frames");
        rxDelivered = total(manager, "rx_delivered");
        txRequests = total(manager, "tx_requests");
        txFrames = total(manager, "tx_frames");
        rxArp = total(manager, "rx_arp");
        rxIpv4 = total(manager, "rx_ipv4");
        rxIcmp = total(manager, "rx_icmp");
        rxUdp = total(manager, "rx_udp");
        rxTcp = total(manager, "rx_tcp");
        rxIpv4Fragments = total(manager, "rx_ipv4_fragments");
        ipv4Reassembled = total(manager, "ipv4_reassembled");
        ipv4FragmentsHeld = total(manager, "ipv4_fragments_held");
        txArp = total(manager, "tx_arp");
        txIcmp = total(manager, "tx_icmp");
        txUdp = total(manager, "tx_udp");
        txTcp = total(manager, "tx_tcp");
        loopbackFrames = total(manager, "ring_loopback_frames");
        deviceRxFrames = total(manager, "device_rx_frames");
        deviceTxFrames = total(manager, "device_tx_frames");
        commands = total(manager, "ring_command_messages");
        arpRequestsSent = total(manager, "arp_requests_sent");
        pingRepliesMatched = total(manager, "icmp_ping_replies");
        tcpActiveOpens = total(manager, "tcp_active_opens");
        tcpPassiveOpens = total(manager, "tcp_passive_opens");
        tcpResetsSent = total(manager, "tcp_resets_sent");
        tcpResetsReceived = total(manager, "tcp_resets_received");
        tcpRetransmittedSegments = total(manager, "tcp_retransmitted_segments");
        tcpRetransmissionTimeouts = total(manager, "tcp_retransmission_timeouts");
        tcpFastRetransmits = total(manager, "tcp_fast_retransmits");
        tcpOutOfOrderSegments = total(manager, "tcp_out_of_order_segments");
        tcpSynCookiesSent = total(manager, "tcp_syn_cookies_sent");
        tcpSynCookiesAccepted = total(manager, "tcp_syn_cookies_accepted");
        tcpSynAckTimeouts = total(manager, "tcp_syn_ack_timeouts");
        tcpConnectionTimeouts = total(manager, "tcp_connection_timeouts");
        tcpTimeWaitOverflows = total(manager, "tcp_time_wait_overflows");
        tcpChallengeAcks = total(manager, "tcp_challenge_acks");
        tcpChallengeAcksSuppressed = total(manager, "tcp_challenge_acks_suppressed");
        tcpWindowProbes = total(manager, "tcp_window_probes");
        tcpKeepAliveProbes = total(manager, "tcp_keepalive_probes");
        tcpLossProbes = total(manager, "tcp_loss_probes");
        tcpLostRetransmissions = total(manager, "tcp_lost_retransmissions");
        totals = new AtomicCounter[]{
            rxFrames, rxDelivered, txRequests, txFrames, rxArp, rxIpv4, rxIcmp, rxUdp, rxTcp, rxIpv4Fragments,
            ipv4Reassembled, ipv4FragmentsHeld, txArp, txIcmp, txUdp, txTcp, loopbackFrames, deviceRxFrames,
            deviceTxFrames, commands, arpRequestsSent, pingRepliesMatched,
            tcpActiveOpens, tcpPassiveOpens, tcpResetsSent, tcpResetsReceived, tcpRetransmittedSegments,
            tcpRetransmissionTimeouts, tcpFastRetransmits, tcpOutOfOrderSegments, tcpSynCookiesSent,
            tcpSynCookiesAccepted, tcpSynAckTimeouts, tcpConnectionTimeouts, tcpTimeWaitOverflows, tcpChallengeAcks,
            tcpChallengeAcksSuppressed, tcpWindowProbes, tcpKeepAliveProbes, tcpLossProbes,
            tcpLostRetransmissions };
        for (final DropReason reason : DropReason.values())
        {
            drops[reason.ordinal()] = manager.newCounter(prefix + reason.label(), TYPE_DROP);
        }
    }

    private AtomicCounter total(final CountersManager manager, final String name)
    {
        return manager.newCounter(prefix + name, TYPE_TOTAL);
    }

    /**
     * Count a received frame that will not be delivered. The frame must already be in {@link #rxFrames}.
     */
    public void dropRx(final DropReason reason)
    {
        drops[reason.ordinal()].incrementRelease();
    }

    /**
     * Count a received fragment held for reassembly, neither delivered nor dropped yet.
     */
    public void hold()
    {
        ipv4FragmentsHeld.incrementRelease();
    }

    /**
     * Give {@code fragments} held fragments their datagram's fate: delivered, or dropped under {@code reason}.
     *
     * @param reason {@code null} when the datagram was delivered.
     */
    public void settleHeld(final int fragments, final DropReason reason)
    {
        ipv4FragmentsHeld.getAndAddRelease(-fragments);
        (reason == null ? rxDelivered : drops[reason.ordinal()]).getAndAddRelease(fragments);
    }

    /**
     * Count a frame the engine meant to send and could not. The attempt must already be in {@link #txRequests}.
     */
    public void dropTx(final DropReason reason)
    {
        drops[reason.ordinal()].incrementRelease();
    }

    public long drops(final DropReason reason)
    {
        return drops[reason.ordinal()].get();
    }

    public long totalDrops(final DropReason.Direction direction)
    {
        long sum = 0;
        for (final DropReason reason : DropReason.values())
        {
            if (reason.direction() == direction)
            {
                sum += drops[reason.ordinal()].get();
            }
        }
        return sum;
    }

    public boolean rxBalanced()
    {
        return rxFrames.get() == rxDelivered.get() + totalDrops(DropReason.Direction.RX) + ipv4FragmentsHeld.get();
    }

    /**
     * @param queued frames accepted for sending that are still waiting, e.g. for ARP resolution.
     */
    public boolean txBalanced(final long queued)
    {
        return txRequests.get() == txFrames.get() + totalDrops(DropReason.Direction.TX) + queued;
    }

    /**
     * @return every non-zero counter, one {@code name=value} per line, for failure messages and the demo.
     */
    public String describeNonZero()
    {
        final StringBuilder text = new StringBuilder();
        for (final AtomicCounter counter : totals)
        {
            appendIfNonZero(text, counter);
        }
        for (final AtomicCounter counter : drops)
        {
            appendIfNonZero(text, counter);
        }
        return text.toString();
    }

    private void appendIfNonZero(final StringBuilder text, final AtomicCounter counter)
    {
        final long value = counter.get();
        if (value != 0)
        {
            text.append("  ").append(counter.label().substring(prefix.length())).append('=').append(value)
                .append('\n');
        }
    }

    public void close()
    {
        for (final AtomicCounter counter : totals)
        {
            counter.close();
        }
        for (final AtomicCounter counter : drops)
        {
            counter.close();
        }
    }
}
