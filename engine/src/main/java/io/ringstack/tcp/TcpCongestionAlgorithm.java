package io.ringstack.tcp;

/**
 * The congestion controllers an engine offers; one is chosen for all its connections.
 */
public enum TcpCongestionAlgorithm
{
    /** Reno's window with NewReno loss recovery (RFC 5681, RFC 6582). */
    NEW_RENO,
    /** CUBIC (RFC 9438), Linux's default. */
    CUBIC,
    /** BBR v1 (draft-cardwell-iccrg-bbr-congestion-control), paced, not reduced by loss. */
    BBR;

    CongestionControl newController()
    {
        switch (this)
        {
            case CUBIC:
                return new CubicCongestionControl();
            case BBR:
                return new BbrCongestionControl();
            default:
                return new RenoCongestionControl();
        }
    }
}
