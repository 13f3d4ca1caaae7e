package io.ringstack.drivers.link;

import io.ringstack.drivers.virtio.VirtioNetHeader;
import io.ringstack.phy.FrameHandler;
import jnr.ffi.Runtime;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.ringstack.drivers.link.DescriptorCalls.EAGAIN;
import static io.ringstack.drivers.link.DescriptorCalls.ENOBUFS;
import static io.ringstack.drivers.link.PacketSocketCalls.SOL_PACKET;

/**
 * The receive and transmit rings a packet socket shares with the kernel ({@code PACKET_MMAP} with
 * {@code TPACKET_V2}, Linux's {@code Documentation/networking/packet_mmap.rst}): one mapping of two rings of frame
 * slots, the receive ring first, each slot headed by a {@code struct tpacket2_hdr} ({@code linux/if_packet.h}) whose
 * status word says whose it is.
 * <pre>
 *   | tp_status (32) | tp_len (32) | tp_snaplen (32) | tp_mac (16) | tp_net (16) | tp_sec (32) | tp_nsec (32) |
 *   | tp_vlan_tci (16) | tp_vlan_tpid (16) | padding (32) | ... the frame, at tp_mac (receive) or at 32 (send) |
 * </pre>
 * Receiving takes the slots the kernel has marked {@code TP_STATUS_USER}, in order, hands each frame on straight
 * from the mapping and gives the slot back ({@code TP_STATUS_KERNEL}): no system call per frame. Sending copies a
 * frame into the next slot that is {@code TP_STATUS_AVAILABLE} and marks it {@code TP_STATUS_SEND_REQUEST}; one
 * {@code send(fd, NULL, 0, MSG_DONTWAIT)} ({@link #kick}) then hands the kernel every frame requested since the
 * last. A status is read with acquire and written with release, so the kernel sees a slot's frame before its
 * status and the link sees the kernel's frame after it.
 * <p>
 * Slots are 2048 bytes, room for a 1518-byte frame. On a socket with a virtio-net header ({@code PACKET_VNET_HDR})
 * the header goes before each frame both ways: the kernel writes it just before {@code tp_mac}, and a frame to send
 * follows the link's, at 32. The slots are then 68 KiB (in whole pages), a quarter as many, room for a TCP segment of
 * up to 64 KiB handed over whole ({@code GSO_TCPV4}) either way: one received is taken as the link's
 * {@link ReceivedOffload} says, cut in its slot and each piece handed on in turn before the slot goes back, or handed
 * on whole; one to send goes behind a header that asks the kernel to cut it ({@link #send} with a segment size).
 * <p>
 * {@code TPACKET_V2} rather than V3's variable-sized blocks: V3 hands a block over only once it is full or its
 * retire timer (at least 1 ms) has run out, and wakes {@code poll(2)} only then, which a lone ACK or ping would
 * wait for; and the version is the socket's, both rings alike. One thread; nothing allocates after construction.
 */
final class PacketRings implements AutoCloseable
{
    /** Room for a 1518-byte frame behind the header the kernel puts before a received one. */
    static final int FRAME_SIZE = 2048;
    /**
     * A slot behind a virtio-net header: room for an IP packet of up to 64 KiB and every header before it (512 bytes
     * are more than the slot's header, the virtio-net header and a VLAN-tagged Ethernet header take), in whole pages,
     * as a block of one slot must be: 68 KiB with 4 KiB pages.
     */
    private static final int SEGMENT_FRAME_SIZE = (int)BitUtil.align(64 * 1024 + 512, UnsafeApi.pageSize());
    /** Slots of 2048 bytes for each slot of {@link #SEGMENT_FRAME_SIZE}. */
    private static final int SEGMENT_FRAME_RATIO = 4;
    /** A block of frame slots: a multiple of every page size Linux runs with (4, 16 and 64 KiB). */
    private static final int BLOCK_SIZE = 64 * 1024;
    static final int FRAMES_PER_BLOCK = BLOCK_SIZE / FRAME_SIZE;

    private static final int STATUS_OFFSET = 0;
    private static final int LENGTH_OFFSET = 4;
    private static final int CAPTURED_LENGTH_OFFSET = 8;
    private static final int MAC_OFFSET = 12;
    /** {@code TPACKET2_HDRLEN - sizeof(struct sockaddr_ll)}: where the kernel takes a frame to send from. */
    static final int SEND_DATA_OFFSET = 32;

