package io.ringstack.iface;

/**
 * The limit on the ICMP messages the engine sends (RFC 1812 4.3.2.8, RFC 1122 3.2.2), as Linux's
 * {@code icmp_msgs_per_sec}, {@code icmp_msgs_burst} and {@code icmp_ratemask}: one token bucket for the whole
 * engine, filled at {@code messagesPerSecond} up to {@code burst} tokens, spent by each message whose type is in
 * the mask. A flood of packets that would each draw an error (to closed ports, unsupported protocols) then costs
 * the engine at most that many answers a second, and cannot turn it into an amplifier towards a spoofed source.
 * <p>
 * Time is the engine's clock, so a replay limits the same messages. Engine thread only; no allocation.
 */
public final class IcmpRateLimit
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long nanosPerToken;
    private final long capacityNs;
    private final int typeMask;
    private long creditNs;
    private long lastNs;
    private boolean started;

    /**
     * @param messagesPerSecond tokens added a second; 0 lifts the limit.
     * @param burst             most tokens the bucket holds, and so most messages sent back to back.
     * @param typeMask          bit {@code 1 << type} set for each ICMP type the limit applies to.
     */
    public IcmpRateLimit(final int messagesPerSecond, final int burst, final int typeMask)
    {
        nanosPerToken = messagesPerSecond == 0 ? 0 : Math.max(1, NANOS_PER_SECOND / messagesPerSecond);
        capacityNs = nanosPerToken * burst;
        this.typeMask = typeMask;
    }

    /**
     * Take a token for a message of {@code type} if it needs one.
     *
     * @return {@code true} when the message may go.
     */
    public boolean tryAcquire(final int type, final long nowNs)
    {
        if (nanosPerToken == 0 || type >= Integer.SIZE || (typeMask & (1 << type)) == 0)
        {
            return true;
        }
        if (!started)
        {
            started = true;
            creditNs = capacityNs;
        }
        else
        {
            creditNs = Math.min(capacityNs, creditNs + Math.max(0, nowNs - lastNs));
        }
        lastNs = nowNs;
        if (creditNs < nanosPerToken)
        {
            return false;
        }
        creditNs -= nanosPerToken;
        return true;
    }
}
