package io.ringstack.bench.report;

import io.ringstack.bench.DispatcherBenchmark;
import io.ringstack.bench.JournalBenchmark;
import io.ringstack.bench.NicCableBenchmark;
import io.ringstack.bench.ParseBenchmark;
import io.ringstack.bench.TcpRequestResponseBenchmark;
import io.ringstack.bench.TcpThroughputBenchmark;
import io.ringstack.bench.UdpLatency;
import io.ringstack.bench.UdpReceiveBenchmark;
import io.ringstack.bench.UdpRoundTripBenchmark;
import io.ringstack.bench.UdpSendBenchmark;

import java.util.ArrayList;
import java.util.List;

import static io.ringstack.bench.report.Area.DISPATCH;
import static io.ringstack.bench.report.Area.JOURNAL;
import static io.ringstack.bench.report.Area.NIC_CABLE;
import static io.ringstack.bench.report.Area.PARSE;
import static io.ringstack.bench.report.Area.TCP;
import static io.ringstack.bench.report.Area.UDP_LATENCY;
import static io.ringstack.bench.report.Area.UDP_RECEIVE;
import static io.ringstack.bench.report.Area.UDP_ROUND_TRIP;
import static io.ringstack.bench.report.Area.UDP_SEND;
import static io.ringstack.bench.report.CatalogueEntry.path;
import static io.ringstack.bench.report.CatalogueEntry.peer;
import static io.ringstack.bench.report.FigureUnit.FRAMES_PER_SECOND;
import static io.ringstack.bench.report.FigureUnit.GIGABITS_PER_SECOND;
import static io.ringstack.bench.report.FigureUnit.MICROSECONDS;
import static io.ringstack.bench.report.FigureUnit.RECORDS_PER_SECOND;
import static io.ringstack.bench.report.FigureUnit.ROUND_TRIPS_PER_SECOND;
import static io.ringstack.bench.report.FigureUnit.TRANSACTIONS_PER_SECOND;

/**
 * Every benchmark of the suite as the report shows it: its area, what it measures, its peer and its target. The
 * one place a benchmark's target is declared; a benchmark missing here still appears in the report, under
 * {@link Area#OTHER}, as JMH gave it.
 */
public final class Catalogue
{
    /** The frame lengths of the sized benchmarks: the minimum, a middle size, a full 1500-byte MTU. */
    private static final int[] FRAME_LENGTHS = { 64, 512, 1514 };
    /** The payload lengths of the UDP round trips: 64 bytes, a middle size, a full 1500-byte MTU. */
    private static final int[] UDP_PAYLOADS = { 64, 512, UdpRoundTripBenchmark.FULL_PAYLOAD };

    /** The suite's entries, in the order of their rows. */
    public static final List<CatalogueEntry> ENTRIES = entries();

    /** The 64-byte Ethernet/IPv4/UDP frame of the UDP receive and journal benchmarks. */
    private static final int SMALL_FRAME = 64;
    private static final double FRAMES_TARGET = 30;
    private static final double PARSE_RATIO_TARGET = 20;
    /** The engine's parse within 1.2 times the cost of the minimal hand-written one. */
    private static final double MINIMAL_PARSE_RATIO_TARGET = 1 / 1.2;
    private static final double CABLE_TARGET = 15;
    private static final double TCP_RATIO_TARGET = 1.5;
    private static final double ROUND_TRIP_RATIO_TARGET = 30;
    /** p99.99 of a UDP request/response, µs, at the load of {@link #LATENCY_TARGET_RATE}. */
    private static final double LATENCY_TARGET = 20;
    private static final long LATENCY_TARGET_RATE = 1_000_000;
    /** What a UDP payload adds up to in a frame: Ethernet, IPv4 and UDP headers. */
    private static final int UDP_FRAME_OVERHEAD = 42;
    private static final double JOURNAL_COST_TARGET = 10;
    private static final double REPLAY_TARGET = 10;

    private Catalogue()
    {
    }

