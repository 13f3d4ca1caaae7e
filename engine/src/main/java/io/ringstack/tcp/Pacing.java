package io.ringstack.tcp;

import io.ringstack.iface.TimerListener;
import io.ringstack.iface.Timers;

/**
 * Pacing at the congestion controller's rate ({@link CongestionControl#pacingRate}), as Linux's earliest departure
 * time does ({@code tcp_update_skb_after_send}): each segment of data, new or sent again, moves the connection's
 * release time on by its length over the rate, and the sender holds what it would send next until the engine's
 * clock reaches it; the pacing timer brings the connection back then.
 * <pre>
 *   release = max(release, now - BURST_NS) + bytes / rate
 * </pre>
 * The engine's timers fire up to {@link Timers#GRANULARITY_NS} late, so a sender that was held keeps up to that
 * much time as credit and goes on with a burst of what the rate allowed meanwhile: about a millisecond of data at
 * the rate, the burst Linux sizes its segments to ({@code tcp_tso_autosize}, {@code sk_pacing_shift} 10). Only the
 * engine clock decides, so a replay holds the same segments. Engine thread only; nothing allocates.
 */
final class Pacing
{
    /** Credit a late sender keeps: the timers' granularity. */
    static final long BURST_NS = Timers.GRANULARITY_NS;
    private static final double NANOS_PER_SECOND = 1e9;

    private Pacing()
    {
    }

    /**
     * @return {@code true} when the connection is paced and its next segment is not due yet; the pacing timer is
     * then armed for its release.
     */
    static boolean holds(
        final TcpConnection connection, final long nowNs, final Timers timers, final TimerListener listener)
    {
        if (connection.congestion.pacingRate(connection.rtt.smoothedRttNs()) <= 0 ||
            connection.pacingReleaseNs - nowNs <= 0)
        {
            return false;
        }
        connection.pacingTimer.arm(connection.pacingReleaseNs, timers, listener);
        return true;
    }

    /**
     * {@code bytes} of data went out at {@code nowNs}.
     */
    static void onSent(final TcpConnection connection, final int bytes, final long nowNs)
    {
        final long rate = connection.congestion.pacingRate(connection.rtt.smoothedRttNs());
        if (rate > 0 && bytes > 0)
        {
            connection.pacingReleaseNs = Math.max(connection.pacingReleaseNs, nowNs - BURST_NS) +
                (long)(bytes * NANOS_PER_SECOND / rate);
        }
    }
}
