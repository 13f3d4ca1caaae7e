package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.socket.SockAddr;
import io.ringstack.wire.Ipv4Packet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.tcp.ScriptedConnection.PEER_ISN;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_CWR;
import static io.ringstack.wire.TcpSegment.FLAG_ECE;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explicit Congestion Notification (RFC 3168 section 6.1), frame by frame, as Linux's {@code net.ipv4.tcp_ecn}
 * settles it: 0 off, 1 asks on active opens and accepts, 2 (the default) accepts only. Golden values: the TCP flags
 * byte of an ECN-setup SYN is 0xC2 (CWR 0x80 | ECE 0x40 | SYN), of an ECN-setup SYN-ACK 0x52 (ECE | ACK | SYN); the
 * IPv4 header's second octet is 0x02 for ECT(0) and 0x03 for CE (RFC 3168 section 5, figure 1).
 */
class TcpEcnScenarioTest
{
    private static final int ECN_SETUP_SYN_FLAGS = 0xC2;
    private static final int ECN_SETUP_SYN_ACK_FLAGS = 0x52;
    private static final int TOS_NOT_ECT = 0x00;
    private static final int TOS_ECT_0 = 0x02;
    private static final int PAYLOAD = 1460;
    private static final int RTT_MS = 10;

    private TcpTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    // ------------------------------------------------------------------------------------ handshake (6.1.1)

