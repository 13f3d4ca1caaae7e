package io.ringstack.tcp;

/**
 * RFC 5961 section 7: the engine sends at most a configured number of challenge ACKs per second, across all
 * connections, so that an attacker cannot turn the defences of sections 3 to 5 into an ACK flood, nor count the
 * answers to learn a window. Engine thread only.
 */
final class ChallengeAckLimit
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int acksPerSecond;
    private long windowStartNs;
    private int acksInWindow;

    ChallengeAckLimit(final int acksPerSecond)
    {
        this.acksPerSecond = acksPerSecond;
    }

    /**
     * @return {@code true} when one more challenge ACK may go now; counts it.
     */
    boolean allow(final long nowNs)
    {
        if (nowNs - windowStartNs >= NANOS_PER_SECOND)
        {
            windowStartNs = nowNs;
            acksInWindow = 0;
        }
        return ++acksInWindow <= acksPerSecond;
    }
}
