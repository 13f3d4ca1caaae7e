package io.ringstack.phy.relay;

import io.ringstack.phy.Link;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * Two links joined through an impairment, one {@link ImpairedPath} per direction, with no engine between: what
 * arrives on link A goes out on link B after A-to-B's faults, delay and rate, and the other way round. An Agrona
 * {@link Agent}: each duty cycle reads the clock once, polls both links in bursts, and sends what has come due.
 */
public final class Relay implements Agent
{
    /** Frames taken from a link, or sent to one, per duty cycle. */
    public static final int BURST = 64;

    private final Link a;
    private final Link b;
    private final ImpairedPath aToB;
    private final ImpairedPath bToA;
    private final NanoClock clock;

    public Relay(final Link a, final Link b, final ImpairedPath aToB, final ImpairedPath bToA, final NanoClock clock)
    {
        this.a = a;
        this.b = b;
        this.aToB = aToB;
        this.bToA = bToA;
        this.clock = clock;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        return aToB.receive(a, nowNs, BURST) + bToA.receive(b, nowNs, BURST) +
            aToB.transmit(b, nowNs, BURST) + bToA.transmit(a, nowNs, BURST);
    }

    /**
     * @return when the next delayed frame is due either way, {@link Long#MAX_VALUE} when none waits.
     */
    public long nextReleaseNs()
    {
        return Math.min(aToB.nextReleaseNs(), bToA.nextReleaseNs());
    }

    public String roleName()
    {
        return "relay";
    }

    public ImpairedPath aToB()
    {
        return aToB;
    }

    public ImpairedPath bToA()
    {
        return bToA;
    }
}