    @Test
    void anEcnSetupSynGetsAnEcnSetupSynAckWhenTcpEcnIs2()
    {
        bed = TcpTestbed.start();
        bed.listen(8080);

        bed.send(bed.segment(50000, 8080, ECN_SETUP_SYN_FLAGS).seq(PEER_ISN).mss(1460));
        final SentSegment synAck = bed.expectSegment();

        assertEquals(ECN_SETUP_SYN_ACK_FLAGS, synAck.flags, () -> "ECE, not CWR: " + synAck);
        assertEquals(TOS_NOT_ECT, synAck.dscpEcn, "a SYN-ACK is never ECN-capable (6.1.1)");
        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(synAck.sequence + 1));
        assertEquals(1, bed.counters().tcpEcnConnections.get());
    }

    @Test
    void aSynWithoutEceAndCwrGetsASynAckWithoutEce()
    {
        bed = TcpTestbed.start();
        bed.listen(8080);

        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN).mss(1460));

        assertEquals(FLAG_SYN | FLAG_ACK, bed.expectSegment().flags);
    }

    @Test
    void aSynWithEceAloneDoesNotAskForEcn()
    {
        bed = TcpTestbed.start();
        bed.listen(8080);

        bed.send(bed.segment(50000, 8080, FLAG_SYN | FLAG_ECE).seq(PEER_ISN).mss(1460));

        assertEquals(FLAG_SYN | FLAG_ACK, bed.expectSegment().flags);
    }

    @Test
    void tcpEcn0RefusesAnEcnSetupSyn()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_ECN, 0));
        bed.listen(8080);

        bed.send(bed.segment(50000, 8080, ECN_SETUP_SYN_FLAGS).seq(PEER_ISN).mss(1460));
        final SentSegment synAck = bed.expectSegment();

        assertEquals(FLAG_SYN | FLAG_ACK, synAck.flags);
        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(synAck.sequence + 1));
        assertEquals(0, bed.counters().tcpEcnConnections.get());
    }

    @Test
    void tcpEcn2NeverAsksInItsSyn()
    {
        bed = TcpTestbed.start();

        bed.connect(40000, 80);

        assertEquals(FLAG_SYN, bed.expectSegment().flags);
    }

    @Test
    void activeOpenWithTcpEcn1SendsAnEcnSetupSynAndAnEcnSetupSynAckNegotiates()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_ECN, 1));
        final int fd = bed.connect(40000, 80);
        final SentSegment syn = bed.expectSegment();
        assertEquals(ECN_SETUP_SYN_FLAGS, syn.flags, syn::toString);
        assertEquals(TOS_NOT_ECT, syn.dscpEcn, "a SYN is never ECN-capable (6.1.1)");

        bed.send(bed.segment(80, 40000, ECN_SETUP_SYN_ACK_FLAGS).seq(PEER_ISN).ack(syn.sequence + 1).mss(1460));
        final SentSegment ack = bed.expectSegment();
        assertEquals(FLAG_ACK, ack.flags, "the handshake's last ACK carries neither ECE nor CWR");
        assertEquals(0, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 80)), "connected");
        assertEquals(1, bed.counters().tcpEcnConnections.get());

        assertEquals(5, bed.write(fd, "hello"));
        assertEquals(TOS_ECT_0, bed.expectSegment().dscpEcn, "data of the ECN connection is ECT(0)");
    }

    @Test
    void activeOpenWithTcpEcn1IsRefusedByASynAckWithoutEce()
    {
        assertActiveOpenWithoutEcn(FLAG_SYN | FLAG_ACK);
    }

    @Test
    void aSynAckWithEceAndCwrMeansNoEcn()
    {
        assertActiveOpenWithoutEcn(FLAG_SYN | FLAG_ACK | FLAG_ECE | FLAG_CWR);
    }

    private void assertActiveOpenWithoutEcn(final int synAckFlags)
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_ECN, 1));
        final int fd = bed.connect(40000, 80);
        final SentSegment syn = bed.expectSegment();

        bed.send(bed.segment(80, 40000, synAckFlags).seq(PEER_ISN).ack(syn.sequence + 1).mss(1460));
        bed.expectSegment();

        assertEquals(0, bed.counters().tcpEcnConnections.get());
        assertEquals(5, bed.write(fd, "hello"));
        assertEquals(TOS_NOT_ECT, bed.expectSegment().dscpEcn, "data of a connection without ECN is not ECT");
    }

    @Test
    void aSynCookieRemembersEcnInTheTimestampItEchoes()
    {
        startWithHalfOpenQueueFull();

        bed.send(bed.segment(50000, 8080, ECN_SETUP_SYN_FLAGS).seq(PEER_ISN).mss(1460).timestamps(5, 0));
        final SentSegment cookieSynAck = bed.expectSegment();
        assertEquals(1, bed.counters().tcpSynCookiesSent.get(), "the half-open queue is full: a cookie answers");
        assertEquals(ECN_SETUP_SYN_ACK_FLAGS, cookieSynAck.flags);
        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(cookieSynAck.sequence + 1)
            .timestamps(6, cookieSynAck.timestampValue));

        assertEquals(1, bed.counters().tcpSynCookiesAccepted.get());
        assertEquals(1, bed.counters().tcpEcnConnections.get());
    }

    @Test
    void aSynCookieWithoutTimestampsCannotRememberEcnAndRefusesIt()
    {
        startWithHalfOpenQueueFull();

        bed.send(bed.segment(50000, 8080, ECN_SETUP_SYN_FLAGS).seq(PEER_ISN).mss(1460));

        assertEquals(FLAG_SYN | FLAG_ACK, bed.expectSegment().flags);
        assertEquals(1, bed.counters().tcpSynCookiesSent.get(), "a cookie answered");
    }

    /**
     * A listener on 8080 whose half-open queue of one holds a connection, so the next SYN is answered with a cookie.
     */
    private void startWithHalfOpenQueueFull()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_SYN_QUEUE_CAPACITY, 1));
        bed.listen(8080);
        bed.send(bed.segment(50001, 8080, FLAG_SYN).seq(PEER_ISN).mss(1460));
        bed.expectSegment();
    }

    // --------------------------------------------------------------------------- sender (6.1.2, 6.1.5, 6.1.6)

    @Test
    void dataCarriesEct0AndRetransmissionsAndPureAcksDoNot()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ecnConnection(UnaryOperator.identity());

        connection.write("hello");
        final SentSegment data = connection.expect();
        assertEquals(TOS_ECT_0, data.dscpEcn, data::toString);
        assertTrue(data.ipChecksumValid, "the IPv4 header checksum covers the ECN field");

        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(3));
        final SentSegment again = connection.expect();
        assertEquals(data.sequence, again.sequence, "the same data, sent again");
        assertEquals(TOS_NOT_ECT, again.dscpEcn, "a retransmission is not ECT (6.1.5)");

        connection.peerAcksAll();
        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).payload("one"));
        connection.peerNext += 3;
        bed.send(connection.peer(FLAG_ACK | FLAG_PSH).payload("two"));
        connection.peerNext += 3;
        final SentSegment ack = connection.expect();
        assertEquals(FLAG_ACK, ack.flags, ack::toString);
        assertEquals(TOS_NOT_ECT, ack.dscpEcn, "a pure ACK is not ECT (6.1.4)");
    }

    @Test
    void eceHalvesTheWindowOncePerWindowRetransmitsNothingAndTheNextDataSegmentCarriesCwr()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false)
            .set(Setting.TCP_CONGESTION_CONTROL, 0));
        final ScriptedConnection connection = ecnConnection(setup -> setup.peerWindowShift(7));
        final int first = connection.ourNext;
        final List<SentSegment> flight = send(connection, 20);
        assertEquals(10, flight.size(), "RFC 6928's initial window");
        assertTrue(flight.stream().allMatch(segment -> segment.dscpEcn == TOS_ECT_0), flight::toString);
        bed.advanceMillis(RTT_MS);

        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + PAYLOAD));
        assertEquals(List.of(), bed.sent(), "an ECE retransmits nothing, and the window is now 5 segments");
        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + 2 * PAYLOAD));
        assertEquals(List.of(), bed.sent());
        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + 10 * PAYLOAD));
        final List<SentSegment> next = bed.sent();
        next.forEach(connection::noteSent);

        assertEquals(1, bed.counters().tcpEcnReductions.get(), "once for the window the ECEs echo");
        assertEquals(5, next.size(), () -> "half the window of 10: " + next);
        assertEquals(FLAG_ACK | FLAG_CWR, next.get(0).flags & (FLAG_ACK | FLAG_CWR), next::toString);
        assertTrue(next.stream().skip(1).noneMatch(segment -> segment.has(FLAG_CWR)), next::toString);
        assertEquals(0, bed.counters().tcpRetransmittedSegments.get());

        bed.advanceMillis(RTT_MS);
        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(connection.ourNext - 4 * PAYLOAD));
        assertEquals(2, bed.counters().tcpEcnReductions.get(), "a new window's ECE reduces again");
    }

    /**
     * BBR v1 is not reduced by an ECN echo, as Linux's is not: no reduction is counted and the window is not cut, yet
     * the next new data still carries CWR, once, so that the peer stops echoing.
     */
    @Test
    void bbrKeepsItsWindowOnAnEchoAndStillAnswersWithCwr()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false)
            .set(Setting.TCP_CONGESTION_CONTROL, TcpCongestionAlgorithm.BBR));
        final ScriptedConnection connection = ecnConnection(setup -> setup.peerWindowShift(7).peerSackPermitted());
        final int first = connection.ourNext;
        send(connection, 40);
        bed.advanceMillis(RTT_MS);
        bed.sent().forEach(connection::noteSent);
        assertEquals(first + 10 * PAYLOAD, connection.ourNext, "the initial window, paced out");

        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + 2 * PAYLOAD));
        bed.advanceMillis(RTT_MS);
        final List<SentSegment> next = bed.sent();

        assertEquals(0, bed.counters().tcpEcnReductions.get(), "BBR does not reduce for an echo");
        assertTrue(next.size() >= 2, () -> "two segments delivered, two or more go: " + next);
        assertTrue(next.get(0).has(FLAG_CWR), next::toString);
        assertTrue(next.stream().skip(1).noneMatch(segment -> segment.has(FLAG_CWR)), next::toString);
    }

    /**
     * With SACK the reduction runs through Proportional Rate Reduction (RFC 6937), as Linux runs its CWR state: the
     * first ACK with ECE delivered one segment of ten, so PRR lets ceil(1 * 5 / 9) segments go, one, and it carries
     * CWR; once SND.UNA passes the data sent before the reduction, cwnd is ssthresh, half the window.
     */
    @Test
    void withSackTheReductionRunsThroughPrrAndItsFirstSegmentCarriesCwr()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false)
            .set(Setting.TCP_CONGESTION_CONTROL, 0));
        final ScriptedConnection connection = ecnConnection(setup -> setup.peerWindowShift(7).peerSackPermitted());
        final int first = connection.ourNext;
        assertEquals(10, send(connection, 30).size());
        bed.advanceMillis(RTT_MS);

        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + PAYLOAD));
        final List<SentSegment> one = bed.sent();
        one.forEach(connection::noteSent);
        assertEquals(1, one.size(), one::toString);
        assertTrue(one.get(0).has(FLAG_CWR), one::toString);
        assertEquals(TOS_ECT_0, one.get(0).dscpEcn);
        assertEquals(first + 10 * PAYLOAD, one.get(0).sequence, "new data, not a retransmission");

        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + 10 * PAYLOAD));
        bed.sent().forEach(connection::noteSent);
        bed.send(connection.peer(FLAG_ACK).ack(connection.ourNext));
        final List<SentSegment> after = bed.sent();
        assertEquals(5, after.size(), () -> "a window of ssthresh, 5 segments: " + after);
        assertEquals(1, bed.counters().tcpEcnReductions.get());
        assertEquals(0, bed.counters().tcpRetransmittedSegments.get());
    }

    @Test
    void noSecondReductionForAnEceInLossRecovery()
    {
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_TIMESTAMPS, false)
            .set(Setting.TCP_CONGESTION_CONTROL, 0));
        final ScriptedConnection connection = ecnConnection(setup -> setup.peerWindowShift(7));
        final int first = connection.ourNext;
        send(connection, 20);
        bed.advanceMillis(RTT_MS);

        for (int duplicate = 0; duplicate < 3; duplicate++)
        {
            bed.send(connection.peer(FLAG_ACK).ack(first));
        }
        assertEquals(1, bed.counters().tcpFastRetransmits.get(), "in fast recovery");
        bed.sent().forEach(connection::noteSent);
        bed.send(connection.peer(FLAG_ACK | FLAG_ECE).ack(first + PAYLOAD));

        assertEquals(0, bed.counters().tcpEcnReductions.get());
    }

    // ---------------------------------------------------------------------------------------- receiver (6.1.3)

    @Test
    void ceSetsEceOnEveryAckUntilCwrAndItsAckGoesAtOnce()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ecnConnection(UnaryOperator.identity());

        peerSends(connection, "one", Ipv4Packet.ECN_ECT_0, 0);
        assertEquals(List.of(), bed.sent(), "one segment's ACK is delayed");
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        assertFalse(connection.expect().has(FLAG_ECE));

        peerSends(connection, "two", Ipv4Packet.ECN_CE, 0);
        final SentSegment ce = connection.expect();
        assertEquals(FLAG_ACK | FLAG_ECE, ce.flags, () -> "the ACK for CE goes at once, with ECE: " + ce);
        assertEquals(connection.peerNext, ce.acknowledgment);
        assertEquals(1, bed.counters().tcpEcnCeReceived.get());

        peerSends(connection, "three", Ipv4Packet.ECN_ECT_0, 0);
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        assertTrue(connection.expect().has(FLAG_ECE), "every ACK until CWR");
        connection.write("reply");
        final SentSegment reply = connection.expect();
        assertTrue(reply.has(FLAG_ECE), "data segments too");
        assertEquals(TOS_ECT_0, reply.dscpEcn);

        peerSends(connection, "four", Ipv4Packet.ECN_ECT_0, FLAG_CWR);
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));
        assertEquals(FLAG_ACK, connection.expect().flags, "CWR ends the echo");
    }

    @Test
    void ceOnAConnectionWithoutEcnIsNotEchoed()
    {
        bed = TcpTestbed.start();
        final ScriptedConnection connection = ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000)
            .acceptedOn(bed.listen(8080)).open();

        peerSends(connection, "one", Ipv4Packet.ECN_CE, 0);
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(1));

        assertEquals(FLAG_ACK, connection.expect().flags);
        assertEquals(0, bed.counters().tcpEcnCeReceived.get());
    }

    private ScriptedConnection ecnConnection(final UnaryOperator<ConnectionSetup> options)
    {
        final int listener = bed.listen(8080);
        return options.apply(ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000).peerEcn()
            .roundTripMs(RTT_MS).acceptedOn(listener)).open();
    }

    private void peerSends(final ScriptedConnection connection, final String text, final int ecn, final int flags)
    {
        bed.send(connection.peer(FLAG_ACK | FLAG_PSH | flags).payload(text).ecn(ecn));
        connection.peerNext += text.length();
    }

    private List<SentSegment> send(final ScriptedConnection connection, final int segments)
    {
        assertEquals(segments * PAYLOAD, bed.write(connection.fd, new byte[segments * PAYLOAD]));
        final List<SentSegment> sent = bed.sent();
        sent.forEach(connection::noteSent);
        return sent;
    }
}
