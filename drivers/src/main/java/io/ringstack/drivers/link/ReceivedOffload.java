package io.ringstack.drivers.link;

import io.ringstack.drivers.virtio.VirtioNetHeader;
import io.ringstack.phy.FrameHandler;
import org.agrona.MutableDirectBuffer;

/**
 * What a frame read behind a virtio-net header ({@link VirtioNetHeader}, a TAP's {@code IFF_VNET_HDR} or a packet
 * socket's {@code PACKET_VNET_HDR}) asks of the link before it goes on: a TCP segment larger than the MTU
 * ({@code GSO_TCPV4}) goes on whole, or, for a reader that takes no such segments ({@link #cutSegments}), is cut
 * into the frames the kernel would have cut ({@link TcpSegmentCutter}); a checksum the kernel left partial
 * ({@code NEEDS_CSUM}: the pseudo-header's sum in the field) is finished first, so that every frame handed on holds
 * the checksums a wire would carry. A frame the kernel vouched for, one with {@code NEEDS_CSUM} (data that never
 * crossed a wire) or {@code DATA_VALID} (checked by the kernel), and each piece cut from it, is handed on with
 * {@link FrameHandler#CHECKSUM_GOOD}. One per link, on the link's thread; nothing here allocates.
 */
final class ReceivedOffload
{
    private final LinkCounters counters;
    private final TcpSegmentCutter cutter = new TcpSegmentCutter();
    private boolean cutSegments;
    private int offloads;

    ReceivedOffload(final LinkCounters counters)
    {
        this.counters = counters;
    }

    /**
     * @param cut whether TCP segments larger than the MTU are cut before they go on, for a reader without buffers
     *            for them; set while the reader is set up, never on the frame path.
     */
    void cutSegments(final boolean cut)
    {
        cutSegments = cut;
    }

    /**
     * Take the offload the header before a frame asks for: a partial checksum is finished over the bytes from
     * {@code csum_start} to the end and stored at {@code csum_offset}; a TCP segment to be cut is begun to be cut,
     * its pieces then taken with {@link #hasPiece} and {@link #nextPiece}. A frame that asks for what the link did
     * not offer is counted in {@code link_rx_offload_refused}.
     *
     * @param header      where the frame's virtio-net header begins; its fields lie in its first 10 bytes.
     * @param frame       where the frame begins, in the same buffer.
     * @param frameLength bytes of the frame, header excluded.
     * @return {@code false}, not to be handed on, for a segmentation other than IPv4 TCP, a segment that cannot be
     * cut, or a checksum field outside the frame.
     */
    boolean take(final MutableDirectBuffer buffer, final int header, final int frame, final int frameLength)
    {
        final int headerFlags = buffer.getByte(header + VirtioNetHeader.FLAGS_OFFSET);
        offloads = (headerFlags & (VirtioNetHeader.FLAG_NEEDS_CSUM | VirtioNetHeader.FLAG_DATA_VALID)) != 0 ?
            FrameHandler.CHECKSUM_GOOD : 0;
        final int segmentation = VirtioNetHeader.gsoType(buffer, header);
        boolean taken = true;
        if (segmentation == VirtioNetHeader.GSO_TCPV4)
        {
            counters.rxSegmentOffload.incrementRelease();
            if (cutSegments)
            {
                taken = cutter.begin(buffer, frame, frameLength,
                    VirtioNetHeader.field(buffer, header, VirtioNetHeader.GSO_SIZE_OFFSET), offloads);
            }
            else
            {
                taken = finishChecksum(buffer, header, frame, frameLength, headerFlags);
            }
        }
        else if (segmentation != VirtioNetHeader.GSO_NONE)
        {
            taken = false;
        }
        else
        {
            taken = finishChecksum(buffer, header, frame, frameLength, headerFlags);
        }
        if (!taken)
        {
            counters.rxOffloadRefused.incrementRelease();
        }
        return taken;
    }

    private boolean finishChecksum(
        final MutableDirectBuffer buffer, final int header, final int frame, final int frameLength, final int flags)
    {
        if ((flags & VirtioNetHeader.FLAG_NEEDS_CSUM) == 0)
        {
            return true;
        }
        if (!VirtioNetHeader.finishChecksum(buffer, frame, frameLength,
            VirtioNetHeader.field(buffer, header, VirtioNetHeader.CSUM_START_OFFSET),
            VirtioNetHeader.field(buffer, header, VirtioNetHeader.CSUM_OFFSET_OFFSET)))
        {
            return false;
        }
        counters.rxChecksumFinished.incrementRelease();
        return true;
    }

    /**
     * @return what the frame last taken, and each piece cut from it, is handed on with:
     * {@link FrameHandler#CHECKSUM_GOOD} or 0.
     */
    int offloads()
    {
        return offloads;
    }

    /**
     * @return whether a piece of the segment last taken is still to be handed on ({@link #nextPiece}).
     */
    boolean hasPiece()
    {
        return cutter.hasNext();
    }

    /**
     * Hand the next piece of the segment being cut to {@code handler}.
     */
    void nextPiece(final FrameHandler handler)
    {
        cutter.next(handler);
    }
}
