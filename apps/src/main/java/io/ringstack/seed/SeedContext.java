package io.ringstack.seed;

import io.ringstack.socket.Sockets;

/**
 * What a seed program runs against: a socket API and the addresses of the guest it stands for.
 */
public interface SeedContext
{
    Sockets sockets();

    /**
     * @return the guest's own IPv4 address (10.0.2.15 in the seed's SLIRP profile), host order.
     */
    int ownAddress();

    /**
     * @return the gateway's IPv4 address (10.0.2.2 in the seed's SLIRP profile), host order.
     */
    int gatewayAddress();

    /**
     * @return the counters that explain a failure: drops by reason, per protocol and per ring.
     */
    String diagnostics();
}
