package io.ringstack.phy;

import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A device for tests: {@link #receive} hands over the frames a test {@link #inject}ed, each in a buffer of exactly
 * its own length (so that any read past the end of a frame fails Agrona's bounds check), and {@link #transmit}
 * copies every frame the engine sends into a list the test {@link #takeTransmitted takes}. Told to
 * {@link #answerArp answer ARP} for a peer, it replies to the engine's requests for that peer itself, so that a
 * script of the peer's frames never has to. Told to {@link #segmentOffload cut segments}, it offers segmentation
 * offload and takes frames up to that size, noting the segment size asked for each; told to {@link #lendMemory lend
 * memory}, it lends a buffer of its own for each such frame to be written in place, and fills it with 0xEE after
 * capturing what was written, so that nothing can rely on what an earlier frame left there. Single threaded: the
 * test thread is also the engine thread.
 */
public final class CapturingDevice implements NetworkDevice
{
    /** Where in its buffer a claim starts: not 0, so that an offset dropped on the way shows. */
    private static final int LENT_OFFSET = 128;

    private final String name;
    private final long macAddress;
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private final List<byte[]> transmitted = new ArrayList<>();
    private final List<Integer> segmentSizes = new ArrayList<>();
    private int segmentOffloadBytes;
    private int receiveOffloads;
    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private int transmitResult = TX_OK;
    private boolean answersArp;
    private boolean lendsMemory;
    private int framesWrittenInPlace;
    private final UnsafeBuffer lent = new UnsafeBuffer(new byte[LENT_OFFSET + EthernetFrame.HEADER_LENGTH + 0xFFFF]);
    private int arpPeerAddress;
    private long arpPeerMac;

    public CapturingDevice(final String name, final long macAddress)
    {
        this.name = name;
        this.macAddress = macAddress;
    }

    /**
     * Answer the engine's ARP requests for {@code peerAddress} with {@code peerMac} instead of transmitting them.
     *
     * @return this device.
     */
    public CapturingDevice answerArp(final int peerAddress, final long peerMac)
    {
        answersArp = true;
        arpPeerAddress = peerAddress;
        arpPeerMac = peerMac;
        return this;
    }

    /**
     * Fall silent ({@code false}) or answer again ({@code true}) for the peer set by {@link #answerArp(int, long)}:
     * while silent, the engine's requests are transmitted like any other frame, and nobody answers them.
     */
    public void answerArp(final boolean answers)
    {
        answersArp = answers;
    }

    /**
     * Offer segmentation offload of IP packets of up to {@code bytes}.
     *
     * @return this device.
     */
    public CapturingDevice segmentOffload(final int bytes)
    {
        segmentOffloadBytes = bytes;
        return this;
    }

    /**
     * Lend the engine a buffer of this device's own for each segment it has to cut ({@link #claimSegmented}), at an
     * offset other than 0, so that a frame written there is the one captured; or lend none, as by default.
     *
     * @return this device.
     */
    public CapturingDevice lendMemory(final boolean lends)
    {
        lendsMemory = lends;
        return this;
    }

    /**
     * @return how many frames were written in place in lent memory ({@link #commitSegmented}) since the device was
     * made.
     */
    public int framesWrittenInPlace()
    {
        return framesWrittenInPlace;
    }

    /**
     * @return the segment size the engine asked for with each frame transmitted since the last call (0 for a frame
     * to send as it is), oldest first; the device forgets them.
     */
    public List<Integer> takeSegmentSizes()
    {
        final List<Integer> sizes = new ArrayList<>(segmentSizes);
        segmentSizes.clear();
        return sizes;
    }

    /**
     * Hand every frame received from now on over with {@code offloads} ({@link FrameHandler#CHECKSUM_GOOD}), as a
     * device that checked its checksums does.
     *
     * @return this device.
     */
    public CapturingDevice receiveOffloads(final int offloads)
    {
        receiveOffloads = offloads;
        return this;
    }

    /**
     * Queue a frame for the engine to receive on its next duty cycle.
     */
    public void inject(final byte[] frame)
    {
        received.addLast(frame.clone());
    }

    /**
     * @return the frames transmitted since the last call, oldest first; the device forgets them.
     */
    public List<byte[]> takeTransmitted()
    {
        final List<byte[]> frames = new ArrayList<>(transmitted);
        transmitted.clear();
        segmentSizes.clear();
        return frames;
    }

    /**
     * @return frames transmitted and not yet taken.
     */
    public int transmittedCount()
    {
        return transmitted.size();
    }

    /**
     * @return frames injected and not yet received by the engine.
     */
    public int pendingReceive()
    {
        return received.size();
    }

    /**
     * Make every following {@link #transmit} return {@code result} (e.g. {@link #TX_RING_FULL}) without sending.
     */
    public void transmitResult(final int result)
    {
        transmitResult = result;
    }

    public String name()
    {
        return name;
    }

    public long macAddress()
    {
        return macAddress;
    }

    public int mtu()
    {
        return EthernetFrame.MAX_PAYLOAD_LENGTH;
    }

    public int receive(final FrameHandler handler, final int limit)
    {
        int count = 0;
        while (count < limit && !received.isEmpty())
        {
            final byte[] frame = received.removeFirst();
            count++;
            handler.onFrame(new UnsafeBuffer(frame), 0, frame.length, receiveOffloads);
        }
        return count;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        return capture(buffer, offset, length, 0, EthernetFrame.MAX_FRAME_LENGTH);
    }

    public int segmentOffloadBytes()
    {
        return segmentOffloadBytes;
    }

    public int transmitSegmented(final DirectBuffer buffer, final int offset, final int length, final int segmentSize)
    {
        return capture(buffer, offset, length, segmentSize,
            Math.max(EthernetFrame.MAX_FRAME_LENGTH, EthernetFrame.HEADER_LENGTH + segmentOffloadBytes));
    }

    public int claimSegmented(final int length)
    {
        return lendsMemory && transmitResult == TX_OK &&
            length <= EthernetFrame.HEADER_LENGTH + segmentOffloadBytes ? LENT_OFFSET : -1;
    }

    public MutableDirectBuffer transmitBuffer()
    {
        return lendsMemory ? lent : null;
    }

    public int commitSegmented(final int claimed, final int length, final int segmentSize)
    {
        if (claimed != LENT_OFFSET)
        {
            throw new AssertionError("committed at " + claimed + ", not where the claim said, " + LENT_OFFSET);
        }
        framesWrittenInPlace++;
        final int result = transmitSegmented(lent, claimed, length, segmentSize);
        lent.setMemory(0, lent.capacity(), (byte)0xEE);
        return result;
    }

    private int capture(
        final DirectBuffer buffer, final int offset, final int length, final int segmentSize, final int maxLength)
    {
        if (transmitResult != TX_OK)
        {
            return transmitResult;
        }
        if (length > maxLength)
        {
            return TX_OVERSIZE;
        }
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        if (!answeredArpRequest(frame))
        {
            transmitted.add(frame);
            segmentSizes.add(segmentSize);
        }
        return TX_OK;
    }

    /**
     * @return {@code true} when {@code frame} asks for the peer's MAC and the peer's reply is now queued.
     */
    private boolean answeredArpRequest(final byte[] frame)
    {
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        if (!answersArp || !ethernet.wrap(view, 0, frame.length) ||
            ethernet.etherType() != EthernetFrame.ETHER_TYPE_ARP ||
            arp.wrap(view, ethernet.payloadOffset(), ethernet.payloadLength()) != ArpPacket.VALID ||
            arp.operation() != ArpPacket.OPERATION_REQUEST || arp.targetAddress() != arpPeerAddress)
        {
            return false;
        }
        final UnsafeBuffer reply = new UnsafeBuffer(new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH]);
        EthernetFrame.writeHeader(reply, 0, macAddress, arpPeerMac, EthernetFrame.ETHER_TYPE_ARP);
        ArpPacket.write(reply, EthernetFrame.HEADER_LENGTH, ArpPacket.OPERATION_REPLY, arpPeerMac, arpPeerAddress,
            macAddress, arp.senderAddress());
        received.addLast(reply.byteArray());
        return true;
    }
}