    private static List<CatalogueEntry> entries()
    {
        final Class<?> udp = UdpReceiveBenchmark.class;
        final Class<?> unchecked = UdpReceiveBenchmark.WithoutBoundsChecks.class;
        final CatalogueEntry ring =
            peer(UDP_RECEIVE, udp, "ringOnly", "Agrona one-to-one ring alone", FRAMES_PER_SECOND).frameSize(SMALL_FRAME);
        final CatalogueEntry recvfrom = path(UDP_RECEIVE, udp, "receiveViaRecvfrom",
            "receive through recvfrom, the public API", FRAMES_PER_SECOND)
            .frameSize(SMALL_FRAME)
            .against(ring, Ratio.TIMES)
            .target(Target.figureAtLeast(FRAMES_TARGET));
        final CatalogueEntry viaRing = path(UDP_RECEIVE, udp, "receiveViaRing", "receive, socket ring read directly",
            FRAMES_PER_SECOND)
            .frameSize(SMALL_FRAME)
            .against(ring, Ratio.TIMES);
        final CatalogueEntry minimalParse = peer(PARSE, udp, "parseMinimal",
            "Ethernet, IPv4 and UDP parse with both checksums, minimal, by hand", FRAMES_PER_SECOND)
            .frameSize(SMALL_FRAME);
        final CatalogueEntry parse = path(PARSE, udp, "parseOnly", "Ethernet, IPv4 and UDP parse with both checksums",
            FRAMES_PER_SECOND)
            .frameSize(SMALL_FRAME)
            .against(minimalParse, Ratio.TIMES)
            .target(Target.ratioAtLeast(MINIMAL_PARSE_RATIO_TARGET));

        final CatalogueEntry journalOff = path(JOURNAL, JournalBenchmark.class, "receive",
            "UDP receive, journal off", FRAMES_PER_SECOND)
            .param("journaled", "false")
            .frameSize(SMALL_FRAME);

        final List<CatalogueEntry> entries = new ArrayList<>(List.of(
            recvfrom,
            viaRing,
            ring,
            uncheckedTwin(recvfrom, unchecked),
            uncheckedTwin(viaRing, unchecked),
            uncheckedTwin(ring, unchecked),
            parse,
            minimalParse,
            uncheckedTwin(parse, unchecked),
            uncheckedTwin(minimalParse, unchecked),
            journalOff,
            path(JOURNAL, JournalBenchmark.class, "receive", "UDP receive, journal on", FRAMES_PER_SECOND)
                .param("journaled", "true")
                .frameSize(SMALL_FRAME)
                .against(journalOff, Ratio.COST)
                .target(Target.ratioAtMost(JOURNAL_COST_TARGET)),
            path(JOURNAL, JournalBenchmark.class, "journalRecords", "journal records sustained", RECORDS_PER_SECOND),
            path(JOURNAL, JournalBenchmark.class, "replay", "replay into a fresh engine, compared", FRAMES_PER_SECOND)
                .frameSize(SMALL_FRAME)
                .target(Target.figureAtLeast(REPLAY_TARGET))));
        entries.addAll(cables("framesThroughCable", "%s to %s"));
        entries.addAll(cables("framesBothWays", "%s with %s, both ways at once, per direction"));
        entries.addAll(parse("udp", "Ethernet, IPv4, UDP parse, both checksums", 0));
        entries.addAll(parse("tcp", "Ethernet, IPv4, TCP with Linux's SYN options parse, both checksums",
            ParseBenchmark.TCP_MIN_FRAME_LENGTH));
        entries.addAll(parse("icmp", "Ethernet, IPv4, ICMP echo parse, both checksums", 0));
        entries.addAll(dispatches());
        entries.addAll(tcp());
        entries.addAll(udpSends());
        entries.addAll(udpRoundTrips());
        entries.addAll(udpLatencies());
        entries.addAll(versusPcap4j(ParseBenchmark.Arp.class, "arp", "Ethernet, ARP parse", null,
            ParseBenchmark.ARP_FRAME_LENGTH));
        return List.copyOf(entries);
    }

