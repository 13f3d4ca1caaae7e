package io.ringstack.drivers.e1000;

import io.ringstack.drivers.GuestMemory;
import io.ringstack.drivers.OffloadingLink;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.ringstack.drivers.e1000.E1000Registers.*;

/**
 * An {@link E1000Device} on a test bench, with no driver: the test plays the guest (registers, rings in guest
 * memory) and holds the far end of the device's wire, to put frames on it and see what the device sent.
 */
final class E1000Bench implements AutoCloseable
{
    static final long MAC = 0x5254_0012_3456L;
    static final int GUEST_MEMORY_SIZE = E1000Driver.GUEST_MEMORY_LENGTH;
    /** Bytes per direction of a bench cable: room for hundreds of full frames. */
    static final int WIRE_CAPACITY = 1 << 20;
    /** The command of a one-descriptor frame whose completion is reported. */
    static final int EOP_IFCS_RS = E1000TxDescriptor.CMD_EOP | E1000TxDescriptor.CMD_IFCS | E1000TxDescriptor.CMD_RS;

    final GuestMemory memory = GuestMemory.allocate(GUEST_MEMORY_SIZE);
    final CountersManager countersManager = newCountersManager();
    final Link[] wire;
    /** The device's end of the wire: what it receives it gets with the offloads set here. */
    final OffloadingLink deviceWire;
    final E1000Device device;

    E1000Bench()
    {
        this(E1000Eeprom.forMac(MAC), WIRE_CAPACITY);
    }

    E1000Bench(final E1000Eeprom eeprom, final int wireCapacity)
    {
        wire = Cable.ends(wireCapacity);
        deviceWire = new OffloadingLink(wire[0]);
        device = new E1000Device("e1000.bench", memory, deviceWire, countersManager, eeprom);
    }

