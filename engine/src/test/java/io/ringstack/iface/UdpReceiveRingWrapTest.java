package io.ringstack.iface;

import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A non-blocking receive never answers EAGAIN while a datagram waits, including when the socket ring's head is the
 * padding record before a wrap.
 */
class UdpReceiveRingWrapTest
{
    private static final int PORT = 4000;

    private final EngineHarness harness = EngineHarness.start();

    @AfterEach
    void close()
    {
        harness.close();
    }

    @Test
    void nonBlockingReceiveFindsEveryDatagramAcrossManyRingWraps()
    {
        final Sockets sockets = harness.sockets();
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM | SocketConstants.SOCK_NONBLOCK,
            0);
        assertEquals(0, sockets.bind(fd, SockAddr.inet(0, PORT)));
        final byte[] buffer = new byte[64];
        for (int i = 0; i < 5_000; i++)
        {
            harness.receive(udp(40000, PORT, bytes(22, i)));
            assertEquals(22, sockets.recvfrom(fd, buffer, 0, buffer.length, 0, null),
                "datagram " + i + " was queued, so the first non-blocking receive must return it");
            assertEquals((byte)i, buffer[0], "datagram " + i);
        }
    }
}
