package io.ringstack.tcp;

import io.ringstack.config.Setting;
import io.ringstack.errno.Errno;
import io.ringstack.iface.DropReason;
import io.ringstack.socket.SockAddr;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.tcp.ScriptedConnection.PEER_ISN;
import static io.ringstack.wire.TcpSegment.FLAG_ACK;
import static io.ringstack.wire.TcpSegment.FLAG_PSH;
import static io.ringstack.wire.TcpSegment.FLAG_RST;
import static io.ringstack.wire.TcpSegment.FLAG_SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening connections, frame by frame (RFC 9293 3.5, RFC 7323, RFC 2018, RFC 6528, RFC 4987).
 */
class TcpHandshakeScenarioTest
{
    private TcpTestbed bed = TcpTestbed.start();

    @AfterEach
    void close()
    {
        bed.close();
    }

    @Test
    void activeOpenSendsSynWithLinuxOptionsAndCompletesOnSynAck()
    {
        final int fd = bed.connect(40000, 80);

        final SentSegment syn = bed.expectSegment();
        assertTrue(syn.is(FLAG_SYN), syn::toString);
        assertEquals(40000, syn.sourcePort);
        assertEquals(1460, syn.mss, "MSS = MTU 1500 - 40");
        assertTrue(syn.sackPermitted, "SACK permitted offered");
        assertTrue(syn.timestamps, "timestamps offered");
        assertEquals(0, syn.timestampEcho, "TSecr of a SYN is 0");
        assertEquals(5, syn.windowShift, "shift 5 covers the 1 MiB receive ring");
        assertEquals(65535, syn.window, "a SYN's window is never scaled");

        bed.send(bed.segment(80, 40000, FLAG_SYN | FLAG_ACK).seq(PEER_ISN).ack(syn.sequence + 1).mss(1400)
            .wscale(7).sackPermitted().timestamps(77, syn.timestampValue));
        final SentSegment ack = bed.expectSegment();
        assertTrue(ack.is(FLAG_ACK), ack::toString);
        assertEquals(syn.sequence + 1, ack.sequence);
        assertEquals(PEER_ISN + 1, ack.acknowledgment);
        assertEquals((1 << 20) >> 5, ack.window, "window scaled by our shift");
        assertEquals(77, ack.timestampEcho, "echoes the peer's TSval");

        assertEquals(0, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 80)), "connected");
        assertEquals(-Errno.EISCONN, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 80)));
        assertEquals(5, bed.write(fd, "hello"));
        final SentSegment data = bed.expectSegment();
        assertTrue(data.is(FLAG_ACK | FLAG_PSH), data::toString);
        assertEquals("hello", data.text());
        assertEquals(syn.sequence + 1, data.sequence);
    }

    @Test
    void passiveOpenAnswersSynWithSynAckAndAcceptsOnTheFinalAck()
    {
        final int listener = bed.listen(8080);
        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN).mss(1400).wscale(2).sackPermitted()
            .timestamps(100, 0));

        final SentSegment synAck = bed.expectSegment();
        assertTrue(synAck.is(FLAG_SYN | FLAG_ACK), synAck::toString);
        assertEquals(PEER_ISN + 1, synAck.acknowledgment);
        assertEquals(1460, synAck.mss);
        assertTrue(synAck.sackPermitted);
        assertEquals(100, synAck.timestampEcho);
        assertEquals(5, synAck.windowShift);
        assertEquals(-Errno.EAGAIN, bed.sockets().accept(listener, null), "nothing to accept before the ACK");

        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(synAck.sequence + 1)
            .timestamps(101, synAck.timestampValue));
        bed.expectNothingSent();
        final SockAddr peer = new SockAddr();
        final int fd = bed.sockets().accept(listener, peer);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
        assertEquals(TcpTestbed.PEER_ADDRESS, peer.ipv4());
        assertEquals(50000, peer.port());
        assertEquals(1, bed.counters().tcpPassiveOpens.get());
    }

    @Test
    void dataInTheFinalAckIsDeliveredBeforeAccept()
    {
        final int listener = bed.listen(8080);
        final ScriptedConnection connection =
            ConnectionSetup.passive(bed).ourPort(8080).peerPort(50001).acceptedOn(listener).open();

        connection.peerSends("early");

        assertEquals("early", connection.read());
    }

    @Test
    void resetAnsweringTheSynRefusesTheConnection()
    {
        final int fd = bed.connect(40000, 81);
        final SentSegment syn = bed.expectSegment();

        bed.send(bed.segment(81, 40000, FLAG_RST | FLAG_ACK).seq(0).ack(syn.sequence + 1));

        assertEquals(-Errno.ECONNREFUSED, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 81)));
        assertEquals(1, bed.counters().tcpResetsReceived.get());
    }

    @Test
    void resetWithoutAckInSynSentIsDropped()
    {
        final int fd = bed.connect(40000, 81);
        final SentSegment syn = bed.expectSegment();

        bed.send(bed.segment(81, 40000, FLAG_RST).seq(0));

        assertEquals(1, bed.drops(DropReason.TCP_RST_OUT_OF_WINDOW));
        assertEquals(-Errno.EALREADY, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 81)));
        assertTrue(syn.is(FLAG_SYN));
    }

    @Test
    void synAckAcknowledgingTheWrongNumberIsAnsweredWithReset()
    {
        bed.connect(40000, 81);
        final SentSegment syn = bed.expectSegment();

        bed.send(bed.segment(81, 40000, FLAG_SYN | FLAG_ACK).seq(PEER_ISN).ack(syn.sequence + 7));

        final SentSegment reset = bed.expectSegment();
        assertTrue(reset.is(FLAG_RST), reset::toString);
        assertEquals(syn.sequence + 7, reset.sequence, "RST SEQ = SEG.ACK");
        assertEquals(1, bed.drops(DropReason.TCP_BAD_HANDSHAKE_ACK));
    }

    @Test
    void synIsRetransmittedWithExponentialBackOffThenTheConnectTimesOut()
    {
        bed.close();
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_SYN_RETRIES, 3));
        final int fd = bed.connect(40000, 82);
        final SentSegment syn = bed.expectSegment();

        long expectedMs = 1000;
        for (int retry = 1; retry <= 3; retry++)
        {
            final long waitedMs = TimeUnit.NANOSECONDS.toMillis(bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(10)));
            final SentSegment again = bed.expectSegment();
            assertTrue(again.is(FLAG_SYN) && again.sequence == syn.sequence, again::toString);
            assertTrue(Math.abs(waitedMs - expectedMs) <= 2, "retry " + retry + " after " + waitedMs + " ms");
            expectedMs *= 2;
        }
        bed.advanceMillis(8002);
        bed.expectNothingSent();
        assertEquals(-Errno.ETIMEDOUT, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 82)));
    }

    @Test
    void synAckIsRetransmittedAndTheHalfOpenEntryDropsAfterTheRetries()
    {
        bed.close();
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_SYN_ACK_RETRIES, 2));
        final int listener = bed.listen(8080);
        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN));
        final SentSegment synAck = bed.expectSegment();

        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(2));
        assertEquals(synAck.sequence, bed.expectSegment().sequence, "first retransmission after 1 s");
        bed.advanceUntilSent(TimeUnit.SECONDS.toNanos(3));
        assertEquals(synAck.sequence, bed.expectSegment().sequence, "second after 2 s more");
        bed.advanceMillis(5000);
        bed.expectNothingSent();
        assertEquals(1, bed.counters().tcpSynAckTimeouts.get());

        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(synAck.sequence + 1));
        assertTrue(bed.expectSegment().is(FLAG_RST), "the late ACK finds no handshake and no valid cookie");
        assertEquals(-Errno.EAGAIN, bed.sockets().accept(listener, null));
    }

    @Test
    void retransmittedSynGetsTheSameSynAck()
    {
        bed.listen(8080);
        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN));
        final SentSegment first = bed.expectSegment();

        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN));

        final SentSegment second = bed.expectSegment();
        assertEquals(first.sequence, second.sequence);
        assertEquals(first.acknowledgment, second.acknowledgment);
    }

    @Test
    void simultaneousOpenGoesThroughSynReceived()
    {
        final int fd = bed.connect(40000, 40001);
        final SentSegment syn = bed.expectSegment();

        bed.send(bed.segment(40001, 40000, FLAG_SYN).seq(PEER_ISN).mss(1460));
        final SentSegment synAck = bed.expectSegment();
        assertTrue(synAck.is(FLAG_SYN | FLAG_ACK), synAck::toString);
        assertEquals(syn.sequence, synAck.sequence, "the SYN-ACK repeats our SYN");
        assertEquals(PEER_ISN + 1, synAck.acknowledgment);

        bed.send(bed.segment(40001, 40000, FLAG_SYN | FLAG_ACK).seq(PEER_ISN).ack(syn.sequence + 1).mss(1460));
        assertEquals(0, bed.sockets().connect(fd, SockAddr.inet(TcpTestbed.PEER_ADDRESS, 40001)), "ESTABLISHED");
        assertEquals(2, bed.write(fd, "ok"));
        assertEquals("ok", bed.expectSegment().text());
    }

    @Test
    void listenBacklogAdmitsBacklogPlusOneThenDropsSyns()
    {
        final int listener = bed.socket();
        bed.sockets().bind(listener, SockAddr.inet(0, 8080));
        bed.sockets().listen(listener, 1);
        for (int i = 0; i < 2; i++)
        {
            ConnectionSetup.passive(bed).ourPort(8080).peerPort(50000 + i).open();
        }

        bed.send(bed.segment(50009, 8080, FLAG_SYN).seq(PEER_ISN));

        bed.expectNothingSent();
        assertEquals(1, bed.drops(DropReason.TCP_ACCEPT_QUEUE_FULL));
        assertTrue(bed.accept(listener) >= 0);
        bed.send(bed.segment(50009, 8080, FLAG_SYN).seq(PEER_ISN));
        assertTrue(bed.expectSegment().is(FLAG_SYN | FLAG_ACK), "room again after an accept");
    }

    @Test
    void synFloodFallsBackToCookiesWithBoundedMemoryAndRealClientsStillConnect()
    {
        bed.close();
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_SYN_QUEUE_CAPACITY, 8));
        final int listener = bed.listen(8080);
        for (int port = 10000; port < 12000; port++)
        {
            bed.send(bed.segment(port, 8080, FLAG_SYN).seq(port * 7919).mss(1460).sackPermitted()
                .timestamps(port, 0).wscale(5));
        }
        final List<SentSegment> synAcks = bed.sent();
        assertEquals(2000, synAcks.size(), "every SYN answered");
        assertEquals(2000 - 8, bed.counters().tcpSynCookiesSent.get(), "past the 8 half-open entries: cookies");
        assertEquals(0, bed.tcp().liveConnections(), "no connection slot spent on the flood");

        final SentSegment cookieSynAck = synAcks.get(1500);
        assertEquals(11500, cookieSynAck.destinationPort);
        bed.send(bed.segment(11500, 8080, FLAG_ACK).seq(11500 * 7919 + 1).ack(cookieSynAck.sequence + 1)
            .timestamps(11501, cookieSynAck.timestampValue).payload("GET"));
        final int fd = bed.accept(listener);
        assertEquals("GET", bed.read(fd));
        assertEquals(1, bed.counters().tcpSynCookiesAccepted.get());
        assertEquals(1, bed.tcp().liveConnections());

        bed.send(bed.segment(11501, 8080, FLAG_ACK).seq(1).ack(cookieSynAck.sequence + 1));
        assertTrue(bed.expectSegment().is(FLAG_RST), "a forged cookie is answered with RST");
        assertEquals(1, bed.drops(DropReason.TCP_LISTENER_BAD_ACK));
    }

    /**
     * A client whose SYN met full queues gets a cookie; its SYN, retransmitted once there is room, makes an entry
     * with another ISS; its ACK of the cookie then arrives. The cookie completes the handshake (Linux hands the ACK
     * from the request socket to the listener's cookie check), and the entry goes; a forged ACK still gets RST.
     */
    @Test
    void theAckOfACookieCompletesTheHandshakeEvenWhenARetransmittedSynMadeAnEntryMeanwhile()
    {
        final int listener = listenWithAQueueOfOne();
        final SentSegment cookieSynAck = cookieThenEntry(50001);

        bed.send(bed.segment(50001, 8080, FLAG_ACK | FLAG_PSH).seq(PEER_ISN + 1).ack(cookieSynAck.sequence + 1)
            .payload("GET"));

        assertEquals(1, bed.counters().tcpSynCookiesAccepted.get());
        assertEquals(0, bed.drops(DropReason.TCP_BAD_HANDSHAKE_ACK));
        assertTrue(bed.accept(listener) >= 0, "the first client");
        assertEquals("GET", bed.read(bed.accept(listener)));
        bed.sent();
        bed.advanceMillis(5000);
        assertTrue(bed.sent().stream().noneMatch(segment -> segment.is(FLAG_SYN)),
            "the entry went with its SYN-ACK retransmissions");

        bed.send(bed.segment(50002, 8080, FLAG_SYN).seq(PEER_ISN));
        final SentSegment third = bed.expectSegment();
        bed.send(bed.segment(50002, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(third.sequence + 2));
        assertTrue(bed.expectSegment().is(FLAG_RST), "neither the entry's ISS + 1 nor a cookie: RST");
        assertEquals(1, bed.drops(DropReason.TCP_BAD_HANDSHAKE_ACK));
    }

    /**
     * As above, but the client's first ACK and its request were lost: what arrives is the ACK it sends when the
     * entry's SYN-ACK reaches it established, at the sequence number after its request. The entry knows the
     * client's ISN, so the cookie still proves itself and the connection is made; the client's retransmission of its
     * request delivers the missing bytes.
     */
    @Test
    void theAckOfACookieAfterLostDataCompletesTheHandshakeAgainstTheEntrysRecordOfThePeersIsn()
    {
        final int listener = listenWithAQueueOfOne();
        final SentSegment cookieSynAck = cookieThenEntry(50001);

        bed.send(bed.segment(50001, 8080, FLAG_ACK).seq(PEER_ISN + 1 + 3).ack(cookieSynAck.sequence + 1));

        assertEquals(0, bed.drops(DropReason.TCP_BAD_HANDSHAKE_ACK));
        assertEquals(1, bed.counters().tcpSynCookiesAccepted.get());
        bed.sent();
        bed.send(bed.segment(50001, 8080, FLAG_ACK | FLAG_PSH).seq(PEER_ISN + 1).ack(cookieSynAck.sequence + 1)
            .payload("GET"));
        assertTrue(bed.accept(listener) >= 0, "the first client");
        assertEquals("GET", bed.read(bed.accept(listener)));
    }

    private int listenWithAQueueOfOne()
    {
        bed.close();
        bed = TcpTestbed.start(context -> context.set(Setting.TCP_SYN_QUEUE_CAPACITY, 1));
        return bed.listen(8080);
    }

    /**
     * A first client takes the one place in the SYN queue; a second, on {@code port}, gets a cookie; the first
     * completes, and the second's retransmitted SYN makes an entry with its own ISS.
     *
     * @return the cookie SYN-ACK the second client got.
     */
    private SentSegment cookieThenEntry(final int port)
    {
        bed.send(bed.segment(50000, 8080, FLAG_SYN).seq(PEER_ISN));
        final SentSegment firstSynAck = bed.expectSegment();
        bed.send(bed.segment(port, 8080, FLAG_SYN).seq(PEER_ISN).mss(1460));
        final SentSegment cookieSynAck = bed.expectSegment();
        assertEquals(1, bed.counters().tcpSynCookiesSent.get(), "the queue of one is full: a cookie");
        bed.send(bed.segment(50000, 8080, FLAG_ACK).seq(PEER_ISN + 1).ack(firstSynAck.sequence + 1));
        bed.send(bed.segment(port, 8080, FLAG_SYN).seq(PEER_ISN).mss(1460));
        final SentSegment entrySynAck = bed.expectSegment();
        assertNotEquals(cookieSynAck.sequence, entrySynAck.sequence, "room again: an entry, with its own ISS");
        return cookieSynAck;
    }

    @Test
    void initialSequenceNumbersDifferPerPairAndAdvanceWithTheClock()
    {
        bed.connect(40000, 80);
        final int first = bed.expectSegment().sequence;
        bed.connect(40001, 80);
        final int otherPair = bed.expectSegment().sequence;
        assertNotEquals(first, otherPair, "RFC 6528: the hash of the pair differs");

        try (TcpTestbed replay = TcpTestbed.start())
        {
            replay.connect(40000, 80);
            assertEquals(first, replay.expectSegment().sequence, "same key, same clock: same ISN");
            replay.advanceMillis(4);
            replay.connect(40002, 80);
            replay.expectSegment();
        }
    }

    @Test
    void segmentToAClosedPortIsAnsweredWithReset()
    {
        bed.send(bed.segment(50000, 9, FLAG_SYN).seq(PEER_ISN));

        final SentSegment reset = bed.expectSegment();
        assertTrue(reset.is(FLAG_RST | FLAG_ACK), reset::toString);
        assertEquals(PEER_ISN + 1, reset.acknowledgment);
        assertEquals(1, bed.drops(DropReason.TCP_NO_CONNECTION));
    }
}
