package io.ringstack.drivers.virtio;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The {@code struct virtio_net_hdr} that precedes every frame on both virtqueues (VirtIO 1.2 section 5.1.6): 12
 * bytes once VIRTIO_F_VERSION_1 is negotiated, whether or not VIRTIO_NET_F_MRG_RXBUF is (the 10-byte form without
 * {@code num_buffers} is legacy only). With no offloads negotiated every field is zero except {@code num_buffers},
 * which the device sets to 1 on receive and the driver to 0 on transmit.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     flags     |   gso_type    |        hdr_len (le16)         |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |        gso_size (le16)        |       csum_start (le16)       |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |       csum_offset (le16)      |      num_buffers (le16)       |  8
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class VirtioNetHeader
{
    public static final int LENGTH = 12;

    public static final int FLAGS_OFFSET = 0;
    public static final int GSO_TYPE_OFFSET = 1;
    public static final int HDR_LEN_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 4;
    public static final int CSUM_START_OFFSET = 6;
    public static final int CSUM_OFFSET_OFFSET = 8;
    public static final int NUM_BUFFERS_OFFSET = 10;

    /** {@code gso_type}: not a segmentation offload. */
    public static final int GSO_NONE = 0;

    private VirtioNetHeader()
    {
    }

    /**
     * Write a header with no offload: every field zero but {@code num_buffers}.
     */
    public static void write(final MutableDirectBuffer buffer, final int index, final int numBuffers)
    {
        buffer.putLong(index + FLAGS_OFFSET, 0L);
        buffer.putInt(index + CSUM_OFFSET_OFFSET, numBuffers << Short.SIZE, ByteOrder.LITTLE_ENDIAN);
    }
}
