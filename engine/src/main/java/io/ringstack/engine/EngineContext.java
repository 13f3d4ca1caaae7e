package io.ringstack.engine;

import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.tcp.TcpCongestionAlgorithm;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.status.CountersManager;

/**
 * Everything an {@link Engine} is built from, with defaults. Set what differs, then hand it to the engine, which
 * calls {@link #conclude()} to check it.
 */
public final class EngineContext
{
    /** {@link #removedProtocolArm()} when every arm is present. */
    public static final int NO_PROTOCOL = -1;

    /**
     * Smallest ring that holds a whole frame: an Agrona ring's largest message is an eighth of its capacity, and a
     * 1514-byte frame with its header must fit.
     */
    public static final int MIN_FRAME_RING_CAPACITY = 16 * 1024;

    private String name = "engine";
    private InterfaceConfig interfaceConfig;
    private NetworkDevice device;
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private CountersManager countersManager;
    private int loopbackRingCapacity = 64 * 1024;
    private int commandRingCapacity = 256 * 1024;
    private int udpReceiveRingCapacity = 64 * 1024;
    private int maxSockets = 1024;
    private int arpCacheCapacity = 16;
    private int arpPendingCapacity = 16;
    private long arpRetryIntervalNs = TimeUnit.SECONDS.toNanos(1);
    private int arpMaxAttempts = 3;
    private long arpEntryLifetimeNs = TimeUnit.SECONDS.toNanos(60);
    private int frameBudget = 64;
    private long callTimeoutNs = TimeUnit.SECONDS.toNanos(10);
    private EngineTap tap = EngineTap.NONE;
    private int removedProtocolArm = NO_PROTOCOL;
    private int tcpMaxConnections = 256;
    private int tcpSendBufferCapacity = 256 * 1024;
    private int tcpReceiveBufferCapacity = 256 * 1024;
    private int tcpMaxSegmentSize = 0;
    private long tcpTimeWaitNs = TimeUnit.SECONDS.toNanos(60);
    private int tcpTimeWaitCapacity = 4096;
    private boolean tcpIsnKeySet;
    private long tcpIsnKey0;
    private long tcpIsnKey1;
    private long tcpRtoMinNs = TimeUnit.MILLISECONDS.toNanos(200);
    private long tcpRtoMaxNs = TimeUnit.SECONDS.toNanos(120);
    private long tcpRtoInitialNs = TimeUnit.SECONDS.toNanos(1);
    private long tcpDelayedAckNs = TimeUnit.MILLISECONDS.toNanos(40);
    private boolean tcpNagle = true;
    private int tcpSynQueueCapacity = 256;
    private int tcpMaxBacklog = 4096;
    private boolean tcpSynCookies = true;
    private TcpCongestionAlgorithm tcpCongestionControl = TcpCongestionAlgorithm.CUBIC;
    private int tcpMaxRetransmissions = 15;
    private int tcpSynRetries = 6;
    private int tcpSynAckRetries = 5;
    private long tcpKeepAliveIdleNs = TimeUnit.HOURS.toNanos(2);
    private long tcpKeepAliveIntervalNs = TimeUnit.SECONDS.toNanos(75);
    private int tcpKeepAliveProbes = 9;
    private long tcpFinWait2TimeoutNs = TimeUnit.SECONDS.toNanos(60);
    private int tcpChallengeAckLimit = 1000;
    private int tcpReassemblyRanges = 32;
    private boolean tcpWindowScaling = true;
    private boolean tcpTimestamps = true;
    private boolean tcpSack = true;

