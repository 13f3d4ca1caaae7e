package io.ringstack.tcp;

import io.ringstack.phy.FrameHandler;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire of a scripted peer: frames the test injects are received by the engine, each in a buffer of exactly its
 * own length; frames the engine transmits are kept for the test, except ARP requests for the peer, which the device
 * answers itself so that a script never has to. Single threaded: the test thread is the engine thread.
 */
final class ScriptedDevice implements NetworkDevice
{
    private final long macAddress;
    private final int peerAddress;
    private final long peerMac;
    private final ArrayDeque<byte[]> toReceive = new ArrayDeque<>();
    private final List<byte[]> transmitted = new ArrayList<>();

    ScriptedDevice(final long macAddress, final int peerAddress, final long peerMac)
    {
        this.macAddress = macAddress;
        this.peerAddress = peerAddress;
        this.peerMac = peerMac;
    }

    void inject(final byte[] frame)
    {
        toReceive.addLast(frame.clone());
    }

    int pendingReceive()
    {
        return toReceive.size();
    }

    List<byte[]> takeTransmitted()
    {
        final List<byte[]> frames = new ArrayList<>(transmitted);
        transmitted.clear();
        return frames;
    }

    public String name()
    {
        return "scripted0";
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
        while (count < limit && !toReceive.isEmpty())
        {
            final byte[] frame = toReceive.removeFirst();
            count++;
            handler.onFrame(new UnsafeBuffer(frame), 0, frame.length);
        }
        return count;
    }

    public int transmit(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] frame = new byte[length];
        buffer.getBytes(offset, frame);
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        final ArpPacket arp = new ArpPacket();
        if (view.getShort(EthernetFrame.ETHER_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) ==
            EthernetFrame.ETHER_TYPE_ARP &&
            arp.wrap(view, EthernetFrame.HEADER_LENGTH, length - EthernetFrame.HEADER_LENGTH) == ArpPacket.VALID &&
            arp.operation() == ArpPacket.OPERATION_REQUEST && arp.targetAddress() == peerAddress)
        {
            final UnsafeBuffer reply = new UnsafeBuffer(new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH]);
            EthernetFrame.writeHeader(reply, 0, macAddress, peerMac, EthernetFrame.ETHER_TYPE_ARP);
            ArpPacket.write(reply, EthernetFrame.HEADER_LENGTH, ArpPacket.OPERATION_REPLY, peerMac, peerAddress,
                macAddress, arp.senderAddress());
            toReceive.addLast(reply.byteArray());
            return TX_OK;
        }
        transmitted.add(frame);
        return TX_OK;
    }
}
