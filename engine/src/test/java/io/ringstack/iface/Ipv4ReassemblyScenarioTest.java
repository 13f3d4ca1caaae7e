package io.ringstack.iface;

import io.ringstack.config.Setting;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.wire.EthernetFrame;
import io.ringstack.wire.IcmpPacket;
import io.ringstack.wire.Ipv4Packet;
import io.ringstack.wire.TcpSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.ringstack.iface.TestFrames.BROADCAST_MAC;
import static io.ringstack.iface.TestFrames.DIRECTED_BROADCAST;
import static io.ringstack.iface.TestFrames.IP;
import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.PEER_ADDRESS;
import static io.ringstack.iface.TestFrames.PEER_MAC;
import static io.ringstack.iface.TestFrames.bytes;
import static io.ringstack.iface.TestFrames.fragment;
import static io.ringstack.iface.TestFrames.fragments;
import static io.ringstack.iface.TestFrames.ipDestination;
import static io.ringstack.iface.TestFrames.ipProtocol;
import static io.ringstack.iface.TestFrames.ipSource;
import static io.ringstack.iface.TestFrames.isIcmpChecksumValid;
import static io.ringstack.iface.TestFrames.isIpv4HeaderChecksumValid;
import static io.ringstack.iface.TestFrames.mac;
import static io.ringstack.iface.TestFrames.slice;
import static io.ringstack.iface.TestFrames.tcp;
import static io.ringstack.iface.TestFrames.transportLength;
import static io.ringstack.iface.TestFrames.transportOffset;
import static io.ringstack.iface.TestFrames.u8;
import static io.ringstack.iface.TestFrames.udp;
import static io.ringstack.iface.TestFrames.udpPayload;
import static io.ringstack.iface.TestFrames.withIpv4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * IPv4 reassembly (RFC 791 3.2, RFC 1122 3.3.2) as a table: every row is a sequence of fragments from the wire,
 * how many of them end delivered and how many under each {@link DropReason}, what reaches the socket bound to
 * {@code 0.0.0.0:7777} and what the engine answers. Every row proves the receive invariant, with nothing left
 * held: {@code rx_frames = rx_delivered + Σ drops}. The timers, the bounds of the reassembly table and the ICMP
 * time exceeded message have tests of their own below; a large echo request, reassembled and answered in
 * fragments, is in {@link Ipv4FragmentationTest}.
 * <p>
 * The datagrams are cut as Linux cuts them for a 1500-byte MTU: 1480 bytes of payload a fragment.
 */
class Ipv4ReassemblyScenarioTest
{
    private static final int BOUND_PORT = 7777;
    private static final int CLOSED_PORT = 9999;
    private static final int PEER_PORT = 40000;
    private static final long TIMEOUT_NS = Setting.IPV4_REASSEMBLY_TIMEOUT_NS.defaultValue();

    /** 3000 bytes of payload: a UDP datagram of 3008 bytes, fragments of 1480, 1480 and 48. */
    private static final byte[] UDP_3000 = udp(PEER_PORT, BOUND_PORT, bytes(3000, 7));
    private static final byte[] UDP_2000 = withIpv4(udp(PEER_PORT, BOUND_PORT, bytes(2000, 99)),
        Ipv4Packet.IDENTIFICATION_OFFSET, 0x43, 0x21);
    private static final byte[] UDP_TO_CLOSED_PORT = udp(PEER_PORT, CLOSED_PORT, bytes(2000, 1));
    private static final byte[] TCP_SYN_WITH_DATA = tcp(40002, 8080, 1000, 0, TcpSegment.FLAG_SYN, bytes(1600, 3));

    private EngineHarness harness;
    private int boundFd;

    /**
     * What a row expects of the engine: frames delivered, frames dropped per reason, the datagrams the socket
     * receives and the one answer on the wire, if any.
     */
    static final class Outcome
    {
        private final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);
        private final List<byte[]> received = new ArrayList<>();
        private int delivered;
        private int reassembled;
        private Answer answer = Answer.NONE;

        Outcome delivered(final int frames)
        {
            delivered = frames;
            return this;
        }

        Outcome dropped(final DropReason reason, final int frames)
        {
            drops.put(reason, frames);
            return this;
        }

