package io.ringstack.tcp;

import io.ringstack.errno.Errno;
import io.ringstack.socket.inet.TcpSocketFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keepalive (RFC 1122 4.2.3.6) with Linux's socket options: after {@code TCP_KEEPIDLE} of silence a probe
 * (SEQ = SND.UNA - 1, no data) every {@code TCP_KEEPINTVL}; {@code TCP_KEEPCNT} unanswered probes end the
 * connection with {@code ETIMEDOUT}; any answer starts the idle time again.
 */
class TcpKeepAliveScenarioTest
{
    private final TcpTestbed bed = TcpTestbed.start();
    private final ScriptedConnection connection =
        ConnectionSetup.active(bed).ourPort(40000).peerPort(80).peerWindowShift(0).open();

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void unansweredProbesEndTheConnection()
    {
        enableKeepAlive(10, 2, 3);

        final long idleMs = bed.advanceUntilSent(60_000_000_000L) / 1_000_000;
        assertTrue(Math.abs(idleMs - 10_000) <= 3, "first probe after the idle time: " + idleMs + " ms");
        final SentSegment probe = connection.expect();
        assertTrue(probe.is(FLAG_ACK) && probe.payload.length == 0, probe::toString);
        assertEquals(connection.ourNext - 1, probe.sequence);
        for (int i = 2; i <= 3; i++)
        {
            final long intervalMs = bed.advanceUntilSent(60_000_000_000L) / 1_000_000;
            assertTrue(Math.abs(intervalMs - 2000) <= 3, "probe " + i + " after " + intervalMs + " ms");
            connection.expect();
        }
        bed.advanceMillis(2010);

        assertEquals(-Errno.ETIMEDOUT, connection.readError());
        assertEquals(3, bed.counters().tcpKeepAliveProbes.get());
    }

    @Test
    void anAnsweredProbeKeepsTheConnection()
    {
        enableKeepAlive(10, 2, 3);
        bed.advanceUntilSent(60_000_000_000L);
        connection.expect();

        connection.peerAcksAll();
        bed.advanceMillis(9_000);
        bed.expectNothingSent();

        assertEquals(-Errno.EAGAIN, connection.readError(), "still connected");
    }

    private void enableKeepAlive(final int idleSeconds, final int intervalSeconds, final int probes)
    {
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), connection.fd, TcpSocketOptions.IPPROTO_TCP,
            TcpSocketOptions.TCP_KEEPIDLE, idleSeconds));
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), connection.fd, TcpSocketOptions.IPPROTO_TCP,
            TcpSocketOptions.TCP_KEEPINTVL, intervalSeconds));
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), connection.fd, TcpSocketOptions.IPPROTO_TCP,
            TcpSocketOptions.TCP_KEEPCNT, probes));
        assertEquals(0, TcpSocketFile.setOption(bed.sockets(), connection.fd, TcpSocketOptions.SOL_SOCKET,
            TcpSocketOptions.SO_KEEPALIVE, 1));
        bed.runUntilIdle();
    }
}
