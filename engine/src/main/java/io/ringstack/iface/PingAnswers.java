package io.ringstack.iface;

/**
 * Where {@link PingTracker} delivers the round trip of a matched echo reply: to the caller that sent the ping.
 */
@FunctionalInterface
public interface PingAnswers
{
    /**
     * @param slot the caller's slot, the echo identifier.
     * @param callSequence the call the ping answers.
     * @param roundTripNs from request sent to reply received.
     */
    void answer(int slot, long callSequence, long roundTripNs);
}