        Outcome socketReceives(final byte[] datagramFrame)
        {
            received.add(udpPayload(datagramFrame));
            reassembled++;
            return this;
        }

        Outcome answer(final Answer answer)
        {
            this.answer = answer;
            reassembled++;
            return this;
        }

        public String toString()
        {
            return "delivered " + delivered + ", drops " + drops;
        }
    }

    /**
     * The one answer a row expects, checked against the whole datagram that caused it.
     */
    enum Answer
    {
        NONE,
        /** Port unreachable quoting the reassembled datagram's header (Total Length whole, not a fragment). */
        PORT_UNREACHABLE,
        /** RST|ACK to a SYN whose 1600 bytes of data came in two fragments: ack = seq + 1600 + 1. */
        RST_ACK
    }

    static Stream<Arguments> scenarios()
    {
        final List<byte[]> udp3000 = fragments(UDP_3000, 0, 1480, 2960);
        final List<byte[]> udp2000 = fragments(UDP_2000, 0, 1480);
        return Stream.of(
            row("in order: a 3000-byte UDP datagram in three fragments reaches the socket whole",
                udp3000, new Outcome().delivered(3).socketReceives(UDP_3000)),
            row("reversed: the last fragment first",
                reversed(udp3000), new Outcome().delivered(3).socketReceives(UDP_3000)),
            row("middle first, then first, then last",
                List.of(udp3000.get(1), udp3000.get(0), udp3000.get(2)),
                new Outcome().delivered(3).socketReceives(UDP_3000)),
            row("interleaved with another datagram: each completes on its own",
                List.of(udp3000.get(0), udp2000.get(0), udp3000.get(1), udp2000.get(1), udp3000.get(2)),
                new Outcome().delivered(5).socketReceives(UDP_2000).socketReceives(UDP_3000)),
            row("exact duplicate of a fragment held: ignored, the datagram completes",
                List.of(udp3000.get(0), udp3000.get(0), udp3000.get(1), udp3000.get(2)),
                new Outcome().delivered(3).dropped(DropReason.IPV4_FRAGMENT_DUPLICATE, 1)
                    .socketReceives(UDP_3000)),
            row("duplicate of the last fragment before the others came",
                List.of(udp3000.get(2), udp3000.get(2), udp3000.get(0), udp3000.get(1)),
                new Outcome().delivered(3).dropped(DropReason.IPV4_FRAGMENT_DUPLICATE, 1)
                    .socketReceives(UDP_3000)),
            row("overlap: bytes 1472..2960 over 0..1480 drop the datagram whole, and its late fragment starts anew",
                List.of(udp3000.get(0), fragment(UDP_3000, 1472, 1488, true), udp3000.get(2)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_OVERLAP, 2)
                    .dropped(DropReason.IPV4_REASSEMBLY_TIMEOUT, 1)),
            row("overlap inside a fragment held, not an exact copy: the datagram is dropped whole",
                List.of(udp3000.get(0), fragment(UDP_3000, 8, 8, true)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_OVERLAP, 2)),
            row("too big: a fragment ending past 65535 bytes drops the datagram whole",
                List.of(udp3000.get(0), withIpv4(udp3000.get(2), Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, 0x1F, 0xFE)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_TOO_BIG, 2)),
            row("a fragment other than the last whose length is not a multiple of 8",
                List.of(udp3000.get(0), fragment(UDP_3000, 1480, 1479, true)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_INCONSISTENT, 2)),
            row("two last fragments that disagree on the datagram's length",
                List.of(udp3000.get(2), fragment(UDP_3000, 1480, 1480, false)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_INCONSISTENT, 2)),
            row("tiny first TCP fragment: 16 bytes, not a whole TCP header (RFC 1858 3.2)",
                List.of(fragment(TCP_SYN_WITH_DATA, 0, 16, true)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_TINY, 1)),
            row("TCP fragment at offset 1 (8 bytes), which could rewrite the flags (RFC 1858 3.4)",
                List.of(fragment(TCP_SYN_WITH_DATA, 8, 8, true)),
                new Outcome().dropped(DropReason.IPV4_FRAGMENT_TINY, 1)),
            row("a TCP segment in two fragments reaches TCP whole: no listener, answered with RST|ACK",
                fragments(TCP_SYN_WITH_DATA, 0, 1480),
                new Outcome().dropped(DropReason.TCP_NO_CONNECTION, 2).answer(Answer.RST_ACK)),
            row("a UDP datagram to a closed port: every fragment shares its fate, one port unreachable",
                fragments(UDP_TO_CLOSED_PORT, 0, 1480),
                new Outcome().dropped(DropReason.UDP_NO_SOCKET, 2).answer(Answer.PORT_UNREACHABLE)));
    }

    @AfterEach
    void stopEngine()
    {
        harness.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void eachFragmentSharesItsDatagramsFateAndNothingStaysHeld(
        final String name, final List<byte[]> fragments, final Outcome expected)
    {
        start(UnaryOperator.identity());
        final EngineCounters counters = harness.counters();
        final long[] dropsBefore = drops(counters);
        final long deliveredBefore = counters.rxDelivered.get();

        for (final byte[] fragment : fragments)
        {
            harness.receive(fragment);
        }
        harness.advance(TIMEOUT_NS + EngineHarness.TICK_NS);

        assertEquals(0, counters.ipv4FragmentsHeld.get(), harness::diagnostics);
        assertTrue(counters.rxBalanced(), harness::diagnostics);
        assertEquals(fragments.size(), counters.rxIpv4Fragments.get(), "every fragment counted");
        assertEquals(expected.delivered, counters.rxDelivered.get() - deliveredBefore,
            () -> "rx_delivered\n" + harness.diagnostics());
        final long[] dropsAfter = drops(counters);
        for (final DropReason reason : DropReason.values())
        {
            if (reason.direction() == DropReason.Direction.TX)
            {
                continue;
            }
            assertEquals((long)expected.drops.getOrDefault(reason, 0),
                dropsAfter[reason.ordinal()] - dropsBefore[reason.ordinal()],
                () -> reason.label() + "\n" + harness.diagnostics());
        }
        assertEquals(expected.reassembled, counters.ipv4Reassembled.get(), "datagrams reassembled");

        for (final byte[] payload : expected.received)
        {
            final byte[] buffer = new byte[65536];
            final int received = harness.sockets().recvfrom(
                boundFd, buffer, 0, buffer.length, SocketConstants.MSG_DONTWAIT, null);
            assertArrayEquals(payload, Arrays.copyOf(buffer, Math.max(received, 0)), "the datagram's payload");
        }
        assertEquals(-Errno.EAGAIN, harness.sockets().recvfrom(
            boundFd, new byte[65536], 0, 65536, SocketConstants.MSG_DONTWAIT, null), "nothing more");

        final List<byte[]> transmitted = harness.takeTransmitted();
        switch (expected.answer)
        {
            case NONE:
                assertEquals(0, transmitted.size(), () -> "no answer:" + EngineHarness.describe(transmitted));
                break;
            case PORT_UNREACHABLE:
                assertEquals(1, transmitted.size(), () -> "one answer:" + EngineHarness.describe(transmitted));
                verifyIcmpError(transmitted.get(0), IcmpPacket.TYPE_DESTINATION_UNREACHABLE,
                    IcmpPacket.CODE_PORT_UNREACHABLE, withIpv4(UDP_TO_CLOSED_PORT,
                        Ipv4Packet.FLAGS_FRAGMENT_OFFSET_OFFSET, 0, 0));
                break;
            default:
                assertEquals(1, transmitted.size(), () -> "one answer:" + EngineHarness.describe(transmitted));
                final byte[] reset = transmitted.get(0);
                final int tcp = transportOffset(reset);
                assertEquals(TcpSegment.FLAG_RST | TcpSegment.FLAG_ACK, u8(reset, tcp + TcpSegment.FLAGS_OFFSET));
                assertEquals(1000 + 1600 + 1, TestFrames.u32(reset, tcp + TcpSegment.ACKNOWLEDGMENT_NUMBER_OFFSET),
                    "acknowledges the SYN and all 1600 bytes of the reassembled segment");
                break;
        }
    }

    @Test
    void firstFragmentThatTimesOutIsAnsweredWithTimeExceededQuotingItsHeaderAndEightBytes()
    {
        start(UnaryOperator.identity());
        final byte[] first = fragments(UDP_3000, 0, 1480, 2960).get(0);
        harness.receive(first);
        assertEquals(1, harness.counters().ipv4FragmentsHeld.get(), harness::diagnostics);

        harness.advance(TIMEOUT_NS - EngineHarness.TICK_NS);
        harness.assertNothingTransmitted("the datagram still has time");
        harness.advance(2 * EngineHarness.TICK_NS + Timers.GRANULARITY_NS);

        assertEquals(1, harness.counters().drops(DropReason.IPV4_REASSEMBLY_TIMEOUT), harness::diagnostics);
        assertEquals(0, harness.counters().ipv4FragmentsHeld.get(), harness::diagnostics);
        verifyIcmpError(harness.takeOnlyTransmitted(), IcmpPacket.TYPE_TIME_EXCEEDED,
            IcmpPacket.CODE_REASSEMBLY_TIME_EXCEEDED, first);
    }

    @Test
    void datagramThatTimesOutWithoutItsFirstFragmentIsDroppedUnanswered()
    {
        start(UnaryOperator.identity());
        final List<byte[]> fragments = fragments(UDP_3000, 0, 1480, 2960);
        harness.receive(fragments.get(1));
        harness.receive(fragments.get(2));

        harness.advance(TIMEOUT_NS + 2 * EngineHarness.TICK_NS);

        assertEquals(2, harness.counters().drops(DropReason.IPV4_REASSEMBLY_TIMEOUT), harness::diagnostics);
        harness.assertNothingTransmitted("RFC 1122 3.2.2.4: time exceeded only when fragment zero came");
    }

    @Test
    void fragmentsSentToTheBroadcastAddressTimeOutUnanswered()
    {
        start(UnaryOperator.identity());
        final byte[] broadcast = udp(BROADCAST_MAC, PEER_ADDRESS, DIRECTED_BROADCAST, PEER_PORT, BOUND_PORT,
            bytes(3000, 0));
        harness.receive(fragment(broadcast, 0, 1480, true));

        harness.advance(TIMEOUT_NS + 2 * EngineHarness.TICK_NS);

        assertEquals(1, harness.counters().drops(DropReason.IPV4_REASSEMBLY_TIMEOUT), harness::diagnostics);
        harness.assertNothingTransmitted("RFC 1122 3.2.2: no ICMP error about a broadcast");
    }

    @Test
    void fragmentOfOneDatagramMoreThanTheTableHoldsIsDroppedAndTheOthersGoOn()
    {
        start((context) -> context.set(Setting.IPV4_REASSEMBLY_DATAGRAMS, 2));
        final List<byte[]> first = fragments(UDP_3000, 0, 1480, 2960);
        final List<byte[]> second = fragments(UDP_2000, 0, 1480);
        final byte[] third = fragment(withIpv4(UDP_2000, Ipv4Packet.IDENTIFICATION_OFFSET, 0x55, 0x55), 0, 1480,
            true);
        final long deliveredBefore = harness.counters().rxDelivered.get();
        harness.receive(first.get(0));
        harness.receive(second.get(0));

        harness.receive(third);
        assertEquals(1, harness.counters().drops(DropReason.IPV4_REASSEMBLY_NO_SLOT), harness::diagnostics);

        harness.receive(first.get(1));
        harness.receive(first.get(2));
        harness.receive(second.get(1));
        assertEquals(5, harness.counters().rxDelivered.get() - deliveredBefore, harness::diagnostics);
        assertEquals(2, harness.counters().ipv4Reassembled.get(), harness::diagnostics);
    }

    @Test
    void datagramThatFindsNoFreePageIsDroppedWholeAndTheOthersGoOn()
    {
        // 64 KiB: 64 pages. The first 63 fragments of 1024 bytes of a large datagram take 63 of them.
        start((context) -> context.set(Setting.IPV4_REASSEMBLY_BYTES, 64 * 1024)
            .set(Setting.UDP_RECEIVE_RING_CAPACITY, 512 * 1024));
        final byte[] large = withIpv4(udp(PEER_PORT, BOUND_PORT, bytes(63 * 1024 + 100, 5)),
            Ipv4Packet.IDENTIFICATION_OFFSET, 0x77, 0x77);
        final List<byte[]> largeFragments = new ArrayList<>();
        for (int start = 0; start < 63 * 1024; start += 1024)
        {
            largeFragments.add(fragment(large, start, 1024, true));
        }
        largeFragments.add(fragment(large, 63 * 1024, 108, false));
        for (int i = 0; i < 63; i++)
        {
            harness.receive(largeFragments.get(i));
        }

        final List<byte[]> small = fragments(UDP_3000, 0, 1480, 2960);
        harness.receive(small.get(1));
        harness.receive(small.get(0));
        assertEquals(2, harness.counters().drops(DropReason.IPV4_REASSEMBLY_NO_MEMORY), () ->
            "each fragment needs two pages and one is left\n" + harness.diagnostics());

        harness.receive(largeFragments.get(63));
        assertEquals(1, harness.counters().ipv4Reassembled.get(), harness::diagnostics);
        final byte[] buffer = new byte[65536];
        assertEquals(63 * 1024 + 100, harness.sockets().recvfrom(
            boundFd, buffer, 0, buffer.length, SocketConstants.MSG_DONTWAIT, null));
    }

    @Test
    void datagramInMoreFragmentsThanAllowedIsDroppedWhole()
    {
        start((context) -> context.set(Setting.IPV4_REASSEMBLY_FRAGMENTS, 2));

        for (final byte[] fragment : fragments(UDP_3000, 0, 1480, 2960))
        {
            harness.receive(fragment);
        }

        assertEquals(3, harness.counters().drops(DropReason.IPV4_REASSEMBLY_TOO_MANY_FRAGMENTS),
            harness::diagnostics);
        assertEquals(0, harness.counters().ipv4FragmentsHeld.get(), harness::diagnostics);
    }

    private void start(final UnaryOperator<EngineContext> customise)
    {
        harness = EngineHarness.start((context) -> customise.apply(context
            .set(Setting.ARP_ENTRY_LIFETIME_NS, TimeUnit.HOURS.toNanos(1))));
        harness.learn(PEER_ADDRESS, PEER_MAC);
        boundFd = harness.sockets().socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(boundFd >= 0, () -> Errno.describe(boundFd));
        assertEquals(0, harness.sockets().bind(boundFd, SockAddr.inet(0, BOUND_PORT)));
    }

    /**
     * An ICMP error from us to the peer, quoting {@code cause}'s IP header and the first 8 bytes of its payload.
     */
    private static void verifyIcmpError(final byte[] reply, final int type, final int code, final byte[] cause)
    {
        assertEquals(PEER_MAC, mac(reply, EthernetFrame.DESTINATION_OFFSET), "to the peer's MAC");
        assertEquals(OUR_MAC, mac(reply, EthernetFrame.SOURCE_OFFSET), "from ours");
        assertTrue(isIpv4HeaderChecksumValid(reply), "IPv4 header checksum");
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ipProtocol(reply));
        assertEquals(OUR_ADDRESS, ipSource(reply), "from the address the datagram was sent to");
        assertEquals(PEER_ADDRESS, ipDestination(reply), "to its source");
        final int icmp = transportOffset(reply);
        assertEquals(type, u8(reply, icmp + IcmpPacket.TYPE_OFFSET), "type");
        assertEquals(code, u8(reply, icmp + IcmpPacket.CODE_OFFSET), "code");
        assertTrue(isIcmpChecksumValid(reply), "ICMP checksum");
        final int quoted = Ipv4Packet.HEADER_LENGTH + 8;
        assertEquals(IcmpPacket.HEADER_LENGTH + quoted, transportLength(reply), "header + 8 bytes");
        final byte[] quote = slice(reply, icmp + IcmpPacket.HEADER_LENGTH, quoted);
        assertArrayEquals(slice(cause, IP, quoted), quote, "the cause's header and its first 8 bytes");
    }

    private static List<byte[]> reversed(final List<byte[]> fragments)
    {
        final List<byte[]> reversed = new ArrayList<>(fragments);
        Collections.reverse(reversed);
        return reversed;
    }

    private static long[] drops(final EngineCounters counters)
    {
        final long[] drops = new long[DropReason.count()];
        for (final DropReason reason : DropReason.values())
        {
            drops[reason.ordinal()] = counters.drops(reason);
        }
        return drops;
    }

    private static Arguments row(final String name, final List<byte[]> fragments, final Outcome outcome)
    {
        return arguments(name, fragments, outcome);
    }
}