    static CountersManager newCountersManager()
    {
        final int counters = 64;
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.COUNTER_LENGTH)));
    }

    /**
     * PCI memory space and bus mastering on, as firmware and driver would.
     */
    E1000Bench enable()
    {
        device.config().write16(PciConfigSpace.COMMAND_OFFSET,
            PciConfigSpace.COMMAND_MEMORY_SPACE | PciConfigSpace.COMMAND_BUS_MASTER);
        return this;
    }

    /**
     * {@link #enable} and CTRL.SLU: registers decoded, DMA allowed, link up.
     */
    E1000Bench up()
    {
        enable();
        device.mmioWrite(CTRL, CTRL_SLU | CTRL_ASDE);
        return this;
    }

    /**
     * A receive ring of {@code count} descriptors, each with a buffer of {@code bufferSize} bytes filled with
     * {@code 0xEE}; RDH = 0 and RDT = {@code tail}.
     *
     * @return the guest-physical address of the ring.
     */
    long receiveRing(final int count, final int bufferSize, final int tail)
    {
        final long ring = memory.allocate(count * E1000RxDescriptor.LENGTH, 128);
        memory.buffer().setMemory(memory.offsetOf(ring), count * E1000RxDescriptor.LENGTH, (byte)0);
        for (int i = 0; i < count; i++)
        {
            final long buffer = memory.allocate(bufferSize, 16);
            memory.buffer().setMemory(memory.offsetOf(buffer), bufferSize, (byte)0xEE);
            memory.putLong(rxDescriptor(ring, i) + E1000RxDescriptor.BUFFER_ADDRESS_OFFSET, buffer);
        }
        device.mmioWrite(RDBAL, (int)ring);
        device.mmioWrite(RDBAH, (int)(ring >>> 32));
        device.mmioWrite(RDLEN, count * E1000RxDescriptor.LENGTH);
        device.mmioWrite(RDH, 0);
        device.mmioWrite(RDT, tail);
        return ring;
    }

    /**
     * A zeroed transmit ring of {@code count} descriptors with TDH = TDT = 0, transmitter enabled with padding.
     *
     * @return the guest-physical address of the ring.
     */
    long transmitRing(final int count)
    {
        final long ring = memory.allocate(count * E1000TxDescriptor.LENGTH, 128);
        memory.buffer().setMemory(memory.offsetOf(ring), count * E1000TxDescriptor.LENGTH, (byte)0);
        device.mmioWrite(TDBAL, (int)ring);
        device.mmioWrite(TDBAH, (int)(ring >>> 32));
        device.mmioWrite(TDLEN, count * E1000TxDescriptor.LENGTH);
        device.mmioWrite(TDH, 0);
        device.mmioWrite(TDT, 0);
        device.mmioWrite(TCTL, E1000Driver.TCTL_VALUE);
        return ring;
    }

    static long rxDescriptor(final long ring, final int index)
    {
        return ring + (long)index * E1000RxDescriptor.LENGTH;
    }

    static long txDescriptor(final long ring, final int index)
    {
        return ring + (long)index * E1000TxDescriptor.LENGTH;
    }

    /**
     * Copy {@code frame} into fresh guest memory and describe it in transmit descriptor {@code index}.
     */
    void describe(final long ring, final int index, final byte[] frame, final int command)
    {
        final long buffer = memory.allocate(Math.max(frame.length, 1), 16);
        memory.write(buffer, new UnsafeBuffer(frame), 0, frame.length);
        describe(ring, index, buffer, frame.length, command);
    }

    void describe(final long ring, final int index, final long buffer, final int length, final int command)
    {
        final long descriptor = txDescriptor(ring, index);
        memory.putLong(descriptor + E1000TxDescriptor.BUFFER_ADDRESS_OFFSET, buffer);
        memory.putShort(descriptor + E1000TxDescriptor.LENGTH_OFFSET, length);
        memory.putByte(descriptor + E1000TxDescriptor.CMD_OFFSET, command);
        memory.putByte(descriptor + E1000TxDescriptor.STATUS_OFFSET, 0);
    }

    /**
     * Write a TCP/IP context descriptor (8254x SDM 3.3.6) with RS into descriptor {@code index}: IP checksum
     * {@code ipcss}/{@code ipcso}/{@code ipcse}, TCP/UDP checksum {@code tucss}/{@code tucso}/{@code tucse}.
     */
    void describeContext(final long ring, final int index, final int[] ip, final int[] tcp, final int payloadLength,
        final int command, final int headerLength, final int mss)
    {
        final long descriptor = txDescriptor(ring, index);
        memory.putByte(descriptor + E1000TxContextDescriptor.IPCSS_OFFSET, ip[0]);
        memory.putByte(descriptor + E1000TxContextDescriptor.IPCSO_OFFSET, ip[1]);
        memory.putShort(descriptor + E1000TxContextDescriptor.IPCSE_OFFSET, ip[2]);
        memory.putByte(descriptor + E1000TxContextDescriptor.TUCSS_OFFSET, tcp[0]);
        memory.putByte(descriptor + E1000TxContextDescriptor.TUCSO_OFFSET, tcp[1]);
        memory.putShort(descriptor + E1000TxContextDescriptor.TUCSE_OFFSET, tcp[2]);
        memory.putInt(descriptor + E1000TxContextDescriptor.PAYLEN_OFFSET, payloadLength |
            (E1000TxDescriptor.CMD_DEXT | E1000TxDescriptor.CMD_RS | command) << 24);
        memory.putByte(descriptor + E1000TxContextDescriptor.STATUS_OFFSET, 0);
        memory.putByte(descriptor + E1000TxContextDescriptor.HDRLEN_OFFSET, headerLength);
        memory.putShort(descriptor + E1000TxContextDescriptor.MSS_OFFSET, mss);
    }

    /**
     * Copy {@code bytes} into fresh guest memory and describe them in data descriptor {@code index} (8254x SDM
     * 3.3.7) with DEXT and RS besides {@code command}, and {@code options} as POPTS.
     */
    void describeData(final long ring, final int index, final byte[] bytes, final int command, final int options)
    {
        final long buffer = memory.allocate(Math.max(bytes.length, 1), 16);
        memory.write(buffer, new UnsafeBuffer(bytes), 0, bytes.length);
        final long descriptor = txDescriptor(ring, index);
        memory.putLong(descriptor + E1000TxDataDescriptor.BUFFER_ADDRESS_OFFSET, buffer);
        memory.putInt(descriptor + E1000TxDataDescriptor.LENGTH_OFFSET, bytes.length |
            E1000TxDataDescriptor.DTYP_DATA << E1000TxDataDescriptor.TYPE_SHIFT |
            (E1000TxDescriptor.CMD_DEXT | E1000TxDescriptor.CMD_RS | command) << 24);
        memory.putByte(descriptor + E1000TxDataDescriptor.STATUS_OFFSET, 0);
        memory.putByte(descriptor + E1000TxDataDescriptor.POPTS_OFFSET, options);
    }

    /**
     * Put a frame on the wire towards the device.
     */
    void sendToDevice(final byte[] frame)
    {
        if (!wire[1].send(new UnsafeBuffer(frame), 0, frame.length))
        {
            throw new IllegalStateException("bench wire full");
        }
    }

    /**
     * @return every frame the device has put on the wire since the last call.
     */
    List<byte[]> sentByDevice()
    {
        final List<byte[]> frames = new ArrayList<>();
        wire[1].poll((buffer, offset, length) ->
        {
            final byte[] frame = new byte[length];
            buffer.getBytes(offset, frame);
            frames.add(frame);
        }, Integer.MAX_VALUE);
        return frames;
    }

    /**
     * @return the {@code length} bytes of guest memory at {@code address}.
     */
    byte[] guestBytes(final long address, final int length)
    {
        final byte[] bytes = new byte[length];
        memory.buffer().getBytes(memory.offsetOf(address), bytes);
        return bytes;
    }

    /**
     * A frame whose bytes are a function of {@code seed} and their index, so a copy can be checked whole.
     */
    static byte[] frame(final int length, final int seed)
    {
        final byte[] frame = new byte[length];
        for (int i = 0; i < length; i++)
        {
            frame[i] = (byte)(seed * 31 + i * 7);
        }
        return frame;
    }

    public void close()
    {
        device.close();
        memory.close();
    }
}
