package io.ringstack.bench.report;

import io.ringstack.bench.JournalBenchmark;
import io.ringstack.bench.NicCableBenchmark;
import io.ringstack.bench.TcpThroughputBenchmark;
import io.ringstack.bench.UdpReceiveBenchmark;

import java.util.List;

import static io.ringstack.bench.report.Area.JOURNAL;
import static io.ringstack.bench.report.Area.NIC_CABLE;
import static io.ringstack.bench.report.Area.PARSE;
import static io.ringstack.bench.report.Area.TCP;
import static io.ringstack.bench.report.Area.UDP_RECEIVE;
import static io.ringstack.bench.report.CatalogueEntry.path;
import static io.ringstack.bench.report.CatalogueEntry.peer;
import static io.ringstack.bench.report.FigureUnit.FRAMES_PER_SECOND;
import static io.ringstack.bench.report.FigureUnit.GIGABITS_PER_SECOND;
import static io.ringstack.bench.report.FigureUnit.RECORDS_PER_SECOND;

/**
 * Every benchmark of the suite as the report shows it: its area, what it measures, its peer and its target. The
 * one place a benchmark's target is declared; a benchmark missing here still appears in the report, under
 * {@link Area#OTHER}, as JMH gave it.
 */
public final class Catalogue
{
    /** The suite's entries, in the order of their rows. */
    public static final List<CatalogueEntry> ENTRIES = entries();

    /** The 64-byte Ethernet/IPv4/UDP frame of the UDP receive and journal benchmarks. */
    private static final int SMALL_FRAME = 64;
    private static final int FULL_FRAME = 1514;
    private static final double FRAMES_TARGET = 30;
    private static final double CABLE_TARGET = 15;
    private static final double TCP_RATIO_TARGET = 1.5;
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
        final CatalogueEntry parse = path(PARSE, udp, "parseOnly", "Ethernet, IPv4 and UDP parse with both checksums",
            FRAMES_PER_SECOND)
            .frameSize(SMALL_FRAME);

        final CatalogueEntry e1000Small = cable("e1000", "E1000 to E1000", SMALL_FRAME)
            .target(Target.figureAtLeast(CABLE_TARGET));
        final CatalogueEntry e1000Full = cable("e1000", "E1000 to E1000", FULL_FRAME);

        final CatalogueEntry kernel = peer(TCP, TcpThroughputBenchmark.class, "kernel",
            "java.nio over the kernel's 127.0.0.1, 64 KiB writes", GIGABITS_PER_SECOND);

        final CatalogueEntry journalOff = path(JOURNAL, JournalBenchmark.class, "receive",
            "UDP receive, journal off", FRAMES_PER_SECOND)
            .param("journaled", "false")
            .frameSize(SMALL_FRAME);

        return List.of(
            recvfrom,
            viaRing,
            ring,
            uncheckedTwin(recvfrom, unchecked),
            uncheckedTwin(viaRing, unchecked),
            uncheckedTwin(ring, unchecked),
            parse,
            uncheckedTwin(parse, unchecked),
            e1000Small,
            cable("virtio", "VirtIO-net to VirtIO-net", SMALL_FRAME)
                .against(e1000Small, Ratio.TIMES)
                .target(Target.figureAtLeast(CABLE_TARGET)),
            e1000Full,
            cable("virtio", "VirtIO-net to VirtIO-net", FULL_FRAME)
                .against(e1000Full, Ratio.TIMES),
            path(TCP, TcpThroughputBenchmark.class, "ringstack",
                "one connection over the engine's loopback, 64 KiB writes", GIGABITS_PER_SECOND)
                .against(kernel, Ratio.TIMES)
                .target(Target.ratioAtLeast(TCP_RATIO_TARGET)),
            kernel,
            journalOff,
            path(JOURNAL, JournalBenchmark.class, "receive", "UDP receive, journal on", FRAMES_PER_SECOND)
                .param("journaled", "true")
                .frameSize(SMALL_FRAME)
                .against(journalOff, Ratio.COST)
                .target(Target.ratioAtMost(JOURNAL_COST_TARGET)),
            path(JOURNAL, JournalBenchmark.class, "journalRecords", "journal records sustained", RECORDS_PER_SECOND),
            path(JOURNAL, JournalBenchmark.class, "replay", "replay into a fresh engine, compared", FRAMES_PER_SECOND)
                .frameSize(SMALL_FRAME)
                .target(Target.figureAtLeast(REPLAY_TARGET)));
    }

    /**
     * A {@link NicCableBenchmark} entry: frames one way through a cable between two models of one NIC.
     */
    private static CatalogueEntry cable(final String nic, final String name, final int frameLength)
    {
        return path(NIC_CABLE, NicCableBenchmark.class, "framesThroughCable", name, FRAMES_PER_SECOND)
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
