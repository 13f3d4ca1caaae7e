package io.ringstack.services;

/**
 * A network service an engine offers to its peers (echo, discard, HTTP), run on application threads through the
 * socket API. {@link #start} returns once the service listens; {@link #close} stops it within its poll interval.
 */
public interface Service extends AutoCloseable
{
    /**
     * @return the service's name and port, e.g. {@code "udp echo :7"}.
     */
    String description();

    /**
     * Bind and start serving.
     *
     * @return 0, or the {@code -errno} that prevented it.
     */
    int start();

    void close();
}
