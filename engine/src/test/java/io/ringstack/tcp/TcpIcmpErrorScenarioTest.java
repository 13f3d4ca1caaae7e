package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.socket.SockAddr;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.ringstack.tcp.IcmpErrorFrame.CODE_HOST_UNREACHABLE;
import static io.ringstack.tcp.IcmpErrorFrame.CODE_PORT_UNREACHABLE;
import static io.ringstack.tcp.IcmpErrorFrame.TYPE_SOURCE_QUENCH;
import static io.ringstack.tcp.IcmpErrorFrame.TYPE_TIME_EXCEEDED;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ICMP destination unreachable and TCP (RFC 1122 4.2.3.9, RFC 5927), as Linux's {@code tcp_v4_err} reacts: a
 * connect fails at once with the error of the code; an established connection only remembers a soft error, which
 * replaces {@code ETIMEDOUT} if it times out; an error whose quote names no connection, or a sequence number not in
 * flight, is a counted drop; source quench is ignored (RFC 6633).
 */
class TcpIcmpErrorScenarioTest
{
    private static final int OUR_PORT = 40000;
    private static final int PEER_PORT = 80;
    private static final long INITIAL_RTO_NS = TimeUnit.SECONDS.toNanos(1);

    private TcpTestbed bed;

    @BeforeEach
    void start()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_MAX_RETRANSMISSIONS, 3));
    }

    @AfterEach
    void close()
    {
        bed.close();
    }

    @ParameterizedTest(name = "code {0} fails the connect with {1}")
    @CsvSource({
        "0, ENETUNREACH",
        "1, EHOSTUNREACH",
        "2, ENOPROTOOPT",
        "3, ECONNREFUSED",
        "6, ENETUNREACH",
        "7, EHOSTDOWN",
        "10, EHOSTUNREACH",
        "13, EHOSTUNREACH",
    })
    void anUnreachableAnsweringTheSynFailsTheConnectAtOnce(final int code, final String error)
    {
        final long startNs = bed.nowNs();
        final int fd = bed.connect(OUR_PORT, PEER_PORT);
        final byte[] syn = onlyFrameSent();
        bed.advanceMillis(5);

        bed.receive(IcmpErrorFrame.quoting(syn).code(code).frame());

        assertEquals(-errno(error), bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, PEER_PORT)));
        assertTrue(bed.nowNs() - startNs < INITIAL_RTO_NS, "failed within the first RTO");
        assertEquals(1, bed.counters().tcpIcmpConnectFailures.get());
        bed.advanceMillis(5000);
        bed.expectNothingSent();
        assertEquals(0, bed.counters().tcpRetransmittedSegments.get(), "no SYN retransmitted");
    }

    @Test
    void anUnreachableInSynReceivedOfASimultaneousOpenFailsTheConnect()
    {
        final int fd = bed.connect(OUR_PORT, PEER_PORT);
        onlyFrameSent();
        bed.send(bed.segment(PEER_PORT, OUR_PORT, FLAG_SYN).seq(ScriptedConnection.PEER_ISN).mss(1460));
        final byte[] synAck = onlyFrameSent();

        bed.receive(IcmpErrorFrame.quoting(synAck).code(CODE_PORT_UNREACHABLE).frame());

        assertEquals(-Errno.ECONNREFUSED,
            bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, PEER_PORT)));
        assertEquals(1, bed.counters().tcpIcmpConnectFailures.get());
    }

    @ParameterizedTest(name = "SYN-SENT, quoted sequence ISS{0}")
    @ValueSource(ints = { -1, 2, 0x4000_0000 })
    void aBlindUnreachableQuotingASequenceNumberNotInFlightIsDropped(final int offsetFromIss)
    {
        final int fd = bed.connect(OUR_PORT, PEER_PORT);
        final byte[] syn = onlyFrameSent();
        final int iss = SentSegment.parse(syn).sequence;

        bed.receive(IcmpErrorFrame.quoting(syn).code(CODE_PORT_UNREACHABLE).quotedSequence(iss + offsetFromIss)
            .frame());

        assertEquals(1, bed.drops(DropReason.ICMP_TCP_OUT_OF_WINDOW));
        assertEquals(-Errno.EALREADY, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, PEER_PORT)),
            "the connect goes on");
        bed.send(bed.segment(PEER_PORT, OUR_PORT, FLAG_SYN | FLAG_ACK).seq(ScriptedConnection.PEER_ISN)
            .ack(iss + 1).mss(1460));
        assertEquals(0, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, PEER_PORT)));
    }

    @ParameterizedTest(name = "established, quoted sequence {0} of SND.UNA..SND.MAX")
    @CsvSource({ "before SND.UNA, -1", "past SND.MAX, 5" })
    void aBlindUnreachableOnAnEstablishedConnectionIsDroppedAndLeavesNoSoftError(final String where, final int offset)
    {
        final ScriptedConnection connection = open();
        connection.write("data");
        final byte[] segment = onlyFrameSent();
        final int sequence = SentSegment.parse(segment).sequence;
        final int quoted = offset < 0 ? sequence + offset : sequence + "data".length() + offset;

        bed.receive(IcmpErrorFrame.quoting(segment).code(CODE_HOST_UNREACHABLE).quotedSequence(quoted).frame());

        assertEquals(1, bed.drops(DropReason.ICMP_TCP_OUT_OF_WINDOW));
        timeOutEveryRetransmission();
        assertEquals(-Errno.ETIMEDOUT, connection.readError());
    }

    @Test
    void anUnreachableQuotingAnotherPortNamesNoConnection()
    {
        final int fd = bed.connect(OUR_PORT, PEER_PORT);
        final byte[] syn = onlyFrameSent();
        syn[14 + 20 + 3]++; // the quoted destination port's low byte: a connection to PEER_PORT + 1

        bed.receive(IcmpErrorFrame.quoting(syn).code(CODE_PORT_UNREACHABLE).frame());

        assertEquals(1, bed.drops(DropReason.ICMP_ERROR_NOT_REPORTED));
        assertEquals(-Errno.EALREADY, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, PEER_PORT)));
    }

    @Test
    void onAnEstablishedConnectionAnUnreachableIsASoftErrorThatReplacesEtimedout()
    {
        final ScriptedConnection connection = open();
        connection.write("data");
        final byte[] segment = onlyFrameSent();

        bed.receive(IcmpErrorFrame.quoting(segment).code(CODE_HOST_UNREACHABLE).frame());

        assertEquals(0, bed.counters().tcpIcmpConnectFailures.get());
        assertEquals(0, bed.drops(DropReason.ICMP_ERROR_NOT_REPORTED));
        assertEquals(-Errno.EAGAIN, connection.readError(), "the connection goes on");
        assertEquals(4, connection.write("more"), "and takes data");
        timeOutEveryRetransmission();
        assertEquals(-Errno.EHOSTUNREACH, connection.readError(), "the soft error, not ETIMEDOUT");
    }

    @Test
    void aTimeExceededAnsweringTheSynFailsTheConnectWithEhostunreach()
    {
        final int fd = bed.connect(OUR_PORT, PEER_PORT);

        bed.receive(IcmpErrorFrame.quoting(onlyFrameSent()).type(TYPE_TIME_EXCEEDED).frame());

        assertEquals(-Errno.EHOSTUNREACH,
            bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, PEER_PORT)));
    }

    @Test
    void onAnEstablishedConnectionATimeExceededIsASoftError()
    {
        final ScriptedConnection connection = open();
        connection.write("data");

        bed.receive(IcmpErrorFrame.quoting(onlyFrameSent()).type(TYPE_TIME_EXCEEDED).frame());

        assertEquals(-Errno.EAGAIN, connection.readError(), "the connection goes on");
        timeOutEveryRetransmission();
        assertEquals(-Errno.EHOSTUNREACH, connection.readError());
    }

    @Test
    void anAcceptableAckForgetsTheSoftError()
    {
        final ScriptedConnection connection = open();
        connection.write("data");
        bed.receive(IcmpErrorFrame.quoting(onlyFrameSent()).code(CODE_PORT_UNREACHABLE).frame());
        connection.ourNext += "data".length();
        connection.peerAcksAll();

        connection.write("lost");
        bed.runUntilIdle();
        bed.device().takeTransmitted();
        timeOutEveryRetransmission();

        assertEquals(-Errno.ETIMEDOUT, connection.readError());
    }

    @Test
    void sourceQuenchIsIgnored()
    {
        final ScriptedConnection connection = open();
        connection.write("data");
        final byte[] segment = onlyFrameSent();

        bed.receive(IcmpErrorFrame.quoting(segment).type(TYPE_SOURCE_QUENCH).frame());

        assertEquals(1, bed.drops(DropReason.ICMP_SOURCE_QUENCH));
        timeOutEveryRetransmission();
        assertEquals(-Errno.ETIMEDOUT, connection.readError());
    }

    private ScriptedConnection open()
    {
        return ConnectionSetup.active(bed).ourPort(OUR_PORT).peerPort(PEER_PORT).open();
    }

    /**
     * Let the three retransmissions the testbed allows go unanswered: 200, 400, 800 and 1600 ms of back-off.
     */
    private void timeOutEveryRetransmission()
    {
        bed.advanceMillis(200 + 400 + 800 + 1600 + 10);
        assertEquals(1, bed.counters().tcpConnectionTimeouts.get(), "the connection timed out");
    }

    private byte[] onlyFrameSent()
    {
        bed.runUntilIdle();
        final List<byte[]> frames = bed.device().takeTransmitted();
        assertEquals(1, frames.size(), "frames sent");
        return frames.get(0);
    }

    private static int errno(final String name)
    {
        try
        {
            return Errno.class.getField(name).getInt(null);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError("no errno " + name, ex);
        }
    }
}
