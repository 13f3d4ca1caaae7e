package io.ringstack.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JmhResultTest
{
    private final List<JmhResult> results = ReportFixture.results();

    @Test
    void readsEveryResultWithItsPrimaryMetricAndAllocation()
    {
        assertEquals(12, results.size());
        final JmhResult recvfrom = results.get(0);

        assertEquals("io.ringstack.bench.UdpReceiveBenchmark.receiveViaRecvfrom", recvfrom.benchmark());
        assertEquals(JmhResult.THROUGHPUT, recvfrom.mode());
        assertEquals(Map.of(), recvfrom.params());
        assertEquals(8.0e6, recvfrom.score());
        assertEquals(1.5e6, recvfrom.scoreError());
        assertEquals("ops/s", recvfrom.scoreUnit());
        assertEquals(0.0013, recvfrom.bytesPerOp());
        assertEquals(new JmhResult.Settings(1, 1, "1 s", 3, "1 s"), recvfrom.settings());
        assertEquals("1 fork, 1 × 1 s warm-up, 3 × 1 s measurement", recvfrom.settings().describe());
        assertEquals("17.0.15", recvfrom.jvm().jdkVersion());
        assertEquals("1.37", recvfrom.jvm().jmhVersion());
    }

    @Test
    void readsParametersIntoTheId()
    {
        final BenchmarkId id = results.get(2).id();

        assertEquals(ReportFixture.id("NicCableBenchmark.framesThroughCable", "nic", "e1000", "frameLength", "64"), id);
        assertEquals("NicCableBenchmark.framesThroughCable", id.shortName());
        assertEquals("NicCableBenchmark.framesThroughCable frameLength=64 nic=e1000", id.describe());
    }

    @Test
    void nestedBenchmarkClassKeepsItsOuterClassInTheShortName()
    {
        assertEquals("UdpReceiveBenchmark.WithoutBoundsChecks.ringOnly", results.get(10).id().shortName());
    }

    @Test
    void errorOfTooFewIterationsIsNotANumber()
    {
        assertTrue(Double.isNaN(results.get(10).scoreError()));
    }

    @Test
    void allocationMetricIsFoundUnderItsOlderNameToo()
    {
        assertEquals(0.0002, results.get(10).bytesPerOp());
    }

    @Test
    void sampledTimesCarryLatencyPercentiles()
    {
        final JmhResult sampled = results.get(11);
        final JmhResult throughput = results.get(0);

        assertTrue(sampled.hasLatencyPercentiles());
        assertFalse(throughput.hasLatencyPercentiles());
        assertEquals("us/op", sampled.scoreUnit());
        assertEquals(66.05503999999212e-6, sampled.secondsPerOp(sampled.percentiles().get(99.99)), 1e-15);
    }

    @Test
    void ratesConvertToOperationsPerSecond()
    {
        final JmhResult recvfrom = results.get(0);

        assertTrue(recvfrom.isRate());
        assertEquals(8.0e6, recvfrom.perSecond(recvfrom.score()));
        assertThrows(IllegalStateException.class, () -> results.get(11).perSecond(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{ \"benchmark\": \"x\" }                                             | (no array of results)",
        "[ { \"benchmark\": \"x\", \"mode\": \"thrpt\", \"primaryMetric\": {} } ] | (no score)",
        "[ 1, 2                                                             | ("
    })
    void fileThatIsNotJmhJsonIsRefusedWithItsNameAndWhy(final String text, final String why, @TempDir final Path dir)
        throws IOException
    {
        final Path file = Files.writeString(dir.resolve("results.json"), text);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> JmhResult.read(file));

        assertTrue(ex.getMessage().startsWith("not a JMH JSON result file"), ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains(why), ex.getMessage());
    }
}
