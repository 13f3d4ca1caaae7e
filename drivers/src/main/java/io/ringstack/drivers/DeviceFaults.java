package io.ringstack.drivers;

/**
 * The faults a NIC can be put into, to prove that each one is counted and recovered from (see {@code ROBUSTNESS.md},
 * "Device faults"). Each NIC offers one through its driver's {@code faults()}, made of what the fault touches: the
 * driver's receive ring, the device's transmit unit, the cable. Every call belongs to the thread that runs the
 * driver, like everything else about it. A fault changes the state of the driver or of the device model once;
 * nothing on the frame path tests for it beyond the state it already reads (the receive ring's tail, the transmit
 * unit, the link status).
 */
public final class DeviceFaults
{
    /**
     * The driver's side of its receive ring.
     */
    @FunctionalInterface
    public interface ReceiveRing
    {
        /**
         * @param starved {@code true} to stop giving buffers back to the device, {@code false} to give back all.
         */
        void starve(boolean starved);
    }

    /**
     * The device's transmit unit.
     */
    @FunctionalInterface
    public interface TransmitUnit
    {
        /**
         * Take no more transmit descriptors until the device is reset.
         */
        void hang();
    }

    /**
     * The device's cable.
     */
    @FunctionalInterface
    public interface Carrier
    {
        /**
         * @param up {@code false} to pull the cable, {@code true} to put it back.
         */
        void link(boolean up);
    }

    private final ReceiveRing receiveRing;
    private final TransmitUnit transmitUnit;
    private final Carrier carrier;

    public DeviceFaults(final ReceiveRing receiveRing, final TransmitUnit transmitUnit, final Carrier carrier)
    {
        this.receiveRing = receiveRing;
        this.transmitUnit = transmitUnit;
        this.carrier = carrier;
    }

    /**
     * The driver stops giving receive buffers back to the device: it still hands the engine every frame already
     * stored, but the device soon has none free and counts each frame it cannot place as
     * {@link DeviceDrop#RX_RING_FULL}.
     */
    public void starveRx()
    {
        receiveRing.starve(true);
    }

    /**
     * The driver gives back every receive buffer it withheld, at its next poll; reception resumes.
     */
    public void replenishRx()
    {
        receiveRing.starve(false);
    }

    /**
     * The device's transmit unit hangs: it takes no more transmit descriptors until the device is reset. The driver's
     * {@link TxWatchdog} sees no transmit progress with work pending and resets the device; what the rings held then
     * is counted as {@link DeviceDrop#DEVICE_RESET}.
     */
    public void hangTx()
    {
        transmitUnit.hang();
    }

    /**
     * The cable is pulled: the device reports the link down (E1000 STATUS.LU clear and an LSC interrupt; VirtIO-net
     * {@code VIRTIO_NET_S_LINK_UP} clear and a configuration change interrupt). Frames to send and frames arriving
     * meanwhile are counted as {@link DeviceDrop#LINK_DOWN}.
     */
    public void linkDown()
    {
        carrier.link(false);
    }

    /**
     * The cable is back: the device reports the link up, with the same interrupt, and traffic resumes.
     */
    public void linkUp()
    {
        carrier.link(true);
    }
}