    private static final int TP_STATUS_KERNEL = 0;
    private static final int TP_STATUS_USER = 1;
    private static final int TP_STATUS_AVAILABLE = 0;
    private static final int TP_STATUS_SEND_REQUEST = 1;
    private static final int TP_STATUS_WRONG_FORMAT = 1 << 2;
    /** {@code TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING | TP_STATUS_WRONG_FORMAT}: not the timestamp's bits. */
    private static final int SEND_STATUS_MASK = 0x7;

    private final PacketSocketCalls calls;
    private final Runtime runtime;
    private final int fd;
    private final long address;
    private final long mappedLength;
    private final int mask;
    private final int frameSize;
    private final int sendBase;
    private final int headerLength;
    private final ReceivedOffload receivedOffload;
    private final UnsafeBuffer ring = new UnsafeBuffer(0, 0);
    private final LinkCounters counters;
    private final AtomicCounter truncated;
    private final AtomicCounter wrongFormat;
    private int received;
    private int sent;
    private boolean kickDue;

    /**
     * @param address         of the rings {@link #map} mapped on {@code fd}.
     * @param headerLength    bytes of the virtio-net header before each frame both ways, 0 for none.
     * @param receivedOffload what takes the offloads a received frame's header asks for.
     * @param truncated       counts frames received longer than a slot holds, cut short by the kernel, not handed on.
     * @param wrongFormat     counts frames the kernel refused to send as malformed ({@code TP_STATUS_WRONG_FORMAT}).
     */
    PacketRings(
        final PacketSocketCalls calls,
        final int fd,
        final long address,
        final int frames,
        final int headerLength,
        final ReceivedOffload receivedOffload,
        final LinkCounters counters,
        final AtomicCounter truncated,
        final AtomicCounter wrongFormat)
    {
        this.calls = calls;
        this.runtime = Runtime.getRuntime(calls);
        this.fd = fd;
        this.address = address;
        this.mappedLength = length(frames, headerLength);
        this.mask = slots(frames, headerLength) - 1;
        this.frameSize = frameSize(headerLength);
        this.sendBase = (mask + 1) * frameSize;
        this.headerLength = headerLength;
        this.receivedOffload = receivedOffload;
        this.counters = counters;
        this.truncated = truncated;
        this.wrongFormat = wrongFormat;
        ring.wrap(address, (int)mappedLength);
    }

