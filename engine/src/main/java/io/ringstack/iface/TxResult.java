package io.ringstack.iface;

import io.ringstack.phy.NetworkDevice;

/**
 * The outcome of handing a frame to the interface: what {@link Ipv4Output#send} and {@link ArpResolver} return and
 * what {@link FrameTap#onTxFrame} reports. Every failure has already been counted under a
 * {@link DropReason.Direction#TX} reason when it is returned. The device's own outcomes are the phy layer's
 * {@link NetworkDevice} {@code TX_} codes, with the same values, so that a device's result passes up unchanged;
 * {@link #NO_ROUTE} and {@link #ARP_QUEUE_FULL} are the interface's own. The interface speaks no errno: a layer
 * that answers an application turns these into the error numbers Linux gives for the same conditions.
 */
public final class TxResult
{
    /**
     * Sent: handed to the device or the loopback ring, or queued while the next hop is resolved (RFC 1122 2.3.2.2);
     * a queued frame whose next hop never answers is counted later, as {@link DropReason#ARP_UNRESOLVED}.
     */
    public static final int SENT = NetworkDevice.TX_OK;
    /**
     * No room for the frame; worth trying again once the engine has made progress: the loopback ring is full
     * ({@link DropReason#LOOPBACK_RING_FULL}) or the device's transmit ring is full
     * ({@link DropReason#DEVICE_TX_FULL}).
     */
    public static final int NO_BUFFER = NetworkDevice.TX_RING_FULL;
    /**
     * The device is not initialised, not enabled, or its link is down ({@link DropReason#DEVICE_TX_REJECTED}).
     */
    public static final int NOT_READY = NetworkDevice.TX_NOT_READY;
    /**
     * The frame is larger than the device can send ({@link DropReason#DEVICE_TX_REJECTED}).
     */
    public static final int OVERSIZE = NetworkDevice.TX_OVERSIZE;
    /**
     * No way out ({@link DropReason#NO_ROUTE}): the engine has no device, or the destination is off-link and there
     * is no gateway (RFC 1122 3.3.1). No frame went anywhere, so the {@link FrameTap} hears nothing of it.
     */
    public static final int NO_ROUTE = -4;
    /**
     * The next hop is being resolved and no more frames may wait for it ({@link DropReason#ARP_PENDING_FULL}): too
     * many wait for this neighbour or for all, or no resolution can start. Not worth trying again at once, since
     * only an ARP reply or the resolution's end frees the queue; a sender that keeps what it sent, as TCP does,
     * takes the frame as lost on the wire and leaves it to its retransmission timer (as Linux drops a packet from
     * a full neighbour queue, {@code unres_qlen}). No frame went anywhere, so the {@link FrameTap} hears nothing of
     * it.
     */
    public static final int ARP_QUEUE_FULL = -5;

    private TxResult()
    {
    }

    /**
     * @return {@code true} for one of the codes above.
     */
    public static boolean isKnown(final int result)
    {
        return result <= SENT && result >= ARP_QUEUE_FULL;
    }

    /**
     * @return the symbolic name of a result, e.g. {@code "NO_BUFFER"}, for tools.
     */
    public static String name(final int result)
    {
        switch (result)
        {
            case SENT: return "SENT";
            case NO_BUFFER: return "NO_BUFFER";
            case NOT_READY: return "NOT_READY";
            case OVERSIZE: return "OVERSIZE";
            case NO_ROUTE: return "NO_ROUTE";
            case ARP_QUEUE_FULL: return "ARP_QUEUE_FULL";
            default: return "tx result " + result;
        }
    }

    /**
     * @return a result rendered for people: its name and what it means, e.g.
     * {@code "NO_BUFFER (loopback ring or device transmit ring full)"}.
     */
    public static String describe(final int result)
    {
        switch (result)
        {
            case SENT: return "SENT (sent, or queued for ARP resolution)";
            case NO_BUFFER: return "NO_BUFFER (loopback ring or device transmit ring full)";
            case NOT_READY: return "NOT_READY (device not ready or link down)";
            case OVERSIZE: return "OVERSIZE (frame larger than the device sends)";
            case NO_ROUTE: return "NO_ROUTE (no device, or off-link with no gateway)";
            case ARP_QUEUE_FULL: return "ARP_QUEUE_FULL (no more frames may wait for the next hop's resolution)";
            default: return name(result);
        }
    }
}
