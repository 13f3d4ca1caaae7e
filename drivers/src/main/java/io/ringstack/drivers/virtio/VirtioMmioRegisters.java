package io.ringstack.drivers.virtio;

/**
 * The virtio-mmio version 2 (modern) register window of a VirtIO network device: offsets, the values a device
 * presents, the device status, interrupt and feature bits, and the network device's configuration space. Checked
 * against VirtIO 1.2 section 4.2.2 (MMIO register layout), 2.1 (device status field), 6 (reserved feature bits) and
 * 5.1 (network device).
 * <p>
 * Every register is 32 bits wide, aligned and little-endian; the driver reads the features and writes its own
 * 32 bits at a time, {@code DeviceFeaturesSel}/{@code DriverFeaturesSel} choosing the word (0: bits 0-31,
 * 1: bits 32-63). The configuration space from {@link #CONFIG} is accessed with the width of each field.
 * <pre>
 *   0x000 R   MagicValue         0x74726976 ("virt")
 *   0x004 R   Version            2
 *   0x008 R   DeviceID           1 (network card)
 *   0x00c R   VendorID
 *   0x010 R   DeviceFeatures     32 feature bits selected by DeviceFeaturesSel
 *   0x014 W   DeviceFeaturesSel
 *   0x020 W   DriverFeatures     32 accepted bits selected by DriverFeaturesSel
 *   0x024 W   DriverFeaturesSel
 *   0x030 W   QueueSel           the virtqueue the Queue* registers apply to
 *   0x034 R   QueueNumMax        largest queue size, 0 if the queue does not exist
 *   0x038 W   QueueNum           queue size the driver chose, a power of two
 *   0x044 RW  QueueReady         1: the device may use the queue
 *   0x050 W   QueueNotify        index of a queue with new available buffers
 *   0x060 R   InterruptStatus    bit 0 used buffer, bit 1 configuration change
 *   0x064 W   InterruptACK       clears the bits written
 *   0x070 RW  Status             device status; writing 0 resets the device
 *   0x080 W   QueueDescLow/High     (0x084) descriptor area
 *   0x090 W   QueueDriverLow/High   (0x094) driver area: the available ring
 *   0x0a0 W   QueueDeviceLow/High   (0x0a4) device area: the used ring
 *   0x0fc R   ConfigGeneration   changes whenever the configuration space does
 *   0x100 RW  Config             struct virtio_net_config: mac[6] at 0, le16 status at 6
 * </pre>
 */
public final class VirtioMmioRegisters
{
    /** Offset of {@code MagicValue}. */
    public static final int MAGIC_VALUE = 0x000;
    /** Offset of {@code Version}. */
    public static final int VERSION = 0x004;
    /** Offset of {@code DeviceID}. */
    public static final int DEVICE_ID = 0x008;
    /** Offset of {@code VendorID}. */
    public static final int VENDOR_ID = 0x00c;
    /** Offset of {@code DeviceFeatures}. */
    public static final int DEVICE_FEATURES = 0x010;
    /** Offset of {@code DeviceFeaturesSel}. */
    public static final int DEVICE_FEATURES_SEL = 0x014;
    /** Offset of {@code DriverFeatures}. */
    public static final int DRIVER_FEATURES = 0x020;
    /** Offset of {@code DriverFeaturesSel}. */
    public static final int DRIVER_FEATURES_SEL = 0x024;
    /** Offset of {@code QueueSel}. */
    public static final int QUEUE_SEL = 0x030;
    /** Offset of {@code QueueNumMax} (called {@code QueueSizeMax} since VirtIO 1.2). */
    public static final int QUEUE_NUM_MAX = 0x034;
    /** Offset of {@code QueueNum} (called {@code QueueSize} since VirtIO 1.2). */
    public static final int QUEUE_NUM = 0x038;
    /** Offset of {@code QueueReady}. */
    public static final int QUEUE_READY = 0x044;
    /** Offset of {@code QueueNotify}. */
    public static final int QUEUE_NOTIFY = 0x050;
    /** Offset of {@code InterruptStatus}. */
    public static final int INTERRUPT_STATUS = 0x060;
    /** Offset of {@code InterruptACK}. */
    public static final int INTERRUPT_ACK = 0x064;
    /** Offset of {@code Status}. */
    public static final int STATUS = 0x070;
    /** Offset of {@code QueueDescLow}: low 32 bits of the descriptor table's guest-physical address. */
    public static final int QUEUE_DESC_LOW = 0x080;
    /** Offset of {@code QueueDescHigh}. */
    public static final int QUEUE_DESC_HIGH = 0x084;
    /** Offset of {@code QueueDriverLow}: low 32 bits of the available ring's address. */
    public static final int QUEUE_DRIVER_LOW = 0x090;
    /** Offset of {@code QueueDriverHigh}. */
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    /** Offset of {@code QueueDeviceLow}: low 32 bits of the used ring's address. */
    public static final int QUEUE_DEVICE_LOW = 0x0a0;
    /** Offset of {@code QueueDeviceHigh}. */
    public static final int QUEUE_DEVICE_HIGH = 0x0a4;
    /** Offset of {@code ConfigGeneration}. */
    public static final int CONFIG_GENERATION = 0x0fc;
    /** Offset of the device-specific configuration space. */
    public static final int CONFIG = 0x100;

