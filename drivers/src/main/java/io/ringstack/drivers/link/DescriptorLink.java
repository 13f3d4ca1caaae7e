package io.ringstack.drivers.link;

import io.ringstack.drivers.virtio.VirtioNetHeader;
import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.Link;
import io.ringstack.phy.WireWait;
import jnr.ffi.Runtime;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.ringstack.drivers.link.DescriptorCalls.EAGAIN;

/**
 * A wire that is a non-blocking file descriptor the kernel hands one whole Ethernet frame per {@code read(2)} and
 * takes one per {@code write(2)}, without FCS: a TAP ({@link TapLink}) or an {@code AF_PACKET} socket
 * ({@link PacketLink}). The engine's duty cycle polls it in bursts; a read that finds nothing answers
 * {@code EAGAIN} and ends the burst.
 * <p>
 * Both paths allocate nothing: a frame is read into a preallocated direct buffer and handed on from there, and one
 * to send is written straight from the caller's memory when it is off-heap (copied into a preallocated direct
 * buffer first otherwise). Every read, write, {@code EAGAIN}, short write and error is counted in
 * {@link LinkCounters}; an error that says the interface is gone ({@link #isGone}) is counted once as the link going
 * down, after which the link carries nothing and no exception escapes.
 * <p>
 * A descriptor opened with a virtio-net header ({@link VirtioNetHeader}, a TAP's {@code IFF_VNET_HDR}) carries one
 * before each frame both ways. A frame goes out behind a zeroed header, or, for a TCP segment larger than the MTU
 * ({@link #sendSegmented}), behind one that asks the kernel to cut it and finish its checksums, in one
 * {@code writev(2)} of the header and the frame. A frame read has its header looked at and is handed on without
 * it: a TCP segment larger than the MTU ({@code GSO_TCPV4}) whole, or cut to the MTU by the link
 * ({@link TcpSegmentCutter}) for a reader that takes no such segments, a checksum the kernel left partial
 * ({@code NEEDS_CSUM}: the pseudo-header's sum in the field) finished first, so that every frame handed on holds
 * the checksums a wire would carry and the journal holds what any replay can check. A frame the kernel vouched for,
 * one with {@code NEEDS_CSUM} (data that never crossed a wire) or {@code DATA_VALID} (checked by the kernel), and
 * each piece cut from it, is handed on with {@link FrameHandler#CHECKSUM_GOOD}, so that a device model with receive
 * checksum offload reports it checked and the engine does not sum it a second time. A frame that asks for what the
 * link did not offer (another segmentation, a checksum field outside the frame) is counted in
 * {@code link_rx_offload_refused} and not handed on.
 */
public abstract class DescriptorLink implements Link
{
    /** Room for any frame a descriptor hands over: an IP packet of up to 65535 bytes behind a VLAN-tagged header. */
    static final int MAX_FRAME = 0xFFFF + 18;
    /** {@code sizeof(struct iovec)} on a 64-bit host: a base address and a length. */
    private static final int IOVEC_LENGTH = 16;

