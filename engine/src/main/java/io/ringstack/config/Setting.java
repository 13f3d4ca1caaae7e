package io.ringstack.config;

import java.util.concurrent.TimeUnit;

/**
 * Every engine setting, declared once: its name (as recorded in a journal), its kind, its default, the values it
 * accepts, and whether it changes what the engine does with its inputs. {@link Settings} holds the values an engine
 * is built with; the journal's session header records every setting that {@link #changesBehaviour()}, so that a
 * replay builds an engine that behaves the same. A setting added here is journaled without further work.
 */
public enum Setting
{
    // ---------------------------------------------------------------------------------------------------- engine

    /** Most frames taken from each source (device, loopback) in one duty cycle. */
    FRAME_BUDGET("frameBudget", Kind.INT, 64, Bounds.POSITIVE),
    /**
     * Bytes of the loopback ring; a power of two whose largest message (an eighth of it) holds a whole frame of
     * {@link #LOOPBACK_MTU}. The default, 1 MiB, holds 15 frames of the 65535-byte MTU.
     */
    LOOPBACK_RING_CAPACITY("loopbackRingCapacity", Kind.INT, 1024 * 1024, Bounds.FRAME_RING),
    /**
     * The largest IP packet the engine sends in one frame over its loopback ring, as Linux's {@code lo} has an MTU of
     * 64 KiB: TCP over loopback announces an MSS of this less 40 bytes, and a UDP datagram up to it goes unfragmented.
     * 1500 makes loopback behave as an Ethernet link. It decides how TCP cuts its data, so it is journaled; a
     * journal recorded before it existed replays with 1500, the loopback of those engines.
     */
    LOOPBACK_MTU("loopbackMtu", Kind.INT, 0xFFFF, new Bounds(576, 0xFFFF), 1500),
    /**
     * Whether a UDP datagram the engine sends over its loopback ring carries a checksum. Off by default, as Linux's
     * {@code lo} never sums what never leaves the host: the datagram goes with a zero checksum field, which RFC 768
     * defines as "no checksum" (so a capture of it shows no error and the receiving arm has nothing to verify), as
     * the engine's TCP over loopback already does. It changes the frames sent, so it is journaled; a journal recorded
     * before it existed replays with 1, the checksummed loopback of those engines.
     */
    LOOPBACK_UDP_CHECKSUMS("loopbackUdpChecksums", Kind.FLAG, 0, Bounds.FLAG, 1),
    /**
     * Bytes of the many-to-one ring that carries application commands to the engine. A command is at most an eighth
     * of it: the default, 512 KiB, carries a UDP send of the largest datagram (65507 bytes of payload).
     */
    COMMAND_RING_CAPACITY("commandRingCapacity", Kind.INT, 512 * 1024, Bounds.POWER_OF_TWO),
    /**
     * Bytes of each UDP socket's receive ring. A datagram is at most an eighth of it: the default, 512 KiB, holds
     * eight of the largest (65507 bytes of payload); a smaller ring drops larger datagrams as ring full.
     */
    UDP_RECEIVE_RING_CAPACITY("udpReceiveRingCapacity", Kind.INT, 512 * 1024, Bounds.FRAME_RING),
    /** Most sockets open at once, of every kind: the number of caller slots. */
    MAX_SOCKETS("maxSockets", Kind.INT, 1024, Bounds.POSITIVE),
    /**
     * Size of each socket API's descriptor table, as a process's {@code RLIMIT_NOFILE}: descriptors 3 to
     * {@code maxDescriptors - 1} can be open at once, and one more {@code socket}, {@code socketpair} or
     * {@code accept} gives {@code -EMFILE} (an accept then leaves its connection queued). Application side only: the
     * engine never sees descriptors, so it is not journaled.
     */
    MAX_DESCRIPTORS("maxDescriptors", Kind.INT, 1024, new Bounds(4, 1 << 20), false),
    /**
     * How long an application call waits for the engine to answer, and the default socket timeout. Application
     * side only: a replay drives the recorded calls and their answers, so it is not journaled.
     */
    CALL_TIMEOUT_NS("callTimeoutNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(10), Bounds.POSITIVE, false),
    /**
     * How long a blocking call on an engine with its own thread busy-polls before it parks, as Linux's
     * {@code SO_BUSY_POLL} (there in microseconds, off by default, 50 suggested): while it waits it runs the engine's
     * duty cycles itself when no other thread runs one (at once for a command or doorbell waiting, every 16th poll
     * for the device and the timers), and a command it posts to a sleeping engine it carries out at once instead of
     * waking that thread; the first 100 polls spin, later ones yield the processor between polls, which lets two
     * polling threads that share one of two cores take turns. 50 µs covers a round trip over the loopback ring, so a
     * request and its reply need no wake-up (2 context switches per round trip instead of 6), but each waiting thread
     * then holds a core for up to that long, and on an oversubscribed host a poller that yields waits for the other
     * tasks' time slices: 0 (the default) keeps a blocking call to a brief spin and yield before it parks, and a
     * post wakes the engine's thread. Application side only: which thread runs a duty cycle does not change what the
     * cycle does, so it is not journaled.
     */
    BUSY_POLL_NS("busyPollNs", Kind.NANOS, 0, new Bounds(0, TimeUnit.SECONDS.toNanos(1)), false),
    /**
     * One IP protocol whose arm is removed from the dispatcher (1 ICMP, 6 TCP, 17 UDP), as the seed's
     * {@code #[cfg(target_arch)]} removed TCP and UDP on ARM64: its packets are then counted as
     * {@code IPV4_ARM_REMOVED}. -1 (default) keeps every arm.
     * Exists so that a test can prove the seed matrix shows such a gap as a FAIL with the counter that explains it.
     */
    REMOVED_PROTOCOL_ARM("removedProtocolArm", Kind.INT, -1, Bounds.oneOf(-1, 1, 6, 17)),
    /**
     * The largest IP packet of one TCP segment the engine hands its device to cut into MTU-sized segments (TCP
     * segmentation offload, {@link io.ringstack.phy.NetworkDevice#segmentOffloadBytes()}); 0 sends only segments
     * that fit the MTU. Unless set, an engine launched on a device takes what the device offers, and never more:
     * a TAP with offload on, and the VirtIO-net model on one, offer 65535, every other device 0. It decides how TCP
     * cuts its data into segments, so it is journaled, and a replay cuts them the same.
     */
    SEGMENT_OFFLOAD_BYTES("segmentOffloadBytes", Kind.INT, 0, new Bounds(0, 0xFFFF)),

    // ------------------------------------------------------------------------------------------------------ IPv4

    /**
     * Datagrams the engine reassembles at once (RFC 791 3.2, RFC 1122 3.3.2); a fragment of one more is dropped and
     * counted. Each slot keeps the datagram's fragment list and page table; the data lives in
     * {@link #IPV4_REASSEMBLY_BYTES}.
     */
    IPV4_REASSEMBLY_DATAGRAMS("ipv4ReassemblyDatagrams", Kind.INT, 64, new Bounds(1, 1 << 16)),
    /**
     * Bytes of fragment data held for reassembly, for all datagrams together, in 1 KiB pages allocated at engine
     * start: 4 MiB by default, Linux's {@code ipfrag_high_thresh}. Past it a datagram that needs another page is
     * dropped whole.
     */
    IPV4_REASSEMBLY_BYTES("ipv4ReassemblyBytes", Kind.INT, 4 << 20, new Bounds(64 << 10, 1 << 30)),
    /**
     * Fragments one datagram may arrive in, as FreeBSD's {@code maxfragsperpacket}: 64 by default, past the 45 that
     * carry the largest datagram over a 1500-byte MTU. A datagram cut finer is dropped whole.
     */
    IPV4_REASSEMBLY_FRAGMENTS("ipv4ReassemblyFragments", Kind.INT, 64, new Bounds(2, 8192)),
    /**
     * How long a datagram may take to arrive whole from its first fragment on: 30 s by default, Linux's
     * {@code ipfrag_time} (RFC 1122 3.3.2 suggests 60 to 120 s). Then its fragments are dropped and, when the first
     * one came, ICMP time exceeded (code 1) goes to the source.
     */
    IPV4_REASSEMBLY_TIMEOUT_NS("ipv4ReassemblyTimeoutNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(30), Bounds.POSITIVE),

    // ------------------------------------------------------------------------------------------------------- ARP

    /** Neighbours the ARP cache holds. */
    ARP_CACHE_CAPACITY("arpCacheCapacity", Kind.INT, 16, Bounds.POSITIVE),
    /** Frames held while their next hop is being resolved, for all next hops together. */
    ARP_PENDING_CAPACITY("arpPendingCapacity", Kind.INT, 64, Bounds.POSITIVE),
    /**
     * Frames held for one next hop being resolved (Linux {@code unres_qlen}); one more is dropped and counted. 48
     * holds the largest UDP datagram, 65,507 bytes, which leaves in 45 fragments at MTU 1500.
     */
    ARP_PENDING_PER_NEIGHBOUR("arpPendingPerNeighbour", Kind.INT, 48, Bounds.POSITIVE),
    /**
     * Addresses resolved at once (Linux's INCOMPLETE entries); a new resolution past it gives up on the oldest, so
     * replies to spoofed sources never take the slots of resolved neighbours.
     */
    ARP_INCOMPLETE_CAPACITY("arpIncompleteCapacity", Kind.INT, 8, Bounds.POSITIVE),
    /** Time between ARP requests for one address. */
    ARP_RETRY_INTERVAL_NS("arpRetryIntervalNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(1), Bounds.POSITIVE),
    /** How many requests go out for one address before its queued frames are dropped as unresolved. */
    ARP_MAX_ATTEMPTS("arpMaxAttempts", Kind.INT, 3, Bounds.POSITIVE),
    /**
     * How long a resolved neighbour stays in the cache unconfirmed; an entry in use gets unicast requests in the last
     * {@link #ARP_MAX_ATTEMPTS} retry intervals of it, and a reply starts it again.
     */
    ARP_ENTRY_LIFETIME_NS("arpEntryLifetimeNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(60), Bounds.POSITIVE),

    // ------------------------------------------------------------------------------------------------------ ICMP

    /**
     * ICMP messages a second the engine sends of the types in {@link #ICMP_RATE_MASK} (RFC 1812 4.3.2.8), Linux's
     * {@code icmp_msgs_per_sec}; 0 lifts the limit.
     */
    ICMP_MSGS_PER_SEC("icmpMsgsPerSec", Kind.INT, 1000, new Bounds(0, 1_000_000_000)),
    /** Most such messages sent back to back before the rate applies, Linux's {@code icmp_msgs_burst}. */
    ICMP_MSGS_BURST("icmpMsgsBurst", Kind.INT, 50, new Bounds(1, 1 << 20)),
    /**
     * The ICMP types the rate applies to, bit {@code 1 << type} each: Linux's {@code icmp_ratemask} default 0x1818,
     * destination unreachable, source quench, time exceeded and parameter problem. Add 1 (echo reply) to limit
     * answers to pings too.
     */
    ICMP_RATE_MASK("icmpRateMask", Kind.INT, 0x1818, new Bounds(0, 0xFFFF)),

    // ------------------------------------------------------------------------------------------------------- TCP

    /**
     * Most TCP connections alive at once (not counting TIME-WAIT, which has its own table); each has its slot, its
     * rings allocated the first time the slot is used.
     */
    TCP_MAX_CONNECTIONS("tcpMaxConnections", Kind.INT, 256, new Bounds(1, 1 << 24)),
    /**
     * Bytes of each connection's send ring, a power of two: the most a socket's {@code SO_SNDBUF} can be. The ring
     * keeps every byte until it is acknowledged, so it bounds the bytes in flight, and a hole that reordering or a
     * loss holds for a while stops the sender once the ring is full, whatever its windows. 4 MiB by default, as far
     * as Linux's send buffer grows ({@code tcp_wmem}): 1 MiB held a sender 20 ms away to 1 MiB per round trip, and
     * 256 KiB one behind 10 ms of reordering to 256 KiB per 10 ms. The ring's memory becomes resident only as the
     * connection fills it ({@link io.ringstack.ring.UncommittedMemory}).
     */
    TCP_SEND_BUFFER_CAPACITY("tcpSendBufferCapacity", Kind.INT, 4 * 1024 * 1024, Bounds.POWER_OF_TWO),
    /**
     * Bytes of each connection's receive ring, a power of two: the most a socket's {@code SO_RCVBUF}, and so the
     * receive window, can be. The window scale is chosen to cover it. The window is what a sender may have out per
     * round trip: 1 MiB by default, where 256 KiB held a download over a 20 ms round trip to about 13 MB/s; Linux's
     * receive buffer grows to 6 MiB ({@code tcp_rmem}).
     */
    TCP_RECEIVE_BUFFER_CAPACITY("tcpReceiveBufferCapacity", Kind.INT, 1024 * 1024, Bounds.POWER_OF_TWO),
    /** The MSS the engine announces, or 0 (default) to derive it from the route's MTU: MTU - 40. */
    TCP_MAX_SEGMENT_SIZE("tcpMaxSegmentSize", Kind.INT, 0, Bounds.ZERO_OR_MSS),
    /** How long a connection stays in TIME-WAIT: 2 MSL, 60 s by default as on Linux. */
    TCP_TIME_WAIT_NS("tcpTimeWaitNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(60), Bounds.POSITIVE),
    /** Most connections in TIME-WAIT at once; past it a closing connection skips TIME-WAIT and is counted. */
    TCP_TIME_WAIT_CAPACITY("tcpTimeWaitCapacity", Kind.INT, 4096, Bounds.NON_NEGATIVE),
    /**
     * First half of the secret of RFC 6528 initial sequence numbers, timestamp offsets and SYN cookies. Random unless
     * set; a replay sets the recorded one so that it produces the same sequence numbers.
     */
    TCP_ISN_KEY_0("tcpIsnKey0", Kind.LONG, 0, Bounds.ANY),
    /** Second half of the ISN secret; see {@link #TCP_ISN_KEY_0}. */
    TCP_ISN_KEY_1("tcpIsnKey1", Kind.LONG, 0, Bounds.ANY),
    /** Smallest retransmission timeout: 200 ms by default as on Linux (RFC 6298 suggests 1 s). */
    TCP_RTO_MIN_NS("tcpRtoMinNs", Kind.NANOS, TimeUnit.MILLISECONDS.toNanos(200), Bounds.POSITIVE),
    /** Largest retransmission timeout (RFC 6298 section 2.5). */
    TCP_RTO_MAX_NS("tcpRtoMaxNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(120), Bounds.POSITIVE),
    /** The retransmission timeout before any round trip was measured, 1 s (RFC 6298 section 2.1). */
    TCP_RTO_INITIAL_NS("tcpRtoInitialNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(1), Bounds.POSITIVE),
    /** Longest an acknowledgment is delayed (RFC 9293 section 3.8.6.3); 0 acknowledges every segment at once. */
    TCP_DELAYED_ACK_NS("tcpDelayedAckNs", Kind.NANOS, TimeUnit.MILLISECONDS.toNanos(40), Bounds.NON_NEGATIVE),
    /** Whether new sockets use Nagle's algorithm (RFC 9293 section 3.8.6.2.1) until they set {@code TCP_NODELAY}. */
    TCP_NAGLE("tcpNagle", Kind.FLAG, 1, Bounds.FLAG),
    /** Half-open connections the engine keeps for all its listeners; each listener keeps at most its backlog. */
    TCP_SYN_QUEUE_CAPACITY("tcpSynQueueCapacity", Kind.INT, 256, Bounds.POSITIVE),
    /** The largest backlog a listen may ask for, as Linux's {@code somaxconn}. */
    TCP_MAX_BACKLOG("tcpMaxBacklog", Kind.INT, 4096, Bounds.POSITIVE),
    /** Whether a listener whose half-open queue is full answers SYNs with SYN cookies rather than dropping them. */
    TCP_SYN_COOKIES("tcpSynCookies", Kind.FLAG, 1, Bounds.FLAG),
    /**
     * The congestion controller of every connection: 0 NewReno (RFC 5681, 6582), 1 CUBIC (RFC 9438), 2 BBR v1
     * (draft-cardwell-iccrg-bbr-congestion-control: paced, its window and rate from delivery rate samples, not
     * reduced by loss).
     */
    TCP_CONGESTION_CONTROL("tcpCongestionControl", Kind.CHOICE, 1, new Bounds(0, 2)),
    /**
     * Retransmission timeouts in a row after which a connection gives up with {@code ETIMEDOUT} (Linux
     * {@code tcp_retries2}).
     */
    TCP_MAX_RETRANSMISSIONS("tcpMaxRetransmissions", Kind.INT, 15, Bounds.POSITIVE),
    /** SYNs an active open sends before it gives up. */
    TCP_SYN_RETRIES("tcpSynRetries", Kind.INT, 6, Bounds.POSITIVE),
    /** SYN-ACK retransmissions of a half-open connection before it is dropped. */
    TCP_SYN_ACK_RETRIES("tcpSynAckRetries", Kind.INT, 5, Bounds.NON_NEGATIVE),
    /** Keepalive idle time of sockets that set {@code SO_KEEPALIVE} (RFC 1122 4.2.3.6). */
    TCP_KEEP_ALIVE_IDLE_NS("tcpKeepAliveIdleNs", Kind.NANOS, TimeUnit.HOURS.toNanos(2), Bounds.POSITIVE),
    /** Time between keepalive probes. */
    TCP_KEEP_ALIVE_INTERVAL_NS("tcpKeepAliveIntervalNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(75), Bounds.POSITIVE),
    /** Unanswered keepalive probes after which the connection is dropped. */
    TCP_KEEP_ALIVE_PROBES("tcpKeepAliveProbes", Kind.INT, 9, Bounds.POSITIVE),
    /** How long a connection the application has closed may wait in FIN-WAIT-2 for the peer's FIN. */
    TCP_FIN_WAIT_2_TIMEOUT_NS("tcpFinWait2TimeoutNs", Kind.NANOS, TimeUnit.SECONDS.toNanos(60), Bounds.POSITIVE),
    /** Most challenge ACKs (RFC 5961 section 7) the engine sends per second. */
    TCP_CHALLENGE_ACK_LIMIT("tcpChallengeAckLimit", Kind.INT, 1000, Bounds.POSITIVE),
    /**
     * Most separate out-of-order ranges a connection holds; also the size of its SACK scoreboard, RACK's lost set and
     * an undo episode's record of what it resent. 128: a range for every other full segment of 256 KiB, so that a
     * path that reorders or loses every other segment of that much still fits; a SACK block past them is ignored,
     * which only makes recovery less precise.
     */
    TCP_REASSEMBLY_RANGES("tcpReassemblyRanges", Kind.INT, 128, Bounds.POSITIVE),
    /** Whether the engine offers window scaling (RFC 7323 section 2). */
    TCP_WINDOW_SCALING("tcpWindowScaling", Kind.FLAG, 1, Bounds.FLAG),
    /** Whether the engine offers timestamps and PAWS (RFC 7323 sections 3-5). */
    TCP_TIMESTAMPS("tcpTimestamps", Kind.FLAG, 1, Bounds.FLAG),
    /** Whether the engine offers selective acknowledgments (RFC 2018). */
    TCP_SACK("tcpSack", Kind.FLAG, 1, Bounds.FLAG),
    /**
     * Explicit Congestion Notification (RFC 3168), as Linux's {@code net.ipv4.tcp_ecn}: 0 off, 1 asked for in the
     * SYNs of active opens and accepted when a peer asks, 2 (the default, as Linux's) accepted when a peer asks but
     * never asked for. It changes the segments sent, so it is journaled; a journal recorded before it existed replays
     * with 0, the engines that refused ECN.
     */
    TCP_ECN("tcpEcn", Kind.INT, 2, new Bounds(0, 2), 0);

    /**
     * What a setting's value is; every value is held as a {@code long}.
     */
    public enum Kind
    {
        /** A 32-bit integer. */
        INT,
        /** A 64-bit integer. */
        LONG,
        /** A duration in nanoseconds. */
        NANOS,
        /** 1 on, 0 off. */
        FLAG,
        /** The ordinal of one of a fixed list of choices (a Java enum of the layer that uses it). */
        CHOICE
    }

    private static final Setting[] VALUES = values();

    private final String settingName;
    private final Kind kind;
    private final long defaultValue;
    private final Bounds bounds;
    private final boolean changesBehaviour;
    private final long valueWhenUnrecorded;

    Setting(final String settingName, final Kind kind, final long defaultValue, final Bounds bounds)
    {
        this(settingName, kind, defaultValue, bounds, true, defaultValue);
    }

    Setting(
        final String settingName,
        final Kind kind,
        final long defaultValue,
        final Bounds bounds,
        final boolean changesBehaviour)
    {
        this(settingName, kind, defaultValue, bounds, changesBehaviour, defaultValue);
    }

    /**
     * A setting that changes behaviour, added after journals were recorded without it.
     *
     * @param valueWhenUnrecorded the value that reproduces the engines that had no such setting.
     */
    Setting(
        final String settingName,
        final Kind kind,
        final long defaultValue,
        final Bounds bounds,
        final long valueWhenUnrecorded)
    {
        this(settingName, kind, defaultValue, bounds, true, valueWhenUnrecorded);
    }

    Setting(
        final String settingName,
        final Kind kind,
        final long defaultValue,
        final Bounds bounds,
        final boolean changesBehaviour,
        final long valueWhenUnrecorded)
    {
        this.settingName = settingName;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.bounds = bounds;
        this.changesBehaviour = changesBehaviour;
        this.valueWhenUnrecorded = valueWhenUnrecorded;
    }

    /**
     * @return the name recorded in a journal and shown to users, e.g. {@code tcpNagle}.
     */
    public String settingName()
    {
        return settingName;
    }

    public Kind kind()
    {
        return kind;
    }

    public long defaultValue()
    {
        return defaultValue;
    }

    /**
     * @return the value a replay gives this setting when the journal did not record it: the behaviour of the
     * engines that recorded journals before the setting existed, which is its default unless it said otherwise.
     */
    public long valueWhenUnrecorded()
    {
        return valueWhenUnrecorded;
    }

    /**
     * @return whether an engine built with another value may do something else with the same inputs: such a
     * setting is journaled.
     */
    public boolean changesBehaviour()
    {
        return changesBehaviour;
    }

    /**
     * @return {@code null} when {@code value} is acceptable, else why not, naming this setting.
     */
    public String check(final long value)
    {
        return bounds.accepts(value) ? null : settingName + " must be " + bounds.describe() + ", not " + value;
    }

    /**
     * @return the setting named {@code name}, or {@code null} when this build does not know it.
     */
    public static Setting byName(final String name)
    {
        for (final Setting setting : VALUES)
        {
            if (setting.settingName.equals(name))
            {
                return setting;
            }
        }
        return null;
    }
}