    /**
     * Ask for both rings on {@code fd}, not yet bound, and map them; rings the kernel grants past 2 GiB together are
     * not mapped.
     *
     * @param frames       slots of each ring, a power of two, at least {@link #FRAMES_PER_BLOCK}; a quarter as many
     *                     of {@link #SEGMENT_FRAME_SIZE} behind a virtio-net header.
     * @param headerLength bytes of the virtio-net header the socket puts before each frame, 0 for none.
     * @param refusal      where the step the kernel refused is written, for a caller that then goes without rings.
     * @return the address of the mapping, {@link #length} bytes long; 0 when the kernel refused a step.
     */
    static long map(
        final PacketSocketCalls calls, final int fd, final int frames, final int headerLength,
        final StringBuilder refusal)
    {
        if (frames < FRAMES_PER_BLOCK || Integer.bitCount(frames) != 1)
        {
            throw new IllegalArgumentException("ring frames must be a power of two >= " + FRAMES_PER_BLOCK);
        }
        final Runtime runtime = Runtime.getRuntime(calls);
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(PacketSocketCalls.TPACKET_REQ_LENGTH));
        request.putInt(0, PacketSocketCalls.TPACKET_V2, ByteOrder.nativeOrder());
        if (calls.setsockopt(fd, SOL_PACKET, PacketSocketCalls.PACKET_VERSION, request.addressOffset(),
            Integer.BYTES) < 0)
        {
            refusal.append("PACKET_VERSION refused, errno ").append(runtime.getLastError());
            return 0;
        }
        request(request, slots(frames, headerLength), frameSize(headerLength));
        if (calls.setsockopt(fd, SOL_PACKET, PacketSocketCalls.PACKET_RX_RING, request.addressOffset(),
            PacketSocketCalls.TPACKET_REQ_LENGTH) < 0)
        {
            refusal.append("PACKET_RX_RING refused, errno ").append(runtime.getLastError());
            return 0;
        }
        if (calls.setsockopt(fd, SOL_PACKET, PacketSocketCalls.PACKET_TX_RING, request.addressOffset(),
            PacketSocketCalls.TPACKET_REQ_LENGTH) < 0)
        {
            refusal.append("PACKET_TX_RING refused, errno ").append(runtime.getLastError());
            return 0;
        }
        if (length(frames, headerLength) > Integer.MAX_VALUE)
        {
            refusal.append("rings of ").append(frames).append(" frames are past 2 GiB");
            return 0;
        }
        final long address = calls.mmap(null, length(frames, headerLength), PacketSocketCalls.PROT_READ_WRITE,
            PacketSocketCalls.MAP_SHARED, fd, 0);
        if (address == -1)
        {
            refusal.append("mmap of the rings refused, errno ").append(runtime.getLastError());
            return 0;
        }
        return address;
    }

    /**
     * Write a {@code struct tpacket_req} for a ring of {@code frames} slots of {@code frameSize} bytes, in blocks of
     * {@link #BLOCK_SIZE} or of one slot when that is larger.
     */
    private static void request(final UnsafeBuffer request, final int frames, final int frameSize)
    {
        final int blockSize = Math.max(BLOCK_SIZE, frameSize);
        request.putInt(0, blockSize, ByteOrder.nativeOrder());
        request.putInt(4, frames / (blockSize / frameSize), ByteOrder.nativeOrder());
        request.putInt(8, frameSize, ByteOrder.nativeOrder());
        request.putInt(12, frames, ByteOrder.nativeOrder());
    }

    /**
     * @return slots of each ring {@link #map} asks for {@code frames} slots of 2048 bytes: as many, or a quarter as
     * many of {@link #SEGMENT_FRAME_SIZE} behind a virtio-net header.
     */
    static int slots(final int frames, final int headerLength)
    {
        return headerLength == 0 ? frames : frames / SEGMENT_FRAME_RATIO;
    }

    private static int frameSize(final int headerLength)
    {
        return headerLength == 0 ? FRAME_SIZE : SEGMENT_FRAME_SIZE;
    }

    /**
     * @return bytes of the mapping of the rings {@link #map} asks for.
     */
    static long length(final int frames, final int headerLength)
    {
        return 2L * slots(frames, headerLength) * frameSize(headerLength);
    }

    /**
     * @return slots in each ring.
     */
    int frames()
    {
        return mask + 1;
    }

    /**
     * @return the largest frame a send slot holds, behind the virtio-net header if there is one.
     */
    int maxSendFrame()
    {
        return frameSize - SEND_DATA_OFFSET - headerLength;
    }

    /**
     * Hand received frames to {@code handler}, straight from their slots, each slot given back once the handler has
     * returned, until {@code limit} frames have gone or the ring is empty; every piece of a segment cut by the link
     * goes before its slot is given back, and counts. A frame the kernel cut to the slot is counted, not handed on.
     *
     * @return frames handed on or dropped; fewer than {@code limit} when the ring is empty.
     */
    int poll(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        while (frames < limit)
        {
            final int slot = received * frameSize;
            if ((ring.getIntVolatile(slot + STATUS_OFFSET) & TP_STATUS_USER) == 0)
            {
                break;
            }
            counters.rxFrames.incrementRelease();
            final int length = ring.getInt(slot + CAPTURED_LENGTH_OFFSET);
            final int frame = slot + (ring.getShort(slot + MAC_OFFSET) & 0xFFFF);
            if (length != ring.getInt(slot + LENGTH_OFFSET))
            {
                truncated.incrementRelease();
                frames++;
            }
            else if (headerLength == 0)
            {
                handler.onFrame(ring, frame, length);
                frames++;
            }
            else
            {
                frames += takeOffloaded(handler, frame, length);
            }
            ring.putIntRelease(slot + STATUS_OFFSET, TP_STATUS_KERNEL);
            received = (received + 1) & mask;
        }
        return frames;
    }

    private int takeOffloaded(final FrameHandler handler, final int frame, final int length)
    {
        if (!receivedOffload.take(ring, frame - headerLength, frame, length))
        {
            return 1;
        }
        if (!receivedOffload.hasPiece())
        {
            handler.onFrame(ring, frame, length, receivedOffload.offloads());
            return 1;
        }
        int pieces = 0;
        while (receivedOffload.hasPiece())
        {
            receivedOffload.nextPiece(handler);
            pieces++;
        }
        return pieces;
    }

    /**
     * Copy a frame of at most {@link #maxSendFrame} bytes, {@code first} then {@code second} (of 0 bytes for a frame
     * in one piece), into the next slot for the next {@link #kick}: on rings
     * with a virtio-net header, behind one that asks for nothing, or, for an IPv4 TCP segment with
     * {@code segmentSize}, one that asks the kernel to cut it into segments of that many payload bytes and to finish
     * their checksums ({@code GSO_TCPV4}, as {@link DescriptorLink#sendSegmented} writes it).
     *
     * @param segmentSize payload bytes of each segment to cut the frame into, 0 for a frame sent as it is; only on
     *                    rings with a virtio-net header.
     * @return {@code false} when that slot is not free: the ring is full of frames not yet kicked or still being
     * sent.
     */
    boolean send(
        final DirectBuffer first, final int firstOffset, final int firstLength,
        final DirectBuffer second, final int secondOffset, final int secondLength, final int segmentSize)
    {
        final int slot = sendBase + sent * frameSize;
        if ((ring.getIntVolatile(slot + STATUS_OFFSET) & SEND_STATUS_MASK) != TP_STATUS_AVAILABLE)
        {
            return false;
        }
        // the header is written whole (12 bytes); a 10-byte socket header's last two are the frame's, copied after
        if (segmentSize != 0)
        {
            VirtioNetHeader.writeTcpSegmentation(ring, slot + SEND_DATA_OFFSET, first, firstOffset, segmentSize);
        }
        else if (headerLength != 0)
        {
            VirtioNetHeader.write(ring, slot + SEND_DATA_OFFSET, 0);
        }
        final int data = slot + SEND_DATA_OFFSET + headerLength;
        ring.putBytes(data, first, firstOffset, firstLength);
        if (secondLength > 0)
        {
            ring.putBytes(data + firstLength, second, secondOffset, secondLength);
        }
        ring.putInt(slot + LENGTH_OFFSET, headerLength + firstLength + secondLength);
        ring.putIntRelease(slot + STATUS_OFFSET, TP_STATUS_SEND_REQUEST);
        sent = (sent + 1) & mask;
        kickDue = true;
        return true;
    }

    /**
     * @return whether frames wait in the transmit ring for a {@link #kick}.
     */
    boolean kickDue()
    {
        return kickDue;
    }

    /**
     * Hand the kernel the frames requested since the last kick, with one {@code send(2)}. A frame it refused as
     * malformed ({@code TP_STATUS_WRONG_FORMAT}; the kernel stops there) is counted and the frames behind it move
     * up a slot and go with another {@code send(2)}; when the kernel could take no more for now ({@code EAGAIN},
     * {@code ENOBUFS}) the rest wait for the next kick.
     *
     * @return 0, or the {@code errno} of a refusal that is not one of those.
     */
    int kick()
    {
        while (true)
        {
            kickDue = false;
            if (calls.send(fd, 0, 0, PacketSocketCalls.MSG_DONTWAIT) >= 0)
            {
                return 0;
            }
            final int errno = runtime.getLastError();
            if (errno == EAGAIN || errno == ENOBUFS)
            {
                kickDue = true;
                return 0;
            }
            if (!dropWrongFormat())
            {
                return errno;
            }
        }
    }

    /**
     * Find the frame the kernel stopped at as malformed, behind the frames still waiting to go; count it, and move
     * each of those up a slot into its place, so that the kernel, which goes on from that slot, sends them in order.
     *
     * @return {@code false} when no frame is marked malformed.
     */
    private boolean dropWrongFormat()
    {
        int bad = (sent - 1) & mask;
        for (int waiting = 0; waiting < mask && status(bad) == TP_STATUS_SEND_REQUEST; waiting++)
        {
            bad = (bad - 1) & mask;
        }
        if (status(bad) != TP_STATUS_WRONG_FORMAT)
        {
            return false;
        }
        wrongFormat.incrementRelease();
        for (int from = (bad + 1) & mask; from != sent; from = (from + 1) & mask)
        {
            final int source = sendBase + from * frameSize;
            final int target = sendBase + ((from - 1) & mask) * frameSize;
            final int length = ring.getInt(source + LENGTH_OFFSET);
            ring.putBytes(target + SEND_DATA_OFFSET, ring, source + SEND_DATA_OFFSET, length);
            ring.putInt(target + LENGTH_OFFSET, length);
            ring.putIntRelease(target + STATUS_OFFSET, TP_STATUS_SEND_REQUEST);
        }
        sent = (sent - 1) & mask;
        ring.putIntRelease(sendBase + sent * frameSize + STATUS_OFFSET, TP_STATUS_AVAILABLE);
        return true;
    }

    private int status(final int sendSlot)
    {
        return ring.getIntVolatile(sendBase + sendSlot * frameSize + STATUS_OFFSET) & SEND_STATUS_MASK;
    }

    /**
     * Unmap the rings; the socket, closed after, frees them.
     */
    public void close()
    {
        calls.munmap(address, mappedLength);
    }
}