    private final DescriptorCalls calls;
    private final Runtime runtime;
    private final String interfaceName;
    private final LinkCounters counters;
    private final UnsafeBuffer receiveView =
        new UnsafeBuffer(ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH + MAX_FRAME));
    private final UnsafeBuffer sendView = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_FRAME));
    private final int headerLength;
    private final UnsafeBuffer sendHeader = new UnsafeBuffer(ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH));
    private final UnsafeBuffer vectors = new UnsafeBuffer(ByteBuffer.allocateDirect(3 * IOVEC_LENGTH));
    private final ReceivedOffload receivedOffload;
    private int fd;
    private boolean up = true;
    private boolean wireWaitMade;
    private DescriptorWireWait wireWait;
    private DescriptorWireWait pairWait;

    DescriptorLink(
        final DescriptorCalls calls, final int fd, final String interfaceName, final LinkCounters counters)
    {
        this(calls, fd, interfaceName, counters, 0);
    }

    /**
     * @param virtioNetHeaderLength bytes of the {@link VirtioNetHeader} that goes before each frame both ways: its
     *                              12 bytes on a TAP, the 10 without {@code num_buffers} on a packet socket
     *                              ({@code PACKET_VNET_HDR}), or 0 for none.
     */
    DescriptorLink(
        final DescriptorCalls calls,
        final int fd,
        final String interfaceName,
        final LinkCounters counters,
        final int virtioNetHeaderLength)
    {
        this.calls = calls;
        this.runtime = Runtime.getRuntime(calls);
        this.fd = fd;
        this.interfaceName = interfaceName;
        this.counters = counters;
        headerLength = virtioNetHeaderLength;
        receivedOffload = new ReceivedOffload(counters);
        vectors.putLong(0, sendHeader.addressOffset(), ByteOrder.nativeOrder());
        vectors.putLong(Long.BYTES, headerLength, ByteOrder.nativeOrder());
    }

    /**
     * Set iovec {@code index} to {@code length} bytes at {@code address}.
     *
     * @return the number of iovecs set.
     */
    private int putVector(final int index, final long address, final int length)
    {
        vectors.putLong(index * IOVEC_LENGTH, address, ByteOrder.nativeOrder());
        vectors.putLong(index * IOVEC_LENGTH + Long.BYTES, length, ByteOrder.nativeOrder());
        return index + 1;
    }

    /**
     * @return the exception every link opening throws: one line, {@code cannot open KIND link NAME: REASON}.
     */
    static UncheckedIOException failure(final String kind, final String interfaceName, final String reason)
    {
        final String message = "cannot open " + kind + " link " + interfaceName + ": " + reason;
        return new UncheckedIOException(message, new IOException(message));
    }

    public final String interfaceName()
    {
        return interfaceName;
    }

    public final LinkCounters counters()
    {
        return counters;
    }

    /**
     * @return {@code false} once the interface has gone away or the link is closed.
     */
    public final boolean isUp()
    {
        return up;
    }

    public boolean send(final DirectBuffer frame, final int offset, final int length)
    {
        if (headerLength != 0)
        {
            VirtioNetHeader.write(sendHeader, 0, 0);
        }
        return write(frame, offset, length);
    }

    /**
     * @return 65535 when the descriptor carries a virtio-net header, through which the kernel cuts a larger TCP
     * segment itself; else 0.
     */
    public final int segmentOffloadBytes()
    {
        return headerLength == 0 ? 0 : 0xFFFF;
    }

    /**
     * Write an IPv4 TCP segment larger than the MTU for the kernel to cut into segments of {@code segmentSize}
     * payload bytes and to finish the checksum of each, as it does for a segment a guest's virtio-net driver hands
     * it with {@code GSO_TCPV4} ({@code virtio_net_hdr_to_skb}). Refused without a virtio-net header.
     */
    public boolean sendSegmented(final DirectBuffer frame, final int offset, final int length,
        final int segmentSize)
    {
        return sendSegmented(frame, offset, length, frame, offset + length, 0, segmentSize);
    }

    /**
     * {@link #sendSegmented(DirectBuffer, int, int, int)} of a segment in two pieces, written with the header in one
     * {@code writev(2)} of three iovecs when both pieces are off the heap.
     */
    public boolean sendSegmented(
        final DirectBuffer headers, final int headersOffset, final int headersLength,
        final DirectBuffer payload, final int payloadOffset, final int payloadLength, final int segmentSize)
    {
        if (headerLength == 0)
        {
            return false;
        }
        VirtioNetHeader.writeTcpSegmentation(sendHeader, 0, headers, headersOffset, segmentSize);
        return write(headers, headersOffset, headersLength, payload, payloadOffset, payloadLength);
    }

    private boolean write(final DirectBuffer frame, final int offset, final int length)
    {
        return write(frame, offset, length, frame, offset + length, 0);
    }

    /**
     * Write the frame made of {@code first} then {@code second} (of 0 bytes for a frame in one piece), behind the
     * virtio-net header if the descriptor carries one: one iovec per piece, or one copy of both when either is on
     * the heap.
     */
    private boolean write(
        final DirectBuffer first, final int firstOffset, final int firstLength,
        final DirectBuffer second, final int secondOffset, final int secondLength)
    {
        final int length = firstLength + secondLength;
        if (!up || length > MAX_FRAME)
        {
            return false;
        }
        int pieces = headerLength == 0 ? 0 : 1;
        if (first.byteArray() != null || secondLength > 0 && second.byteArray() != null)
        {
            sendView.putBytes(0, first, firstOffset, firstLength);
            if (secondLength > 0)
            {
                sendView.putBytes(firstLength, second, secondOffset, secondLength);
            }
            pieces = putVector(pieces, sendView.addressOffset(), length);
        }
        else
        {
            pieces = putVector(pieces, first.addressOffset() + firstOffset, firstLength);
            if (secondLength > 0)
            {
                pieces = putVector(pieces, second.addressOffset() + secondOffset, secondLength);
            }
        }
        final long written = pieces == 1 ?
            calls.write(fd, vectors.getLong(0, ByteOrder.nativeOrder()), length) :
            calls.writev(fd, vectors.addressOffset(), pieces);
        if (written == headerLength + length)
        {
            counters.txFrames.incrementRelease();
            return true;
        }
        if (written >= 0)
        {
            counters.txShort.incrementRelease();
        }
        else
        {
            failed(runtime.getLastError(), counters.txEagain);
        }
        return false;
    }

    public int poll(final FrameHandler handler, final int limit)
    {
        int frames = 0;
        while (up && frames < limit)
        {
            if (receivedOffload.hasPiece())
            {
                receivedOffload.nextPiece(handler);
                frames++;
                continue;
            }
            final long read = calls.read(fd, receiveView.addressOffset(), headerLength + MAX_FRAME);
            if (read < 0)
            {
                final int errno = runtime.getLastError();
                failed(errno, counters.rxEagain);
                if (errno == EAGAIN)
                {
                    onDrained();
                }
                break;
            }
            counters.rxFrames.incrementRelease();
            if (headerLength == 0)
            {
                handler.onFrame(receiveView, 0, (int)read);
                frames++;
            }
            else if (read < headerLength)
            {
                counters.rxOffloadRefused.incrementRelease();
                frames++;
            }
            else if (!receivedOffload.take(receiveView, 0, headerLength, (int)read - headerLength))
            {
                frames++;
            }
            else if (!receivedOffload.hasPiece())
            {
                handler.onFrame(receiveView, headerLength, (int)read - headerLength, receivedOffload.offloads());
                frames++;
            }
        }
        return frames;
    }

    /**
     * With a virtio-net header, hand over the TCP segments larger than the MTU that the kernel hands the link whole
     * ({@code true}), or cut them first into the segments the kernel would have cut ({@code false}), for a reader
     * without buffers for them. Called while the reader is set up, never on the frame path.
     *
     * @return whether they are now handed over whole: never without a virtio-net header.
     */
    public final boolean receiveSegments(final boolean whole)
    {
        receivedOffload.cutSegments(headerLength != 0 && !whole);
        return headerLength != 0 && whole;
    }

    /**
     * @return what takes the offloads a virtio-net header asks of a frame read, for a subclass that reads frames
     * another way ({@link PacketRings}).
     */
    final ReceivedOffload receivedOffload()
    {
        return receivedOffload;
    }

    /**
     * Called on the link's thread each time a poll has read everything the kernel held; a place for a cheap
     * look at the kernel's own counters. Must not allocate.
     */
    void onDrained()
    {
    }

    /**
     * @return whether {@code errno}, answered by a read or a write, means the interface is gone for good.
     */
    abstract boolean isGone(int errno);

    final int fd()
    {
        return fd;
    }

    /**
     * Count a read or write that failed with {@code errno}: under {@code eagain} when the kernel had nothing or no
     * room for now, as the link going down when the interface is gone ({@link #isGone}), else as an error.
     */
    final void failed(final int errno, final AtomicCounter eagain)
    {
        if (errno == EAGAIN)
        {
            eagain.incrementRelease();
        }
        else if (isGone(errno))
        {
            up = false;
            counters.down.incrementRelease();
        }
        else
        {
            counters.errors.incrementRelease();
        }
    }

    /**
     * @return a wait in the kernel for a frame on this descriptor ({@link DescriptorWireWait}), made on the first
     * call and closed with the link; {@code null} once the link is closed, or when no event descriptor could be made.
     */
    public final WireWait wireWait()
    {
        if (!wireWaitMade && fd >= 0)
        {
            wireWaitMade = true;
            wireWait = DescriptorWireWait.on(calls, fd);
        }
        return wireWait;
    }

    /**
     * @return a wait in the kernel for a frame on this descriptor or on {@code other}'s, when it is a descriptor link
     * too, made on the first call and closed with this link; else {@code null}.
     */
    public final WireWait wireWaitWith(final Link other)
    {
        if (pairWait == null && fd >= 0 && other instanceof DescriptorLink && ((DescriptorLink)other).fd >= 0)
        {
            pairWait = DescriptorWireWait.on(calls, fd, ((DescriptorLink)other).fd);
        }
        return pairWait;
    }

    public void close()
    {
        if (fd >= 0)
        {
            if (wireWait != null)
            {
                wireWait.close();
            }
            if (pairWait != null)
            {
                pairWait.close();
            }
            calls.close(fd);
            fd = -1;
            up = false;
        }
    }
}
