package io.ringstack.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SuiteRunTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void selectionHoldsEveryCombinationOfParameters() throws CommandLineOptionException
    {
        final Set<BenchmarkId> selected = SuiteRun.select(new CommandLineOptions("NicCableBenchmark"));

        final Set<BenchmarkId> expected = new HashSet<>();
        for (final String method : List.of("framesThroughCable", "framesBothWays"))
        {
            for (final String nic : List.of("e1000", "virtio"))
            {
                for (final String frameLength : List.of("64", "512", "1514"))
                {
                    expected.add(
                        ReportFixture.id("NicCableBenchmark." + method, "nic", nic, "frameLength", frameLength));
                }
            }
        }
        assertEquals(expected, selected);
    }

    @Test
    void filterIsFoundInTheNameAsJmhFindsIt() throws CommandLineOptionException
    {
        final Set<BenchmarkId> selected = SuiteRun.select(new CommandLineOptions("receiveViaRecvfrom"));

        assertEquals(
            Set.of(
                ReportFixture.id("UdpReceiveBenchmark.receiveViaRecvfrom"),
                ReportFixture.id("UdpReceiveBenchmark.WithoutBoundsChecks.receiveViaRecvfrom")),
            selected);
    }

    @Test
    void quickRunAsksJmhForShortIterationsAndEveryRunForGcProfileAndJson()
    {
        final SuiteRun.Request request =
            SuiteRun.Request.parse(new String[] { "--quick", "--filter", "X", "--out", "d" });

        assertEquals(
            List.of("X", "-f", "1", "-wi", "1", "-w", "300ms", "-i", "3", "-r", "300ms", "-prof", "gc", "-rf",
                "json", "-rff", "r.json"),
            request.jmhArguments(Path.of("r.json")));
        assertEquals(List.of("-prof", "gc", "-rf", "json", "-rff", "r.json"),
            SuiteRun.Request.parse(new String[] { "--out", "d" }).jmhArguments(Path.of("r.json")));
    }

    @Test
    void filterThatMatchesNothingFailsInOneLineBeforeRunning()
    {
        final Path outDir = dir.resolve("report");

        final int exitCode = run("--quick", "--filter", "NoSuchBenchmark", "--out", outDir.toString());

        assertEquals(SuiteRun.EXIT_FAILURE, exitCode);
        assertEquals("ringstack: no benchmark matches --filter NoSuchBenchmark\n", text(err));
        assertEquals("", text(out));
        assertFalse(Files.exists(outDir));
    }

    @Test
    void missingOutIsRefusedInOneLine()
    {
        assertEquals(SuiteRun.EXIT_FAILURE, run("--quick"));
        assertEquals("ringstack: --out is missing\n", text(err));
    }

    @Test
    void unknownArgumentIsRefusedInOneLine()
    {
        assertEquals(SuiteRun.EXIT_FAILURE, run("--out", dir.toString(), "--fast"));
        assertEquals("ringstack: unknown argument: --fast\n", text(err));
    }

    private int run(final String... args)
    {
        return SuiteRun.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String text(final ByteArrayOutputStream stream)
    {
        return stream.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