    /** What {@code MagicValue} holds: "virt" read as a little-endian word. */
    public static final int MAGIC = 0x7472_6976;
    /** What {@code Version} holds for a modern (non-legacy) device; legacy devices present 1. */
    public static final int MODERN_VERSION = 2;
    /** {@code DeviceID} of a network card (section 5.1.1). */
    public static final int DEVICE_ID_NET = 1;
    /** {@code VendorID} of this model: "RING" read as a little-endian word. */
    public static final int RINGSTACK_VENDOR_ID = 0x474E_4952;

    /** Status: the guest found the device and recognised it as a virtio device. */
    public static final int STATUS_ACKNOWLEDGE = 1;
    /** Status: the guest knows how to drive the device. */
    public static final int STATUS_DRIVER = 2;
    /** Status: the driver is set up; the device is live. */
    public static final int STATUS_DRIVER_OK = 4;
    /** Status: feature negotiation is complete; does not stick when the device refuses the features. */
    public static final int STATUS_FEATURES_OK = 8;
    /** Status, set by the device: it hit an error it cannot recover from and must be reset. */
    public static final int STATUS_DEVICE_NEEDS_RESET = 64;
    /** Status, set by the driver: it has given up on the device. */
    public static final int STATUS_FAILED = 128;

    /** {@code InterruptStatus}: the device used a buffer in at least one virtqueue. */
    public static final int INTERRUPT_USED_BUFFER = 1;
    /** {@code InterruptStatus}: the configuration space (or the device status) changed. */
    public static final int INTERRUPT_CONFIG_CHANGE = 2;

    /** Feature bit: the device takes frames with a partial checksum ({@code NEEDS_CSUM}) and finishes it. */
    public static final int VIRTIO_NET_F_CSUM = 0;
    /** Feature bit: the driver takes frames with a partial checksum, or one the device marks as verified. */
    public static final int VIRTIO_NET_F_GUEST_CSUM = 1;
    /** Feature bit: the device has a MAC address in {@code mac}. */
    public static final int VIRTIO_NET_F_MAC = 5;
    /** Feature bit: the driver takes IPv4 TCP segments larger than the MTU whole; needs GUEST_CSUM. */
    public static final int VIRTIO_NET_F_GUEST_TSO4 = 7;
    /** Feature bit: the device takes IPv4 TCP segments larger than the MTU to cut; needs CSUM. */
    public static final int VIRTIO_NET_F_HOST_TSO4 = 11;
    /** Feature bit: the driver can merge receive buffers: a frame may fill {@code num_buffers} of them. */
    public static final int VIRTIO_NET_F_MRG_RXBUF = 15;
    /** Feature bit: the configuration {@code status} field (link state) exists. */
    public static final int VIRTIO_NET_F_STATUS = 16;
    /** Feature bit: {@code used_event}/{@code avail_event} notification suppression; not offered by this model. */
    public static final int VIRTIO_F_EVENT_IDX = 29;
    /** Feature bit: compliance with VirtIO 1.0 and later; a modern device refuses a driver without it. */
    public static final int VIRTIO_F_VERSION_1 = 32;

    /** Offset of {@code mac[6]} in the network configuration space. */
    public static final int NET_CONFIG_MAC = 0;
    /** Offset of the little-endian 16-bit {@code status} in the network configuration space. */
    public static final int NET_CONFIG_STATUS = 6;
    /** Configuration {@code status} bit: the link is up. */
    public static final int VIRTIO_NET_S_LINK_UP = 1;

    /** Virtqueue index of {@code receiveq1}. */
    public static final int RECEIVE_QUEUE = 0;
    /** Virtqueue index of {@code transmitq1}. */
    public static final int TRANSMIT_QUEUE = 1;

    private VirtioMmioRegisters()
    {
    }

    /**
     * @return the 64-bit feature mask of feature bit {@code bit}.
     */
    public static long feature(final int bit)
    {
        return 1L << bit;
    }

    /**
     * @return {@code address} with its low ({@code high == false}) or high 32 bits replaced by {@code word}, as a
     * driver writes a 64-bit address through a Low/High register pair.
     */
    public static long withWord(final long address, final boolean high, final int word)
    {
        return high ?
            (address & 0xFFFF_FFFFL) | ((long)word << 32) :
            (address & 0xFFFF_FFFF_0000_0000L) | (word & 0xFFFF_FFFFL);
    }
}