    /**
     * The TCP entries: bulk over one and eight connections, request/response of 1 byte and 1 KiB, each read against
     * the same over the kernel's 127.0.0.1.
     */
    private static List<CatalogueEntry> tcp()
    {
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final String connections : new String[] { "1", "8" })
        {
            entries.addAll(versusKernel(TCP, TcpThroughputBenchmark.class, "connections", connections,
                ("1".equals(connections) ? "one connection" : connections + " connections") + ", 64 KiB writes",
                GIGABITS_PER_SECOND, 0, Target.ratioAtLeast(TCP_RATIO_TARGET)));
        }
        for (final String size : new String[] { "1", "1024" })
        {
            entries.addAll(versusKernel(TCP, TcpRequestResponseBenchmark.class, "size", size,
                ("1".equals(size) ? "1-byte" : "1 KiB") + " requests and responses", TRANSACTIONS_PER_SECOND, 0, null));
        }
        return entries;
    }

    /**
     * A benchmark's {@code ringstack} method, over the engine's loopback, and its peer {@code kernel}, the same over
     * the kernel's 127.0.0.1 with {@code java.nio}, at one value of one parameter.
     *
     * @param frameSize the frame size to chart them at, or 0 not to chart them.
     * @param target    the ringstack entry's target, or {@code null}.
     * @return the two entries, ringstack's first.
     */
    private static List<CatalogueEntry> versusKernel(
        final Area area, final Class<?> benchmark, final String param, final String value, final String what,
        final FigureUnit unit, final int frameSize, final Target target)
    {
        final CatalogueEntry kernel = peer(area, benchmark, "kernel", "java.nio over the kernel's 127.0.0.1, " + what,
            unit).param(param, value).frameSize(frameSize);
        final CatalogueEntry ringstack = path(area, benchmark, "ringstack", "over the engine's loopback, " + what, unit)
            .param(param, value)
            .frameSize(frameSize)
            .against(kernel, Ratio.TIMES);
        return List.of(null == target ? ringstack : ringstack.target(target), kernel);
    }

    /**
     * The {@link UdpSendBenchmark} entries: onto the loopback ring and onto a device, one datagram or a batch at a
     * time, at each frame length.
     */
    private static List<CatalogueEntry> udpSends()
    {
        final String batch = ", " + UdpSendBenchmark.BATCH + " per drain";
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final int frameLength : FRAME_LENGTHS)
        {
            for (final String[] send : new String[][] {
                { "loopback", "sendto onto the loopback ring, delivered" },
                { "loopbackBatch", "sendto onto the loopback ring, delivered" + batch },
                { "device", "sendto onto a device, on the wire" },
                { "deviceBatch", "sendto onto a device, on the wire" + batch } })
            {
                entries.add(path(UDP_SEND, UdpSendBenchmark.class, send[0], send[1], FRAMES_PER_SECOND)
                    .param("frameLength", Integer.toString(frameLength))
                    .frameSize(frameLength));
            }
        }
        return entries;
    }

    /**
     * The {@link UdpRoundTripBenchmark} entries at each payload length, ringstack's read against the kernel's.
     */
    private static List<CatalogueEntry> udpRoundTrips()
    {
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final int payload : UDP_PAYLOADS)
        {
            final List<CatalogueEntry> pair = versusKernel(UDP_ROUND_TRIP, UdpRoundTripBenchmark.class,
                "payloadLength", Integer.toString(payload), "sendto, echo, recvfrom between two threads",
                ROUND_TRIPS_PER_SECOND, payload + UDP_FRAME_OVERHEAD, Target.ratioAtLeast(ROUND_TRIP_RATIO_TARGET));
            final CatalogueEntry ringstack = pair.get(0);
            entries.add(ringstack.param("busyPollNs", "0"));
            entries.add(ringstack.param("busyPollNs", Long.toString(UdpRoundTripBenchmark.BUSY_POLL_NS))
                .named(ringstack.name() + ", busy polling 50 µs"));
            entries.add(pair.get(1));
        }
        return entries;
    }

    /**
     * The {@link UdpLatency} entries: the 99.99th percentile of each path at each offered load, ringstack's read
     * against the kernel's at the same load.
     */
    private static List<CatalogueEntry> udpLatencies()
    {
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final long rate : UdpLatency.RATES)
        {
            final String load = ", " + Figures.significant(rate / 1e6) + " M requests/s offered";
            final CatalogueEntry kernel = latency(
                "kernel", "p99.99, java.nio DatagramChannels over the kernel's 127.0.0.1" + load, rate, true);
            for (final String[] path : new String[][] {
                { "loopback", "p99.99, two threads over the engine's loopback ring" },
                { "e1000", "p99.99, two engines on an E1000 cable" },
                { "virtio", "p99.99, two engines on a VirtIO-net cable" } })
            {
                final CatalogueEntry entry = latency(path[0], path[1] + load, rate, false).against(kernel, Ratio.TIMES);
                entries.add(LATENCY_TARGET_RATE == rate ? entry.target(Target.figureAtMost(LATENCY_TARGET)) : entry);
            }
            entries.add(kernel);
        }
        return entries;
    }

    private static CatalogueEntry latency(final String path, final String name, final long rate, final boolean isPeer)
    {
        final CatalogueEntry entry = isPeer ?
            peer(UDP_LATENCY, UdpLatency.class, "roundTrip", name, MICROSECONDS) :
            path(UDP_LATENCY, UdpLatency.class, "roundTrip", name, MICROSECONDS);
        return entry.param("path", path).param("rate", Long.toString(rate)).sampled();
    }

    /**
     * The {@link DispatcherBenchmark} entries: a duty cycle of frames of one protocol through the dispatcher and its
     * arm, UDP and ICMP echo at each frame length, then ARP.
     */
    private static List<CatalogueEntry> dispatches()
    {
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final int frameLength : FRAME_LENGTHS)
        {
            entries.add(dispatch("udp", "UDP datagram dispatched into its socket's ring", frameLength));
        }
        for (final int frameLength : FRAME_LENGTHS)
        {
            entries.add(dispatch("icmpEcho", "ICMP echo request dispatched and answered", frameLength));
        }
        entries.add(dispatch("arp", "ARP request dispatched and answered", ParseBenchmark.ARP_FRAME_LENGTH));
        return entries;
    }

    private static CatalogueEntry dispatch(final String protocol, final String name, final int frameLength)
    {
        return path(DISPATCH, DispatcherBenchmark.class, "dispatch", name, FRAMES_PER_SECOND)
            .param("frame", protocol + ":" + frameLength)
            .frameSize(frameLength);
    }

    /**
     * The {@link ParseBenchmark} entries of one protocol at each frame length, each read against pcap4j.
     *
     * @param shortest the protocol's shortest frame, longer than 64 bytes, or 0 when 64 bytes hold it.
     */
    private static List<CatalogueEntry> parse(final String protocol, final String name, final int shortest)
    {
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final int frameLength : FRAME_LENGTHS)
        {
            entries.addAll(versusPcap4j(ParseBenchmark.class, protocol, name, Integer.toString(frameLength),
                Math.max(frameLength, shortest)));
        }
        return entries;
    }

    /**
     * A parse by ringstack's flyweights and its peer, the same parse by pcap4j ({@code <method>Pcap4j}).
     *
     * @param frameLength the {@code frameLength} parameter, or {@code null} for a benchmark without it.
     */
    private static List<CatalogueEntry> versusPcap4j(
        final Class<?> benchmark, final String method, final String name, final String frameLength,
        final int frameSize)
    {
        CatalogueEntry pcap4j = peer(PARSE, benchmark, method + "Pcap4j", name + " by pcap4j", FRAMES_PER_SECOND)
            .frameSize(frameSize);
        CatalogueEntry flyweights = path(PARSE, benchmark, method, name, FRAMES_PER_SECOND).frameSize(frameSize);
        if (null != frameLength)
        {
            pcap4j = pcap4j.param("frameLength", frameLength);
            flyweights = flyweights.param("frameLength", frameLength);
        }
        return List.of(
            flyweights.against(pcap4j, Ratio.TIMES).target(Target.ratioAtLeast(PARSE_RATIO_TARGET)),
            pcap4j);
    }

    /**
     * The {@link NicCableBenchmark} entries of one method at every frame length, VirtIO-net read against E1000, the
     * 64-byte ones against the cable target.
     *
     * @param name what the entry measures, with {@code %s} for each end's model.
     */
    private static List<CatalogueEntry> cables(final String method, final String name)
    {
        final List<CatalogueEntry> entries = new ArrayList<>();
        for (final int frameLength : FRAME_LENGTHS)
        {
            CatalogueEntry e1000 = cable(method, "e1000", String.format(name, "E1000", "E1000"), frameLength);
            CatalogueEntry virtio =
                cable(method, "virtio", String.format(name, "VirtIO-net", "VirtIO-net"), frameLength);
            if (frameLength == SMALL_FRAME)
            {
                e1000 = e1000.target(Target.figureAtLeast(CABLE_TARGET));
                virtio = virtio.target(Target.figureAtLeast(CABLE_TARGET));
            }
            entries.add(e1000);
            entries.add(virtio.against(e1000, Ratio.TIMES));
        }
        return entries;
    }

    /**
     * A {@link NicCableBenchmark} entry: frames through a cable between two models of one NIC.
     */
    private static CatalogueEntry cable(
        final String method, final String nic, final String name, final int frameLength)
    {
        return path(NIC_CABLE, NicCableBenchmark.class, method, name, FRAMES_PER_SECOND)
            .param("nic", nic)
            .param("frameLength", Integer.toString(frameLength))
            .frameSize(frameLength);
    }

    /**
     * The same benchmark run by {@link UdpReceiveBenchmark.WithoutBoundsChecks}, read against the original.
     */
    private static CatalogueEntry uncheckedTwin(final CatalogueEntry checked, final Class<?> unchecked)
    {
        final String benchmark = checked.id().benchmark();
        final String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        final CatalogueEntry twin = checked.isPeer() ?
            peer(checked.area(), unchecked, method, checked.name() + ", no bounds checks", checked.unit()) :
            path(checked.area(), unchecked, method, checked.name() + ", no bounds checks", checked.unit());

        return twin.frameSize(checked.frameSize()).against(checked, Ratio.TIMES);
    }
}
