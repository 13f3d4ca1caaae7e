package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.ArpPacket;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.UdpDatagram;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.ringstack.iface.EngineHarness.TICK_NS;
import static io.ringstack.iface.TestFrames.BROADCAST_MAC;
import static io.ringstack.iface.TestFrames.GATEWAY_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.arp;
import static io.ringstack.iface.TestFrames.arpReply;
import static io.ringstack.iface.TestFrames.arpRequest;
import static io.ringstack.iface.TestFrames.etherType;
import static io.ringstack.iface.TestFrames.hex;
import static io.ringstack.iface.TestFrames.ip;
import static io.ringstack.iface.TestFrames.ipDestination;
import static io.ringstack.iface.TestFrames.ipProtocol;
import static io.ringstack.iface.TestFrames.ipSource;
import static io.ringstack.iface.TestFrames.isIpv4HeaderChecksumValid;
import static io.ringstack.iface.TestFrames.isTransportChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static io.ringstack.iface.TestFrames.transportOffset;
import static io.ringstack.iface.TestFrames.u16;
import static io.ringstack.iface.TestFrames.u32;
import static io.ringstack.iface.TestFrames.udpPayload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Address resolution as a sender sees it (RFC 826, RFC 1122 2.3.2 and 3.3.1): datagrams sent through the socket
 * API to a neighbour whose MAC is unknown wait while the engine asks for it, go out when it answers, and are
 * counted as unresolved when it never does. The table defends itself: only requests for our address create
 * entries, unsolicited replies are counted, resolutions and the frames each holds are bounded, and an entry in use
 * is confirmed by unicast polls before it expires. Virtual time; the harness checks after every duty cycle that
 * {@code tx_requests = tx_frames + Σ tx drops + frames awaiting ARP}.
 */
class ArpResolutionTest
{
    private static final long RETRY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int MAX_ATTEMPTS = 4;
    private static final int PENDING_CAPACITY = 4;
    private static final long LIFETIME_NS = TimeUnit.SECONDS.toNanos(3);
    private static final long REFRESH_AFTER_NS = LIFETIME_NS - MAX_ATTEMPTS * RETRY_NS;
    private static final int INCOMPLETE_CAPACITY = 3;
    private static final int PENDING_PER_NEIGHBOUR = 2;

    /** ARP, Request who-has 10.0.2.20 tell 10.0.2.15, sent to 10.0.2.20's MAC alone: a unicast poll. */
    private static final String UNICAST_PROBE_FOR_NEIGHBOUR_HEX =
        "020000000020 525400123456 0806" +          // Ethernet: to the neighbour's MAC, from ours, EtherType ARP
        "0001 0800 06 04 0001" +                    // htype Ethernet, ptype IPv4, hlen 6, plen 4, op request
        "525400123456 0a00020f" +                   // sender MAC, sender IPv4 10.0.2.15
        "000000000000 0a000214";                    // target MAC unknown (as Linux sends it), target 10.0.2.20

    private static final int NEIGHBOUR = ip("10.0.2.20");
    private static final long NEIGHBOUR_MAC = 0x0200_0000_0020L;
    private static final int OTHER_NEIGHBOUR = ip("10.0.2.21");
    private static final int PORT = 9999;

    private EngineHarness harness;
    private Sockets sockets;
    private int fd;

    @BeforeEach
    void startEngine()
    {
        startEngine(ctx -> ctx);
    }

