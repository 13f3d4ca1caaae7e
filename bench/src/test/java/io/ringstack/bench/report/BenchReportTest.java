package io.ringstack.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class BenchReportTest
{
    private static final byte[] PNG_SIGNATURE = { (byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    private static final BenchmarkId VIRTIO_FULL_FRAMES =
        ReportFixture.id("NicCableBenchmark.framesThroughCable", "nic", "virtio", "frameLength", "1514");

    @TempDir
    Path dir;

    private final List<JmhResult> results = ReportFixture.results();

    @Test
    void figureWithItsErrorPeerRatioTargetAndVerdict() throws IOException
    {
        assertRow("| receive through recvfrom, the public API, 64 B | `UdpReceiveBenchmark.receiveViaRecvfrom` | " +
            "8 ± 1.5 M frames/s | 40 M frames/s: Agrona one-to-one ring alone | 0.2× | ≥ 30 M frames/s | " +
            "**missed** by 22 M frames/s | 0.0013 |");
    }

    @Test
    void peerRowHasNoPeerOfItsOwn() throws IOException
    {
        assertRow("| Agrona one-to-one ring alone, 64 B (peer) | `UdpReceiveBenchmark.ringOnly` | " +
            "40 ± 2 M frames/s |  |  |  |  | 0.0002 |");
    }

    @Test
    void figureWithoutErrorSaysSo() throws IOException
    {
        assertRow("| Agrona one-to-one ring alone, no bounds checks, 64 B (peer) | " +
            "`UdpReceiveBenchmark.WithoutBoundsChecks.ringOnly` | 50 ± ? M frames/s | " +
            "40 M frames/s: Agrona one-to-one ring alone | 1.25× |  |  | 0.0002 |");
    }

    @Test
    void targetMetAndTargetMissedWithinTheError() throws IOException
    {
        assertRow("| E1000 to E1000, 64 B | `NicCableBenchmark.framesThroughCable frameLength=64 nic=e1000` | " +
            "16 ± 0.5 M frames/s |  |  | ≥ 15 M frames/s | met by 1 M frames/s | 0.0009 |");
        assertRow("| VirtIO-net to VirtIO-net, 64 B | " +
            "`NicCableBenchmark.framesThroughCable frameLength=64 nic=virtio` | 14.8 ± 0.5 M frames/s | " +
            "16 M frames/s: E1000 to E1000 | 0.925× | ≥ 15 M frames/s | " +
            "**missed** by 0.2 M frames/s (within the error) | 0.0012 |");
    }

    @Test
    void ratioTargetIsReadAgainstThePeerInItsUnit() throws IOException
    {
        assertRow("| over the engine's loopback, one connection, 64 KiB writes | " +
            "`TcpThroughputBenchmark.ringstack connections=1` | 12 ± 0.8 Gbps | " +
            "20 Gbps: java.nio over the kernel's 127.0.0.1, one connection, 64 KiB writes | 0.6× | " +
            "≥ 1.5× the peer | **missed** by 0.9× | 0.00001 |");
    }

    @Test
    void costTargetIsWhatTheFigureLosesAgainstThePeer() throws IOException
    {
        assertRow("| UDP receive, journal on, 64 B | `JournalBenchmark.receive journaled=true` | " +
            "4.2 ± 0.3 M frames/s | 7 M frames/s: UDP receive, journal off | 40 % | ≤ 10 % cost | " +
            "**missed** by 30 points | 0.003 |");
    }

    @Test
    void benchmarkNotSelectedIsNotRunAndSelectedWithoutResultFailed() throws IOException
    {
        assertRow("| replay into a fresh engine, compared, 64 B | `JournalBenchmark.replay` | *not run* |  |  | " +
            "≥ 10 M frames/s | *not run* |  |");
        assertRow("| VirtIO-net to VirtIO-net, 1514 B | " +
            "`NicCableBenchmark.framesThroughCable frameLength=1514 nic=virtio` | *failed* | " +
            "4 M frames/s: E1000 to E1000 |  |  |  |  |");
    }

    @Test
    void everyCatalogueEntryHasItsRowInItsArea() throws IOException
    {
        final String report = write();

        for (final CatalogueEntry entry : Catalogue.ENTRIES)
        {
            assertTrue(report.contains("| `" + entry.id().describe() + "` |"), entry.id().describe());
        }
        assertTrue(report.indexOf("## UDP receive") < report.indexOf("`UdpReceiveBenchmark.receiveViaRecvfrom`"));
        assertTrue(report.indexOf("## NIC cable") < report.indexOf("`NicCableBenchmark.framesThroughCable"));
        assertTrue(report.contains("## Parse\n"), "an area is shown even when none of it ran");
    }

    @Test
    void resultTheCatalogueDoesNotKnowIsListedAsJmhGaveIt() throws IOException
    {
        final String report = write();

        assertTrue(report.contains("## Other results"), report);
        assertTrue(report.contains("| `UdpReceiveBenchmark.ringOnly` | sample | 0.0417 ± 0.026 us/op | 0.00644 |"),
            report);
    }

    @Test
    void headerNamesMachineJdkJmhCommitAndCommands() throws IOException
    {
        final String report = write();

        assertTrue(report.startsWith("# ringstack benchmarks\n\nMeasured on 2026-11-24 11:20 UTC, in 2 min 14 s.\n"),
            report);
        assertTrue(report.contains("* **machine:** Test CPU, 2 logical CPUs, 8.0 GiB, Linux 6.1 (amd64); " +
            "load average 0.50 0.40 0.30 before the run\n"), report);
        assertTrue(report.contains(
            "* **JDK:** 17.0.15 (OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1, Test Vendor)\n"), report);
        assertTrue(report.contains("* **JMH:** 1.37; 1 fork, 1 × 1 s warm-up, 1 × 1 s measurement (1 result); " +
            "1 fork, 1 × 1 s warm-up, 2 × 1 s measurement (1 result); " +
            "1 fork, 1 × 1 s warm-up, 3 × 1 s measurement (10 results)\n"), report);
        assertTrue(report.contains("* **commit:** `0123456789ab`\n"), report);
        assertTrue(report.contains("* **command:** `" + ReportFixture.RUN.command() + "`\n"), report);
        assertTrue(report.contains("* **JMH command:** `" + ReportFixture.RUN.jmhCommand() + "`\n"), report);
    }

    @Test
    void allocationTargetIsMissedByAPathThatAllocates() throws IOException
    {
        assertTrue(write().contains(
            "**missed** on 1 of 8 paths measured: `JournalBenchmark.journalRecords` 24 B/op.\n"));
    }

    @Test
    void allocationTargetIsMetWhenEveryPathStaysUnderTheBookkeeping() throws IOException
    {
        final List<JmhResult> quiet = results.stream()
            .filter((result) -> !result.benchmark().endsWith("journalRecords"))
            .toList();

        new BenchReport(Catalogue.ENTRIES, quiet, Set.of(), ReportFixture.RUN).write(dir);

        assertTrue(read().contains(
            "**met** on all 7 paths measured; the most is 0.003 B/op (`JournalBenchmark.receive journaled=true`).\n"));
    }

    @Test
    void fewOperationsAtTheForksBackgroundRateCountAsZeroAndAreListedAsBackground() throws IOException
    {
        final String report = writeWithFloor(0.0045);

        assertTrue(report.contains("Background: `AllocationFloorBenchmark.idle`, which allocates nothing, shows " +
            "0.003 MB/s at 50000 ops/s (0.06 B/op): the fork's own threads."), report);
        assertTrue(report.contains("**met** on all 8 paths measured; the most outside the background is 0.003 B/op " +
            "(`JournalBenchmark.receive journaled=true`).\n"), report);
        assertTrue(report.contains("Within the background (1 path, their `gc.alloc.rate` at most 2× the floor's, " +
            "so 0 of their own): `UdpRoundTripBenchmark.ringstack busyPollNs=0 payloadLength=64` 0.3 B/op.\n"), report);
    }

    @Test
    void pathAllocatingFasterThanTwiceTheBackgroundMissesTheTarget() throws IOException
    {
        final String report = writeWithFloor(0.02);

        assertTrue(report.contains("**missed** on 1 of 8 paths measured: " +
            "`UdpRoundTripBenchmark.ringstack busyPollNs=0 payloadLength=64` 0.3 B/op.\n"), report);
        assertFalse(report.contains("Within the background"), report);
    }

    @Test
    void allocationFloorIsNotListedAmongUnknownResults() throws IOException
    {
        final String report = writeWithFloor(0.0045);

        assertTrue(report.contains("Results the catalogue does not know"), report);
        assertFalse(report.contains("| `AllocationFloorBenchmark.idle` |"), report);
    }

    @Test
    void chartsAreWrittenAsPngsAndLinkedUnderTheirArea() throws IOException
    {
        final List<Path> charts = report().write(dir);

        assertEquals(
            List.of("throughput-udp-receive.png", "throughput-nic-cable.png", "throughput-journal.png",
                "latency-other.png"),
            charts.stream().map((chart) -> chart.getFileName().toString()).toList());
        for (final Path chart : charts)
        {
            assertEquals(dir.resolve(BenchReport.CHARTS_DIRECTORY), chart.getParent());
            assertPng(chart);
        }
        final String report = read();
        assertTrue(report.indexOf("## NIC cable") < report.indexOf("(charts/throughput-nic-cable.png)"), report);
        assertTrue(report.indexOf("(charts/throughput-nic-cable.png)") < report.indexOf("## TCP loopback"), report);
    }

    @Test
    void noChartIsDrawnWithoutData() throws IOException
    {
        final List<Path> charts = new BenchReport(Catalogue.ENTRIES, List.of(), Set.of(), ReportFixture.RUN).write(dir);

        assertEquals(List.of(), charts);
        assertFalse(Files.exists(dir.resolve(BenchReport.CHARTS_DIRECTORY)));
        final String report = read();
        assertFalse(report.contains("!["), report);
        assertTrue(report.contains("*not run*: no path of the engine's own was measured"), report);
    }

    @Test
    void chartsOfAnEarlierReportDoNotOutliveIt() throws IOException
    {
        report().write(dir);
        final Path notOurs = Files.writeString(dir.resolve(BenchReport.CHARTS_DIRECTORY).resolve("notes.txt"), "kept");
        final List<JmhResult> udpOnly = results.stream()
            .filter((result) -> result.benchmark().contains("UdpReceiveBenchmark.r"))
            .toList();

        new BenchReport(Catalogue.ENTRIES, udpOnly, Set.of(), ReportFixture.RUN).write(dir);

        try (Stream<Path> files = Files.list(dir.resolve(BenchReport.CHARTS_DIRECTORY)))
        {
            assertEquals(Set.of("throughput-udp-receive.png", "latency-other.png", "notes.txt"),
                files.map((file) -> file.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertEquals("kept", Files.readString(notOurs));
    }

    private BenchReport report()
    {
        final Set<BenchmarkId> selected = new HashSet<>();
        results.forEach((result) -> selected.add(result.id()));
        selected.add(VIRTIO_FULL_FRAMES);

        return new BenchReport(Catalogue.ENTRIES, results, selected, ReportFixture.RUN);
    }

    /**
     * The fixture's results without the allocating journal path, plus the allocation floor at 0.003 MB/s and a UDP
     * round trip of 15,000 ops/s showing 0.3 B/op at the given allocation rate.
     */
    private String writeWithFloor(final double roundTripMegabytesPerSecond) throws IOException
    {
        final List<JmhResult> measured = new ArrayList<>(results.stream()
            .filter((result) -> !result.benchmark().endsWith("journalRecords"))
            .toList());
        final JmhResult template = measured.get(0);
        measured.add(allocating(template, BenchReport.ALLOCATION_FLOOR, Map.of(), 50_000, 0.06, 0.003));
        measured.add(allocating(template, "io.ringstack.bench.UdpRoundTripBenchmark.ringstack",
            Map.of("busyPollNs", "0", "payloadLength", "64"), 15_000, 0.3, roundTripMegabytesPerSecond));

        new BenchReport(Catalogue.ENTRIES, measured, Set.of(), ReportFixture.RUN).write(dir);
        return read();
    }

    private static JmhResult allocating(
        final JmhResult template,
        final String benchmark,
        final Map<String, String> params,
        final double opsPerSecond,
        final double bytesPerOp,
        final double megabytesPerSecond)
    {
        return new JmhResult(benchmark, JmhResult.THROUGHPUT, new TreeMap<>(params), opsPerSecond, 0, "ops/s",
            new TreeMap<>(), bytesPerOp,
            new TreeMap<>(Map.of("gc.alloc.rate.norm", bytesPerOp, "gc.alloc.rate", megabytesPerSecond)),
            template.settings(), template.jvm());
    }

    private String write() throws IOException
    {
        report().write(dir);
        return read();
    }

    private String read() throws IOException
    {
        return Files.readString(dir.resolve(BenchReport.REPORT_FILE), StandardCharsets.UTF_8);
    }

    private void assertRow(final String row) throws IOException
    {
        final String report = write();
        assertTrue(report.lines().anyMatch(row::equals), () -> "no row\n" + row + "\nin\n" + report);
    }

    private static void assertPng(final Path file) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > PNG_SIGNATURE.length, file + " is empty");
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), file + " is not a PNG");
    }
}
