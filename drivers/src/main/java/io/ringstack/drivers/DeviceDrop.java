package io.ringstack.drivers;

/**
 * Why a device model or its driver lost a frame. Each is a counter of the device, beside the engine's own
 * {@code DropReason}s, so a frame lost below the stack is as visible as one dropped in it.
 */
public enum DeviceDrop
{
    RX_RING_FULL("no free receive descriptor or buffer: the driver has not replenished the ring (E1000 MPC, RNBC)"),
    RX_NOT_ENABLED("receiver off or driver not ready when a frame arrived"),
    RX_OVERSIZE("frame larger than the posted receive buffer"),
    TX_NOT_READY("transmit asked of a device that is not initialised or enabled"),
    TX_OVERSIZE("frame larger than the device sends"),
    TX_RING_FULL("driver found no free transmit descriptor"),
    BAD_DESCRIPTOR("descriptor or buffer outside guest memory, or a malformed chain"),
    TX_BAD_OFFLOAD("an offload the frame does not fit: no context, MSS 0, a header length or checksum field beyond " +
        "the frame, a payload length the frame does not have"),
    LINK_FULL("the wire refused a transmitted frame"),
    LINK_DOWN("the link is down: a frame to send, or one arriving, while the carrier is lost"),
    DEVICE_RESET("in a ring when the driver reset the device after its transmit watchdog expired");

    private final String description;

    DeviceDrop(final String description)
    {
        this.description = description;
    }

    public String description()
    {
        return description;
    }

    /**
     * @return the counter label, e.g. {@code "device_drop_rx_ring_full"}.
     */
    public String label()
    {
        return "device_drop_" + name().toLowerCase();
    }
}
