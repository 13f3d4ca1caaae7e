package io.ringstack.iface;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The engine's counters: frames in and out, per protocol, per ring, and one per {@link DropReason}. Only the
 * engine thread writes them; any thread or process may read them. What the receive path counts for every frame (the
 * {@link Tally}s and the RX drop reasons) is tallied in plain fields and published once per duty cycle by
 * {@link #publish()}, so that a frame costs no stores to the shared counters; the rest are stored as they happen
 * ({@code incrementRelease}, single writer). At the end of each cycle every counter is exact.
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

    public final Tally rxFrames;
    public final Tally rxDelivered;
    public final AtomicCounter txRequests;
    public final AtomicCounter txFrames;
    public final Tally rxArp;
    public final Tally rxIpv4;
    public final Tally rxIcmp;
    public final Tally rxUdp;
    public final Tally rxTcp;
    /** IPv4 fragments received, whatever became of them. */
    public final Tally rxIpv4Fragments;
    /** IPv4 datagrams reassembled from their fragments (RFC 791 3.2). */
    public final Tally ipv4Reassembled;
    /** Fragments held for reassembly now: neither delivered nor dropped until their datagram's fate is known. */
    public final Tally ipv4FragmentsHeld;
    public final AtomicCounter txArp;
    public final AtomicCounter txIcmp;
    public final AtomicCounter txUdp;
    public final AtomicCounter txTcp;
    public final AtomicCounter loopbackFrames;
    public final Tally deviceRxFrames;
    public final AtomicCounter deviceTxFrames;
    /** Frames of a TCP segment larger than the MTU the device took to cut (segmentation offload). */
    public final AtomicCounter deviceTxSegmentOffload;
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
    public final AtomicCounter tcpIcmpConnectFailures;
    public final AtomicCounter tcpPathMtuReductions;
    public final AtomicCounter tcpPathMtuBlackHoles;
    public final AtomicCounter tcpRackLosses;
    public final AtomicCounter tcpDsacksReceived;
    public final AtomicCounter tcpUndo;
    /** TCP segments refused by a full ARP queue ({@link TxResult#ARP_QUEUE_FULL}), taken as lost on the wire. */
    public final AtomicCounter tcpArpQueueFull;
    /** Connections whose SYNs agreed on Explicit Congestion Notification (RFC 3168 6.1.1). */
    public final AtomicCounter tcpEcnConnections;
    /** Segments with data of an ECN connection that arrived marked CE (RFC 3168 6.1.3). */
    public final AtomicCounter tcpEcnCeReceived;
    /** Congestion window reductions an ACK with ECE caused (RFC 3168 6.1.2). */
    public final AtomicCounter tcpEcnReductions;

    private final AtomicCounter[] totals;
    private final AtomicCounter[] drops = new AtomicCounter[DropReason.count()];
    /** The tallies of the {@link DropReason.Direction#RX} reasons by ordinal; {@code null} for TX reasons. */
    private final Tally[] rxDrops = new Tally[DropReason.count()];
    /** One bit per ordinal of {@link #rxDrops}: the tallies counted since the last {@link #publish()}. */
    private final long[] rxDropsCounted = new long[(DropReason.count() + Long.SIZE - 1) / Long.SIZE];
    /** The tallies every received frame may move, in the order {@link #publish()} stores them: frames last. */
    private final Tally[] frameTallies;
    /** Whether {@link #settleHeld} moved tallies since the last {@link #publish()}, with no frame counted. */
    private boolean heldSettled;
    private final String prefix;

    /**
     * Allocate every counter, each label prefixed with {@code engineName}.
     */
    public EngineCounters(final CountersManager manager, final String engineName)
    {
        prefix = engineName + ": ";
        rxFrames = tally(manager, "rx_frames");
        rxDelivered = tally(manager, "rx_delivered");
        txRequests = total(manager, "tx_requests");
        txFrames = total(manager, "tx_frames");
        rxArp = tally(manager, "rx_arp");
        rxIpv4 = tally(manager, "rx_ipv4");
        rxIcmp = tally(manager, "rx_icmp");
        rxUdp = tally(manager, "rx_udp");
        rxTcp = tally(manager, "rx_tcp");
        rxIpv4Fragments = tally(manager, "rx_ipv4_fragments");
        ipv4Reassembled = tally(manager, "ipv4_reassembled");
        ipv4FragmentsHeld = tally(manager, "ipv4_fragments_held");
        txArp = total(manager, "tx_arp");
        txIcmp = total(manager, "tx_icmp");
        txUdp = total(manager, "tx_udp");
        txTcp = total(manager, "tx_tcp");
        loopbackFrames = total(manager, "ring_loopback_frames");
        deviceRxFrames = tally(manager, "device_rx_frames");
        deviceTxFrames = total(manager, "device_tx_frames");
        deviceTxSegmentOffload = total(manager, "device_tx_segment_offload");
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
        tcpIcmpConnectFailures = total(manager, "tcp_icmp_connect_failures");
        tcpPathMtuReductions = total(manager, "tcp_path_mtu_reductions");
        tcpPathMtuBlackHoles = total(manager, "tcp_path_mtu_black_holes");
        tcpRackLosses = total(manager, "tcp_rack_losses");
        tcpDsacksReceived = total(manager, "tcp_dsacks_received");
        tcpUndo = total(manager, "tcp_undo");
        tcpArpQueueFull = total(manager, "tcp_arp_queue_full");
        tcpEcnConnections = total(manager, "tcp_ecn_connections");
        tcpEcnCeReceived = total(manager, "tcp_ecn_ce_received");
        tcpEcnReductions = total(manager, "tcp_ecn_window_reductions");
        totals = new AtomicCounter[]{
            rxFrames.counter(), rxDelivered.counter(), txRequests, txFrames, rxArp.counter(), rxIpv4.counter(),
            rxIcmp.counter(), rxUdp.counter(), rxTcp.counter(), rxIpv4Fragments.counter(),
            ipv4Reassembled.counter(), ipv4FragmentsHeld.counter(), txArp, txIcmp, txUdp, txTcp, loopbackFrames,
            deviceRxFrames.counter(), deviceTxFrames, deviceTxSegmentOffload, commands, arpRequestsSent, pingRepliesMatched,
            tcpActiveOpens, tcpPassiveOpens, tcpResetsSent, tcpResetsReceived, tcpRetransmittedSegments,
            tcpRetransmissionTimeouts, tcpFastRetransmits, tcpOutOfOrderSegments, tcpSynCookiesSent,
            tcpSynCookiesAccepted, tcpSynAckTimeouts, tcpConnectionTimeouts, tcpTimeWaitOverflows, tcpChallengeAcks,
            tcpChallengeAcksSuppressed, tcpWindowProbes, tcpKeepAliveProbes, tcpLossProbes,
            tcpLostRetransmissions, tcpIcmpConnectFailures, tcpPathMtuReductions,
            tcpPathMtuBlackHoles, tcpRackLosses, tcpDsacksReceived, tcpUndo, tcpArpQueueFull,
            tcpEcnConnections, tcpEcnCeReceived, tcpEcnReductions };
        for (final DropReason reason : DropReason.values())
        {
            drops[reason.ordinal()] = manager.newCounter(prefix + reason.label(), TYPE_DROP);
            if (reason.direction() == DropReason.Direction.RX)
            {
                rxDrops[reason.ordinal()] = new Tally(drops[reason.ordinal()]);
            }
        }
        frameTallies = new Tally[]{ rxIpv4Fragments, ipv4Reassembled, rxArp, rxIpv4, rxIcmp, rxUdp, rxTcp,
            ipv4FragmentsHeld, rxDelivered, deviceRxFrames, rxFrames };
    }

    private AtomicCounter total(final CountersManager manager, final String name)
    {
        return manager.newCounter(prefix + name, TYPE_TOTAL);
    }

    private Tally tally(final CountersManager manager, final String name)
    {
        return new Tally(total(manager, name));
    }

    /**
     * Store every tally that changed in its counter, drops first and {@code rx_frames} last, so that a reader who
     * sees a frame in {@code rx_frames} also sees its verdict. The engine calls this at the end of each duty cycle,
     * and whoever drives the receive path without a cycle (a test, a benchmark) calls it before reading. Of the drop
     * reasons only those counted since the last publication are looked at, so a cycle pays for the reasons it saw,
     * not for all of them. The frame tallies move only with a frame counted in {@code rx_frames}, but for held
     * fragments settled by {@link #settleHeld} (a reassembly timer's expiry), so a cycle that counted no frame and
     * settled none skips them. Engine thread only.
     */
    public void publish()
    {
        for (int word = 0; word < rxDropsCounted.length; word++)
        {
            long counted = rxDropsCounted[word];
            if (counted != 0)
            {
                rxDropsCounted[word] = 0;
                do
                {
                    rxDrops[word * Long.SIZE + Long.numberOfTrailingZeros(counted)].publish();
                    counted &= counted - 1;
                }
                while (counted != 0);
            }
        }
        if (rxFrames.changed() || heldSettled)
        {
            heldSettled = false;
            for (final Tally tally : frameTallies)
            {
                tally.publish();
            }
        }
    }

    /**
     * Count a received frame that will not be delivered under an {@link DropReason.Direction#RX} reason. The frame
     * must already be in {@link #rxFrames}.
     */
    public void dropRx(final DropReason reason)
    {
        addRxDrops(reason, 1);
    }

    private void addRxDrops(final DropReason reason, final int frames)
    {
        final int ordinal = reason.ordinal();
        rxDrops[ordinal].add(frames);
        rxDropsCounted[ordinal / Long.SIZE] |= 1L << ordinal;
    }

    /**
     * Count a received fragment held for reassembly, neither delivered nor dropped yet.
     */
    public void hold()
    {
        ipv4FragmentsHeld.increment();
    }

    /**
     * Give {@code fragments} held fragments their datagram's fate: delivered, or dropped under {@code reason}.
     *
     * @param reason {@code null} when the datagram was delivered.
     */
    public void settleHeld(final int fragments, final DropReason reason)
    {
        heldSettled = true;
        ipv4FragmentsHeld.add(-fragments);
        if (reason == null)
        {
            rxDelivered.add(fragments);
        }
        else
        {
            addRxDrops(reason, fragments);
        }
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
