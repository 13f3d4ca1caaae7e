package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineTap;
import io.ringstack.wire.UdpDatagram;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.TestFrames.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A UDP datagram over the loopback ring carries no checksum unless {@link Setting#LOOPBACK_UDP_CHECKSUMS} asks for
 * one, as Linux's {@code lo} never sums what never leaves the host: its checksum field is zero, RFC 768's "no
 * checksum", and it is delivered whole. With the setting on (the value a journal recorded before the setting existed
 * replays with), the field holds a checksum that verifies over the pseudo-header and the datagram.
 */
class LoopbackUdpChecksumTest
{
    private static final int PORT = 7001;
    private static final int UDP_OFFSET = Ipv4Output.TRANSPORT_OFFSET;

    private final List<byte[]> loopbackFrames = new ArrayList<>();
    private EngineHarness harness;

    @AfterEach
    void stopEngine()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @Test
    void aDatagramOverLoopbackGoesWithAZeroChecksumFieldAndIsDelivered()
    {
        final byte[] frame = sendOverLoopback(false);

        assertEquals(UdpDatagram.NO_CHECKSUM, checksumField(frame));
    }

    @Test
    void withLoopbackUdpChecksumsOnADatagramOverLoopbackCarriesAChecksumThatVerifies()
    {
        final byte[] frame = sendOverLoopback(true);

        assertNotEquals(UdpDatagram.NO_CHECKSUM, checksumField(frame));
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int source = buffer.getInt(Ipv4Output.IP_OFFSET + 12, ByteOrder.BIG_ENDIAN);
        final int destination = buffer.getInt(Ipv4Output.IP_OFFSET + 16, ByteOrder.BIG_ENDIAN);
        final UdpDatagram datagram = new UdpDatagram();
        assertEquals(UdpDatagram.VALID, datagram.wrap(buffer, UDP_OFFSET, frame.length - UDP_OFFSET));
        assertTrue(datagram.isChecksumValid(source, destination));
    }

    /**
     * Send one datagram from one socket to another over 127.0.0.1 and check it arrived whole.
     *
     * @return the one frame the engine put on its loopback ring.
     */
    private byte[] sendOverLoopback(final boolean checksums)
    {
        harness = EngineHarness.start((context) -> context
            .set(Setting.LOOPBACK_UDP_CHECKSUMS, checksums ? 1 : 0)
            .tap(new LoopbackRecorder()));
        final int receiver = harness.boundUdpSocket(PORT);
        final int sender = harness.boundUdpSocket(0);

        harness.sendOverLoopbackAndReceive(sender, receiver, PORT, bytes(100, 0x3C));

        assertEquals(1, loopbackFrames.size(), harness::diagnostics);
        return loopbackFrames.get(0);
    }

    private static int checksumField(final byte[] frame)
    {
        return new UnsafeBuffer(frame).getShort(UDP_OFFSET + UdpDatagram.CHECKSUM_OFFSET, ByteOrder.BIG_ENDIAN) &
            0xFFFF;
    }

    /**
     * Keeps a copy of every frame sent over the loopback ring.
     */
    private final class LoopbackRecorder implements EngineTap
    {
        public void onTxFrame(
            final int interfaceId, final DirectBuffer buffer, final int offset, final int length, final int result)
        {
            if (interfaceId == FrameTap.INTERFACE_LOOPBACK)
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(offset, frame);
                loopbackFrames.add(frame);
            }
        }
    }
}