    private void startEngine(final UnaryOperator<EngineContext> more)
    {
        if (harness != null)
        {
            harness.close();
        }
        harness = EngineHarness.start(ctx -> more.apply(ctx
            .set(Setting.ARP_RETRY_INTERVAL_NS, RETRY_NS)
            .set(Setting.ARP_MAX_ATTEMPTS, MAX_ATTEMPTS)
            .set(Setting.ARP_PENDING_CAPACITY, PENDING_CAPACITY)
            .set(Setting.ARP_ENTRY_LIFETIME_NS, LIFETIME_NS)));
        sockets = harness.sockets();
        fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @Test
    void datagramToUnresolvedNeighbourEmitsOneBroadcastRequestAndIsHeld()
    {
        assertEquals(5, sendTo(NEIGHBOUR, "hello"), "the send succeeds: the datagram is queued, not lost");

        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
        assertEquals(1, harness.engine().framesAwaitingArp());
        assertEquals(1, harness.counters().arpRequestsSent.get());
    }

    @Test
    void replyReleasesTheHeldDatagramToTheResolvedMac()
    {
        sendTo(NEIGHBOUR, "hello");
        harness.takeOnlyTransmitted();

        harness.receive(arpReply(NEIGHBOUR_MAC, NEIGHBOUR, OUR_MAC, OUR_ADDRESS));

        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "hello");
        assertEquals(0, harness.engine().framesAwaitingArp());
        assertEquals(5, sendTo(NEIGHBOUR, "again"));
        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "again");
    }

    @Test
    void heldDatagramsForOneNeighbourShareOneRequestAndLeaveInOrder()
    {
        for (int i = 0; i < PENDING_CAPACITY; i++)
        {
            assertEquals(2, sendTo(NEIGHBOUR, "d" + i));
        }
        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());

        harness.receive(arpReply(NEIGHBOUR_MAC, NEIGHBOUR, OUR_MAC, OUR_ADDRESS));

        final List<byte[]> released = harness.takeTransmitted();
        assertEquals(PENDING_CAPACITY, released.size());
        for (int i = 0; i < PENDING_CAPACITY; i++)
        {
            assertUdp(released.get(i), NEIGHBOUR_MAC, NEIGHBOUR, "d" + i);
        }
    }

    @Test
    void requestsRepeatEveryRetryIntervalThenHeldDatagramsAreCountedUnresolved()
    {
        sendTo(NEIGHBOUR, "one");
        sendTo(NEIGHBOUR, "two");
        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());

        for (int attempt = 2; attempt <= MAX_ATTEMPTS; attempt++)
        {
            final long elapsedNs = harness.advanceUntil(() -> harness.device().transmittedCount() > 0, 3 * RETRY_NS);
            assertRetryInterval(elapsedNs, "request " + attempt);
            assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
            assertEquals(2, harness.engine().framesAwaitingArp());
            assertEquals(0, harness.counters().drops(DropReason.ARP_UNRESOLVED));
        }

        final long elapsedNs = harness.advanceUntil(
            () -> harness.counters().drops(DropReason.ARP_UNRESOLVED) != 0, 3 * RETRY_NS);
        assertRetryInterval(elapsedNs, "giving up");
        assertEquals(2, harness.counters().drops(DropReason.ARP_UNRESOLVED), "both held datagrams counted");
        assertEquals(0, harness.engine().framesAwaitingArp());
        assertEquals(MAX_ATTEMPTS, harness.counters().arpRequestsSent.get());

        harness.advance(3 * RETRY_NS);
        harness.assertNothingTransmitted("no request after giving up");

        assertEquals(5, sendTo(NEIGHBOUR, "later"), "a later datagram starts a fresh resolution");
        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
    }

    @Test
    void offLinkDestinationResolvesTheGatewayAndKeepsItsOwnAddress()
    {
        final int offLink = ip("192.0.2.1");

        sendTo(offLink, "far");

        assertArpRequestFor(GATEWAY_ADDRESS, harness.takeOnlyTransmitted());
        harness.receive(arpReply(PEER_MAC, GATEWAY_ADDRESS, OUR_MAC, OUR_ADDRESS));
        assertUdp(harness.takeOnlyTransmitted(), PEER_MAC, offLink, "far");
    }

    @Test
    void moreHeldDatagramsThanThePendingCapacityGetEnobufsAndCountPendingFull()
    {
        for (int i = 0; i < PENDING_CAPACITY; i++)
        {
            assertEquals(2, sendTo(NEIGHBOUR, "d" + i));
        }

        assertEquals(2, sendTo(NEIGHBOUR, "d4"), "accepted; the engine finds the queue full after sendto returned");
        assertEquals(Errno.ENOBUFS, sockets.socketError(fd), "and leaves ENOBUFS pending");
        assertEquals(2, sendTo(OTHER_NEIGHBOUR, "e0"));
        assertEquals(Errno.ENOBUFS, sockets.socketError(fd));

        assertEquals(2, harness.counters().drops(DropReason.ARP_PENDING_FULL));
        assertEquals(PENDING_CAPACITY, harness.engine().framesAwaitingArp());
        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
    }

    @Test
    void gratuitousReplyForAnAddressNotInTheTableIsNotLearned()
    {
        final int announcer = ip("10.0.2.30");
        final long announcerMac = 0x0200_0000_0030L;

        harness.receive(arp(BROADCAST_MAC, ArpPacket.OPERATION_REPLY, announcerMac, announcer, BROADCAST_MAC,
            announcer));

        assertEquals(1, harness.counters().drops(DropReason.ARP_NOT_FOR_US));
        assertEquals(ArpCache.NOT_RESOLVED, harness.engine().arp().cache().lookup(announcer, harness.nowNs()));
        sendTo(announcer, "who");
        assertArpRequestFor(announcer, harness.takeOnlyTransmitted());
    }

    @Test
    void gratuitousRequestForAnAddressNotInTheTableIsNotLearned()
    {
        final int announcer = ip("10.0.2.31");

        harness.receive(arpRequest(0x0200_0000_0031L, announcer, announcer));

        assertEquals(ArpCache.NOT_RESOLVED, harness.engine().arp().cache().lookup(announcer, harness.nowNs()));
        harness.assertNothingTransmitted("a gratuitous request is not answered");
    }

    @Test
    void gratuitousReplyUpdatesAnAddressAlreadyInTheTable()
    {
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);
        final long movedMac = 0x0200_0000_0120L;

        harness.receive(arp(BROADCAST_MAC, ArpPacket.OPERATION_REPLY, movedMac, NEIGHBOUR, BROADCAST_MAC,
            NEIGHBOUR));

        sendTo(NEIGHBOUR, "moved");
        assertUdp(harness.takeOnlyTransmitted(), movedMac, NEIGHBOUR, "moved");
    }

    @Test
    void requestAddressedToUsTeachesUsTheRequester()
    {
        final int requester = ip("10.0.2.40");
        final long requesterMac = 0x0200_0000_0040L;

        harness.receive(arpRequest(requesterMac, requester, OUR_ADDRESS));
        harness.takeOnlyTransmitted();

        sendTo(requester, "hi");
        assertUdp(harness.takeOnlyTransmitted(), requesterMac, requester, "hi");
        assertEquals(0, harness.counters().arpRequestsSent.get());
    }

    @Test
    void requestForAnotherHostDoesNotTeachUsTheRequester()
    {
        final int requester = ip("10.0.2.41");

        harness.receive(arpRequest(0x0200_0000_0041L, requester, ip("10.0.2.99")));

        sendTo(requester, "hi");
        assertArpRequestFor(requester, harness.takeOnlyTransmitted());
    }

    @Test
    void requestFromTheNeighbourBeingResolvedReleasesTheHeldDatagram()
    {
        sendTo(NEIGHBOUR, "held");
        harness.takeOnlyTransmitted();

        harness.receive(arpRequest(NEIGHBOUR_MAC, NEIGHBOUR, OUR_ADDRESS));

        final List<byte[]> frames = harness.takeTransmitted();
        assertEquals(2, frames.size(), () -> EngineHarness.describe(frames));
        assertUdp(frames.get(0), NEIGHBOUR_MAC, NEIGHBOUR, "held");
        assertEquals(EthernetFrame.ETHER_TYPE_ARP, etherType(frames.get(1)), "and the request is answered");
    }

    @Test
    void resolvedEntryNotInUseExpiresAfterItsLifetimeAndIsResolvedAgain()
    {
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);

        harness.advance(LIFETIME_NS + TICK_NS);
        sendTo(NEIGHBOUR, "stale");
        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
        assertEquals(1, harness.engine().framesAwaitingArp());

        harness.receive(arpReply(NEIGHBOUR_MAC, NEIGHBOUR, OUR_MAC, OUR_ADDRESS));
        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "stale");
    }

    @Test
    void entryInUseIsConfirmedByAUnicastRequestBeforeItExpiresAndTrafficNeverWaits()
    {
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);

        harness.advance(REFRESH_AFTER_NS - TICK_NS);
        sendTo(NEIGHBOUR, "fresh");
        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "fresh");

        harness.advance(2 * TICK_NS);
        sendTo(NEIGHBOUR, "aging");
        final List<byte[]> frames = harness.takeTransmitted();
        assertEquals(2, frames.size(), () -> EngineHarness.describe(frames));
        assertUdp(frames.get(0), NEIGHBOUR_MAC, NEIGHBOUR, "aging");
        assertArrayEquals(hex(UNICAST_PROBE_FOR_NEIGHBOUR_HEX), frames.get(1), "RFC 1122 2.3.2.1 unicast poll");

        harness.receive(arpReply(NEIGHBOUR_MAC, NEIGHBOUR, OUR_MAC, OUR_ADDRESS));
        assertEquals(0, harness.counters().drops(DropReason.ARP_UNSOLICITED_REPLY), "the reply confirms the entry");
        harness.advance(LIFETIME_NS - REFRESH_AFTER_NS + TICK_NS);
        sendTo(NEIGHBOUR, "confirmed");
        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "confirmed");
        assertEquals(0, harness.engine().framesAwaitingArp(), "nothing waited for resolution");
        assertEquals(2, harness.counters().arpRequestsSent.get(), "the first resolution and one probe");
    }

    @Test
    void unansweredProbesGoOncePerRetryIntervalThenTheEntryExpires()
    {
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);
        harness.advance(REFRESH_AFTER_NS);

        int probes = 0;
        for (long sentNs = 0; sentNs < LIFETIME_NS - REFRESH_AFTER_NS - TICK_NS; sentNs += RETRY_NS / 4)
        {
            sendTo(NEIGHBOUR, "busy");
            for (final byte[] frame : harness.takeTransmitted())
            {
                probes += etherType(frame) == EthernetFrame.ETHER_TYPE_ARP ? 1 : 0;
            }
            harness.advance(RETRY_NS / 4);
        }
        assertEquals(MAX_ATTEMPTS, probes, "one probe per retry interval while the entry is in use");

        harness.advance(2 * TICK_NS);
        sendTo(NEIGHBOUR, "expired");
        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
    }

    @Test
    void retryTimerOfAResolvedEntryDoesNotDriveTheResolutionThatReusesItsSlot()
    {
        startEngine(ctx -> ctx.set(Setting.ARP_CACHE_CAPACITY, 1));
        sendTo(NEIGHBOUR, "first");
        harness.takeOnlyTransmitted();
        harness.advance(RETRY_NS / 2);
        harness.receive(arpReply(NEIGHBOUR_MAC, NEIGHBOUR, OUR_MAC, OUR_ADDRESS));
        harness.takeOnlyTransmitted();
        harness.advance(RETRY_NS / 4);

        sendTo(OTHER_NEIGHBOUR, "second");
        assertArpRequestFor(OTHER_NEIGHBOUR, harness.takeOnlyTransmitted());

        final long elapsedNs = harness.advanceUntil(() -> harness.device().transmittedCount() > 0, 3 * RETRY_NS);
        assertRetryInterval(elapsedNs, "first retry for 10.0.2.21");
    }

    @Test
    void retryTimerFiresOnTheFirstDutyCycleAfterItsDeadlineHoweverLongTheEngineWasIdle()
    {
        sendTo(NEIGHBOUR, "hello");
        harness.takeOnlyTransmitted();

        harness.clock().advance(RETRY_NS + TICK_NS);
        harness.runUntilIdle();

        assertArpRequestFor(NEIGHBOUR, harness.takeOnlyTransmitted());
    }

    @Test
    void unsolicitedReplyToUsIsCountedAndNotLearned()
    {
        final int stranger = ip("10.0.2.50");

        harness.receive(arpReply(0x0200_0000_0050L, stranger, OUR_MAC, OUR_ADDRESS));

        assertEquals(1, harness.counters().drops(DropReason.ARP_UNSOLICITED_REPLY));
        assertEquals(ArpCache.NOT_RESOLVED, harness.engine().arp().cache().lookup(stranger, harness.nowNs()));
        sendTo(stranger, "who");
        assertArpRequestFor(stranger, harness.takeOnlyTransmitted());
    }

    @Test
    void floodOfSpoofedRepliesCannotPushOutAResolvedNeighbour()
    {
        startEngine(ctx -> ctx.set(Setting.ARP_CACHE_CAPACITY, 2));
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);

        for (int i = 1; i <= 100; i++)
        {
            harness.receive(arpReply(0x0200_0001_0000L + i, ip("10.0.3.0") + i, OUR_MAC, OUR_ADDRESS));
        }

        assertEquals(100, harness.counters().drops(DropReason.ARP_UNSOLICITED_REPLY));
        sendTo(NEIGHBOUR, "still here");
        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "still here");
    }

    @Test
    void gratuitousRequestUpdatesAnAddressAlreadyInTheTable()
    {
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);
        final long movedMac = 0x0200_0000_0220L;

        harness.receive(arpRequest(movedMac, NEIGHBOUR, NEIGHBOUR));

        harness.assertNothingTransmitted("an announcement is not answered (RFC 5227 2.4)");
        sendTo(NEIGHBOUR, "moved");
        assertUdp(harness.takeOnlyTransmitted(), movedMac, NEIGHBOUR, "moved");
    }

    @Test
    void heldFramesPerNeighbourAreBoundedAndAnotherNeighbourStillQueues()
    {
        startBoundedEngine();
        for (int i = 0; i < PENDING_PER_NEIGHBOUR; i++)
        {
            assertEquals(2, sendTo(NEIGHBOUR, "d" + i));
        }

        assertEquals(2, sendTo(NEIGHBOUR, "d2"), "accepted; the engine finds the neighbour's share full");
        assertEquals(Errno.ENOBUFS, sockets.socketError(fd), "and leaves ENOBUFS pending");
        assertEquals(2, sendTo(OTHER_NEIGHBOUR, "e0"));
        assertEquals(0, sockets.socketError(fd), "the other neighbour has its own share");

        assertEquals(1, harness.counters().drops(DropReason.ARP_PENDING_FULL));
        assertEquals(PENDING_PER_NEIGHBOUR + 1, harness.engine().framesAwaitingArp());
    }

    @Test
    void resolutionPastTheIncompleteCapacityGivesUpOnTheOldestAndCountsItsFrames()
    {
        startBoundedEngine();
        for (int i = 0; i < INCOMPLETE_CAPACITY; i++)
        {
            sendTo(ip("10.0.2.100") + i, "x" + i);
            harness.advance(TICK_NS);
        }
        harness.takeTransmitted();

        assertEquals(3, sendTo(ip("10.0.2.200"), "new"), "a new resolution is never refused");

        assertArpRequestFor(ip("10.0.2.200"), harness.takeOnlyTransmitted());
        assertEquals(1, harness.counters().drops(DropReason.ARP_INCOMPLETE_EVICTED));
        assertEquals(INCOMPLETE_CAPACITY, harness.engine().arp().cache().pendingCount());
        assertEquals(INCOMPLETE_CAPACITY, harness.engine().framesAwaitingArp());
        harness.receive(arpReply(0x0200_0000_0100L, ip("10.0.2.100"), OUR_MAC, OUR_ADDRESS));
        assertEquals(1, harness.counters().drops(DropReason.ARP_UNSOLICITED_REPLY), "the evicted one is forgotten");
        harness.assertNothingTransmitted("no frame of the evicted resolution is left to send");
    }

    @Test
    void floodToSourcesThatNeverAnswerLeavesResolvedNeighboursAndANewOneThatAnswers()
    {
        startBoundedEngine();
        resolve(NEIGHBOUR, NEIGHBOUR_MAC);
        final int spoofed = ip("10.0.2.128");

        for (int i = 0; i < 100; i++)
        {
            sendTo(spoofed + i % 100, "syn-ack " + i);
            if (i == 50)
            {
                sendTo(OTHER_NEIGHBOUR, "real");
                harness.receive(arpReply(0x0200_0000_0021L, OTHER_NEIGHBOUR, OUR_MAC, OUR_ADDRESS));
            }
        }

        harness.takeTransmitted();
        sendTo(NEIGHBOUR, "served");
        assertUdp(harness.takeOnlyTransmitted(), NEIGHBOUR_MAC, NEIGHBOUR, "served");
        sendTo(OTHER_NEIGHBOUR, "served");
        assertUdp(harness.takeOnlyTransmitted(), 0x0200_0000_0021L, OTHER_NEIGHBOUR, "served");
        assertEquals(100 - INCOMPLETE_CAPACITY, harness.counters().drops(DropReason.ARP_INCOMPLETE_EVICTED));
        assertEquals(0, harness.counters().drops(DropReason.ARP_PENDING_FULL));
    }

    private void startBoundedEngine()
    {
        startEngine(ctx -> ctx
            .set(Setting.ARP_PENDING_CAPACITY, 8)
            .set(Setting.ARP_PENDING_PER_NEIGHBOUR, PENDING_PER_NEIGHBOUR)
            .set(Setting.ARP_INCOMPLETE_CAPACITY, INCOMPLETE_CAPACITY));
    }

    private void resolve(final int address, final long mac)
    {
        sendTo(address, "resolve");
        assertArpRequestFor(address, harness.takeOnlyTransmitted());
        harness.receive(arpReply(mac, address, OUR_MAC, OUR_ADDRESS));
        assertUdp(harness.takeOnlyTransmitted(), mac, address, "resolve");
    }

    private int sendTo(final int address, final String text)
    {
        final byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        final int result = sockets.sendto(fd, payload, 0, payload.length, 0, SockAddr.inet(address, PORT));
        harness.assertHealthy();
        return result;
    }

    /**
     * Timers fire at the first duty cycle at or after their deadline; the harness runs one per tick, and the
     * engine may see a deadline up to a tick after the one it was scheduled in.
     */
    private static void assertRetryInterval(final long elapsedNs, final String what)
    {
        assertTrue(elapsedNs >= RETRY_NS && elapsedNs <= RETRY_NS + 2 * TICK_NS,
            () -> what + " after " + elapsedNs + " ns, expected the retry interval " + RETRY_NS + " ns");
    }

    private static void assertArpRequestFor(final int target, final byte[] frame)
    {
        final int arp = EthernetFrame.HEADER_LENGTH;
        assertEquals(BROADCAST_MAC, mac(frame, EthernetFrame.DESTINATION_OFFSET), "Ethernet broadcast");
        assertEquals(OUR_MAC, mac(frame, EthernetFrame.SOURCE_OFFSET));
        assertEquals(EthernetFrame.ETHER_TYPE_ARP, etherType(frame), "an ARP frame");
        assertEquals(ArpPacket.OPERATION_REQUEST, u16(frame, arp + ArpPacket.OPERATION_OFFSET), "op request");
        assertEquals(OUR_MAC, mac(frame, arp + ArpPacket.SENDER_MAC_OFFSET));
        assertEquals(OUR_ADDRESS, u32(frame, arp + ArpPacket.SENDER_ADDRESS_OFFSET));
        assertEquals(0, mac(frame, arp + ArpPacket.TARGET_MAC_OFFSET), "target MAC unknown");
        assertEquals(target, u32(frame, arp + ArpPacket.TARGET_ADDRESS_OFFSET), "target IPv4");
    }

    private static void assertUdp(final byte[] frame, final long mac, final int destination, final String text)
    {
        assertEquals(mac, mac(frame, EthernetFrame.DESTINATION_OFFSET), "Ethernet dst = the next hop's MAC");
        assertEquals(OUR_MAC, mac(frame, EthernetFrame.SOURCE_OFFSET));
        assertEquals(EthernetFrame.ETHER_TYPE_IPV4, etherType(frame), "an IPv4 frame");
        assertTrue(isIpv4HeaderChecksumValid(frame));
        assertEquals(Ipv4Packet.PROTOCOL_UDP, ipProtocol(frame));
        assertEquals(OUR_ADDRESS, ipSource(frame));
        assertEquals(destination, ipDestination(frame), "IPv4 dst = the final destination");
        assertEquals(PORT, u16(frame, transportOffset(frame) + UdpDatagram.DESTINATION_PORT_OFFSET));
        assertTrue(isTransportChecksumValid(frame), "UDP checksum");
        assertArrayEquals(text.getBytes(StandardCharsets.US_ASCII), udpPayload(frame));
    }
}