    /**
     * Check the configuration.
     *
     * @throws IllegalStateException naming the first setting that is missing or out of range.
     */
    public EngineContext conclude()
    {
        require(interfaceConfig != null, "interfaceConfig is required");
        require(countersManager != null, "countersManager is required");
        require(isPowerOfTwo(loopbackRingCapacity) && loopbackRingCapacity >= MIN_FRAME_RING_CAPACITY,
            "loopbackRingCapacity must be a power of two of at least " + MIN_FRAME_RING_CAPACITY);
        require(isPowerOfTwo(commandRingCapacity), "commandRingCapacity must be a power of two");
        require(isPowerOfTwo(udpReceiveRingCapacity) && udpReceiveRingCapacity >= MIN_FRAME_RING_CAPACITY,
            "udpReceiveRingCapacity must be a power of two of at least " + MIN_FRAME_RING_CAPACITY);
        require(maxSockets > 0, "maxSockets must be positive");
        require(arpCacheCapacity > 0 && arpPendingCapacity > 0, "ARP capacities must be positive");
        require(arpMaxAttempts > 0 && arpRetryIntervalNs > 0, "ARP retries need a positive count and interval");
        require(frameBudget > 0, "frameBudget must be positive");
        require(callTimeoutNs > 0, "callTimeoutNs must be positive");
        require(tap != null, "tap must not be null; EngineTap.NONE records nothing");
        require(tcpMaxConnections > 0 && tcpMaxConnections <= 1 << 24, "tcpMaxConnections must be in 1..2^24");
        require(isPowerOfTwo(tcpSendBufferCapacity) && isPowerOfTwo(tcpReceiveBufferCapacity),
            "TCP buffer capacities must be powers of two");
        require(tcpMaxSegmentSize == 0 || (tcpMaxSegmentSize >= 88 && tcpMaxSegmentSize <= 1460),
            "tcpMaxSegmentSize must be 0 (from the MTU) or in 88..1460");
        require(tcpTimeWaitNs > 0 && tcpTimeWaitCapacity >= 0, "TIME-WAIT needs a positive length");
        require(tcpRtoMinNs > 0 && tcpRtoMinNs <= tcpRtoInitialNs && tcpRtoInitialNs <= tcpRtoMaxNs,
            "TCP RTOs must satisfy 0 < min <= initial <= max");
        require(tcpDelayedAckNs >= 0, "tcpDelayedAckNs must not be negative (0 turns delayed ACK off)");
        require(tcpSynQueueCapacity > 0 && tcpMaxBacklog > 0, "TCP queues must be positive");
        require(tcpCongestionControl != null, "tcpCongestionControl is required");
        require(tcpMaxRetransmissions > 0 && tcpSynRetries > 0 && tcpSynAckRetries >= 0,
            "TCP retry counts must be positive");
        require(tcpKeepAliveIdleNs > 0 && tcpKeepAliveIntervalNs > 0 && tcpKeepAliveProbes > 0,
            "keepalive settings must be positive");
        require(tcpFinWait2TimeoutNs > 0 && tcpChallengeAckLimit > 0 && tcpReassemblyRanges > 0,
            "TCP limits must be positive");
        if (!tcpIsnKeySet)
        {
            final SecureRandom random = new SecureRandom();
            tcpIsnKey(random.nextLong(), random.nextLong());
        }
        return this;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException(message);
        }
    }

    private static boolean isPowerOfTwo(final int value)
    {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /**
     * The engine's name: prefix of its counter labels and its agent's role name.
     */
    public EngineContext name(final String name)
    {
        this.name = name;
        return this;
    }

    public String name()
    {
        return name;
    }

    public EngineContext interfaceConfig(final InterfaceConfig interfaceConfig)
    {
        this.interfaceConfig = interfaceConfig;
        return this;
    }

    public InterfaceConfig interfaceConfig()
    {
        return interfaceConfig;
    }

    /**
     * The network device, or {@code null} for an engine that only has loopback.
     */
    public EngineContext device(final NetworkDevice device)
    {
        this.device = device;
        return this;
    }

    public NetworkDevice device()
    {
        return device;
    }

    /**
     * The clock read once per duty cycle. A {@link org.agrona.concurrent.CachedNanoClock} advanced by hand makes
     * a virtual clock for deterministic tests and replay.
     */
    public EngineContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * Where the engine allocates its counters: in memory, or in a counters file that other processes read.
     */
    public EngineContext countersManager(final CountersManager countersManager)
    {
        this.countersManager = countersManager;
        return this;
    }

    public CountersManager countersManager()
    {
        return countersManager;
    }

    public EngineContext loopbackRingCapacity(final int bytes)
    {
        loopbackRingCapacity = bytes;
        return this;
    }

    public int loopbackRingCapacity()
    {
        return loopbackRingCapacity;
    }

    public EngineContext commandRingCapacity(final int bytes)
    {
        commandRingCapacity = bytes;
        return this;
    }

    public int commandRingCapacity()
    {
        return commandRingCapacity;
    }

    public EngineContext udpReceiveRingCapacity(final int bytes)
    {
        udpReceiveRingCapacity = bytes;
        return this;
    }

    public int udpReceiveRingCapacity()
    {
        return udpReceiveRingCapacity;
    }

    public EngineContext maxSockets(final int maxSockets)
    {
        this.maxSockets = maxSockets;
        return this;
    }

    public int maxSockets()
    {
        return maxSockets;
    }

    public EngineContext arpCacheCapacity(final int entries)
    {
        arpCacheCapacity = entries;
        return this;
    }

    public int arpCacheCapacity()
    {
        return arpCacheCapacity;
    }

    public EngineContext arpPendingCapacity(final int frames)
    {
        arpPendingCapacity = frames;
        return this;
    }

    public int arpPendingCapacity()
    {
        return arpPendingCapacity;
    }

    public EngineContext arpRetryIntervalNs(final long intervalNs)
    {
        arpRetryIntervalNs = intervalNs;
        return this;
    }

    public long arpRetryIntervalNs()
    {
        return arpRetryIntervalNs;
    }

    /**
     * How many requests go out for one address before its queued frames are dropped as unresolved.
     */
    public EngineContext arpMaxAttempts(final int attempts)
    {
        arpMaxAttempts = attempts;
        return this;
    }

    public int arpMaxAttempts()
    {
        return arpMaxAttempts;
    }

    public EngineContext arpEntryLifetimeNs(final long lifetimeNs)
    {
        arpEntryLifetimeNs = lifetimeNs;
        return this;
    }

    public long arpEntryLifetimeNs()
    {
        return arpEntryLifetimeNs;
    }

    /**
     * Most frames taken from each source (device, loopback) in one duty cycle.
     */
    public EngineContext frameBudget(final int frames)
    {
        frameBudget = frames;
        return this;
    }

    public int frameBudget()
    {
        return frameBudget;
    }

    /**
     * How long an application call waits for the engine to answer, and the default socket timeout.
     */
    public EngineContext callTimeoutNs(final long timeoutNs)
    {
        callTimeoutNs = timeoutNs;
        return this;
    }

    public long callTimeoutNs()
    {
        return callTimeoutNs;
    }

    /**
     * Where the engine reports its inputs and outputs, e.g. the journal's tap ring.
     */
    public EngineContext tap(final EngineTap tap)
    {
        this.tap = tap;
        return this;
    }

    public EngineTap tap()
    {
        return tap;
    }

    /**
     * Remove one IP protocol's arm from the dispatcher, as the seed's {@code #[cfg(target_arch = "x86_64")]} removed
     * TCP and UDP on ARM64: its packets are then counted as {@link DropReason#IPV4_ARM_REMOVED}. Exists so that a
     * test can prove the seed matrix shows such a gap as a FAIL with the counter that explains it.
     *
     * @param protocol an IP protocol number, e.g. 17 for UDP, or {@link #NO_PROTOCOL}.
     */
    public EngineContext removeProtocolArm(final int protocol)
    {
        removedProtocolArm = protocol;
        return this;
    }

    public int removedProtocolArm()
    {
        return removedProtocolArm;
    }

    /**
     * Most TCP connections alive at once (not counting TIME-WAIT, which has its own table); each has its slot,
     * its rings allocated the first time the slot is used.
     */
    public EngineContext tcpMaxConnections(final int connections)
    {
        tcpMaxConnections = connections;
        return this;
    }

    public int tcpMaxConnections()
    {
        return tcpMaxConnections;
    }

    /**
     * Bytes of each connection's send ring, a power of two: the most a socket's {@code SO_SNDBUF} can be.
     */
    public EngineContext tcpSendBufferCapacity(final int bytes)
    {
        tcpSendBufferCapacity = bytes;
        return this;
    }

    public int tcpSendBufferCapacity()
    {
        return tcpSendBufferCapacity;
    }

    /**
     * Bytes of each connection's receive ring, a power of two: the most a socket's {@code SO_RCVBUF}, and so the
     * receive window, can be. The window scale is chosen to cover it.
     */
    public EngineContext tcpReceiveBufferCapacity(final int bytes)
    {
        tcpReceiveBufferCapacity = bytes;
        return this;
    }

    public int tcpReceiveBufferCapacity()
    {
        return tcpReceiveBufferCapacity;
    }

    /**
     * The MSS the engine announces, or 0 (default) to derive it from the route's MTU: MTU - 40.
     */
    public EngineContext tcpMaxSegmentSize(final int bytes)
    {
        tcpMaxSegmentSize = bytes;
        return this;
    }

    public int tcpMaxSegmentSize()
    {
        return tcpMaxSegmentSize;
    }

    /**
     * How long a connection stays in TIME-WAIT: 2 MSL, 60 s by default as on Linux.
     */
    public EngineContext tcpTimeWaitNs(final long timeWaitNs)
    {
        tcpTimeWaitNs = timeWaitNs;
        return this;
    }

    public long tcpTimeWaitNs()
    {
        return tcpTimeWaitNs;
    }

    /**
     * Most connections in TIME-WAIT at once; past it a closing connection skips TIME-WAIT and is counted.
     */
    public EngineContext tcpTimeWaitCapacity(final int entries)
    {
        tcpTimeWaitCapacity = entries;
        return this;
    }

    public int tcpTimeWaitCapacity()
    {
        return tcpTimeWaitCapacity;
    }

    /**
     * The secret of RFC 6528 initial sequence numbers and of SYN cookies. Random unless set; a replay sets the
     * recorded one so that it produces the same sequence numbers.
     */
    public EngineContext tcpIsnKey(final long key0, final long key1)
    {
        tcpIsnKey0 = key0;
        tcpIsnKey1 = key1;
        tcpIsnKeySet = true;
        return this;
    }

    public long tcpIsnKey0()
    {
        return tcpIsnKey0;
    }

    public long tcpIsnKey1()
    {
        return tcpIsnKey1;
    }

    /**
     * Smallest retransmission timeout: 200 ms by default as on Linux (RFC 6298 suggests 1 s).
     */
    public EngineContext tcpRtoMinNs(final long timeoutNs)
    {
        tcpRtoMinNs = timeoutNs;
        return this;
    }

    public long tcpRtoMinNs()
    {
        return tcpRtoMinNs;
    }

    public EngineContext tcpRtoMaxNs(final long timeoutNs)
    {
        tcpRtoMaxNs = timeoutNs;
        return this;
    }

    public long tcpRtoMaxNs()
    {
        return tcpRtoMaxNs;
    }

    /**
     * The retransmission timeout before any round trip was measured, 1 s (RFC 6298 section 2.1).
     */
    public EngineContext tcpRtoInitialNs(final long timeoutNs)
    {
        tcpRtoInitialNs = timeoutNs;
        return this;
    }

    public long tcpRtoInitialNs()
    {
        return tcpRtoInitialNs;
    }

    /**
     * Longest an acknowledgment is delayed (RFC 9293 section 3.8.6.3); 0 acknowledges every segment at once.
     */
    public EngineContext tcpDelayedAckNs(final long delayNs)
    {
        tcpDelayedAckNs = delayNs;
        return this;
    }

    public long tcpDelayedAckNs()
    {
        return tcpDelayedAckNs;
    }

    /**
     * Whether new sockets use Nagle's algorithm (RFC 9293 section 3.8.6.2.1) until they set {@code TCP_NODELAY}.
     */
    public EngineContext tcpNagle(final boolean nagle)
    {
        tcpNagle = nagle;
        return this;
    }

    public boolean tcpNagle()
    {
        return tcpNagle;
    }

    /**
     * Half-open connections the engine keeps for all its listeners; each listener keeps at most its backlog.
     */
    public EngineContext tcpSynQueueCapacity(final int entries)
    {
        tcpSynQueueCapacity = entries;
        return this;
    }

    public int tcpSynQueueCapacity()
    {
        return tcpSynQueueCapacity;
    }

    /**
     * The largest backlog a listen may ask for, as Linux's {@code somaxconn}.
     */
    public EngineContext tcpMaxBacklog(final int backlog)
    {
        tcpMaxBacklog = backlog;
        return this;
    }

    public int tcpMaxBacklog()
    {
        return tcpMaxBacklog;
    }

    /**
     * Whether a listener whose half-open queue is full answers SYNs with SYN cookies rather than dropping them.
     */
    public EngineContext tcpSynCookies(final boolean synCookies)
    {
        tcpSynCookies = synCookies;
        return this;
    }

    public boolean tcpSynCookies()
    {
        return tcpSynCookies;
    }

    public EngineContext tcpCongestionControl(final TcpCongestionAlgorithm algorithm)
    {
        tcpCongestionControl = algorithm;
        return this;
    }

    public TcpCongestionAlgorithm tcpCongestionControl()
    {
        return tcpCongestionControl;
    }

    /**
     * Retransmission timeouts in a row after which a connection gives up with {@code ETIMEDOUT} (Linux
     * {@code tcp_retries2}).
     */
    public EngineContext tcpMaxRetransmissions(final int retransmissions)
    {
        tcpMaxRetransmissions = retransmissions;
        return this;
    }

    public int tcpMaxRetransmissions()
    {
        return tcpMaxRetransmissions;
    }

    public EngineContext tcpSynRetries(final int retries)
    {
        tcpSynRetries = retries;
        return this;
    }

    public int tcpSynRetries()
    {
        return tcpSynRetries;
    }

    public EngineContext tcpSynAckRetries(final int retries)
    {
        tcpSynAckRetries = retries;
        return this;
    }

    public int tcpSynAckRetries()
    {
        return tcpSynAckRetries;
    }

    /**
     * Keepalive defaults for sockets that set {@code SO_KEEPALIVE} (RFC 1122 4.2.3.6): idle time, probe interval
     * and probes before the connection is dropped.
     */
    public EngineContext tcpKeepAlive(final long idleNs, final long intervalNs, final int probes)
    {
        tcpKeepAliveIdleNs = idleNs;
        tcpKeepAliveIntervalNs = intervalNs;
        tcpKeepAliveProbes = probes;
        return this;
    }

    public long tcpKeepAliveIdleNs()
    {
        return tcpKeepAliveIdleNs;
    }

    public long tcpKeepAliveIntervalNs()
    {
        return tcpKeepAliveIntervalNs;
    }

    public int tcpKeepAliveProbes()
    {
        return tcpKeepAliveProbes;
    }

    /**
     * How long a connection the application has closed may wait in FIN-WAIT-2 for the peer's FIN.
     */
    public EngineContext tcpFinWait2TimeoutNs(final long timeoutNs)
    {
        tcpFinWait2TimeoutNs = timeoutNs;
        return this;
    }

    public long tcpFinWait2TimeoutNs()
    {
        return tcpFinWait2TimeoutNs;
    }

    /**
     * Most challenge ACKs (RFC 5961 section 7) the engine sends per second.
     */
    public EngineContext tcpChallengeAckLimit(final int perSecond)
    {
        tcpChallengeAckLimit = perSecond;
        return this;
    }

    public int tcpChallengeAckLimit()
    {
        return tcpChallengeAckLimit;
    }

    /**
     * Most separate out-of-order ranges a connection holds; also the size of its SACK scoreboard.
     */
    public EngineContext tcpReassemblyRanges(final int ranges)
    {
        tcpReassemblyRanges = ranges;
        return this;
    }

    public int tcpReassemblyRanges()
    {
        return tcpReassemblyRanges;
    }

    /**
     * Whether the engine offers window scaling (RFC 7323 section 2).
     */
    public EngineContext tcpWindowScaling(final boolean enabled)
    {
        tcpWindowScaling = enabled;
        return this;
    }

    public boolean tcpWindowScaling()
    {
        return tcpWindowScaling;
    }

    /**
     * Whether the engine offers timestamps and PAWS (RFC 7323 sections 3-5).
     */
    public EngineContext tcpTimestamps(final boolean enabled)
    {
        tcpTimestamps = enabled;
        return this;
    }

    public boolean tcpTimestamps()
    {
        return tcpTimestamps;
    }

    /**
     * Whether the engine offers selective acknowledgments (RFC 2018).
     */
    public EngineContext tcpSack(final boolean enabled)
    {
        tcpSack = enabled;
        return this;
    }

    public boolean tcpSack()
    {
        return tcpSack;
    }
}
