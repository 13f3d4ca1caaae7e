package io.ringstack.bench;

/**
 * The client's side of a UDP request/response path, as {@link UdpLatency} drives it: send a request carrying its
 * sequence number without waiting for the reply, and poll for replies without blocking. Closing it stops the echo
 * server and fails if the server or the path reported an error.
 */
interface LatencyEndpoint extends AutoCloseable
{
    /** What {@link #poll} returns when no reply is waiting. */
    long NO_REPLY = -1;

    /**
     * @param sequence the request's sequence number, which the reply carries back.
     * @return whether the request was sent whole.
     */
    boolean send(long sequence);

    /**
     * @return the sequence number of a reply that came in, or {@link #NO_REPLY}.
     */
    long poll();

    /**
     * @return the replies the server sent so far.
     */
    long echoed();

    /**
     * @return the counters that explain a lost reply, or an empty string.
     */
    String diagnostics();

    void close() throws Exception;
}
