package io.ringstack.tcp;

/**
 * The congestion controllers an engine offers; one is chosen for all its connections.
 */
public enum TcpCongestionAlgorithm
{
    /** Reno's window with NewReno loss recovery (RFC 5681, RFC 6582). */
    NEW_RENO,
    /** CUBIC (RFC 9438), Linux's default. */
    CUBIC;

    CongestionControl newController()
    {
        return this == CUBIC ? new CubicCongestionControl() : new RenoCongestionControl();
    }
}
