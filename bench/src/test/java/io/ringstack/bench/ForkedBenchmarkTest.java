package io.ringstack.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the JMH fork flags, which must be compile-time constants, in step with the parent pom's
 * {@code ringstack.jvm.flags}, the one place the project declares them, and checks what JMH made of the
 * annotations: the fork settings its annotation processor wrote for every benchmark.
 */
class ForkedBenchmarkTest
{
    private static final Pattern FLAGS_PROPERTY =
        Pattern.compile("<ringstack\\.jvm\\.flags>([^<]*)</ringstack\\.jvm\\.flags>");

    @Test
    void forkFlagsMirrorTheParentPomProperty() throws IOException
    {
        assertArrayEquals(pomFlags(), ForkedBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend(),
            "ForkedBenchmark's @Fork differs from ringstack.jvm.flags");
    }

    @Test
    void everyBenchmarkForksOnceWithTheFlags() throws IOException
    {
        final List<String> flags = List.of(pomFlags());
        for (final BenchmarkListEntry benchmark : benchmarks())
        {
            assertEquals(1, benchmark.getForks().get(), benchmark.getUsername());
            assertEquals(flags, new ArrayList<>(benchmark.getJvmArgsAppend().get()), benchmark.getUsername());
        }
    }

    @Test
    void onlyTheBoundsCheckFreeForksAddTheSwitch() throws IOException
    {
        int boundsCheckFree = 0;
        for (final BenchmarkListEntry benchmark : benchmarks())
        {
            if (benchmark.getUserClassQName().equals(UdpReceiveBenchmark.WithoutBoundsChecks.class.getCanonicalName()))
            {
                assertEquals(List.of(UdpReceiveBenchmark.DISABLE_BOUNDS_CHECKS),
                    new ArrayList<>(benchmark.getJvmArgsPrepend().get()), benchmark.getUsername());
                boundsCheckFree++;
            }
            else
            {
                assertFalse(benchmark.getJvmArgsPrepend().hasValue(), benchmark.getUsername());
            }
        }
        assertTrue(boundsCheckFree > 0, "no benchmark of UdpReceiveBenchmark.WithoutBoundsChecks listed");
    }

    private static String[] pomFlags() throws IOException
    {
        final String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        final Matcher matcher = FLAGS_PROPERTY.matcher(pom);
        assertTrue(matcher.find(), "ringstack.jvm.flags in the parent pom");
        return matcher.group(1).trim().split("\\s+");
    }

    /**
     * @return every benchmark as JMH's annotation processor listed it for the runner.
     */
    private static Collection<BenchmarkListEntry> benchmarks() throws IOException
    {
        try (InputStream list = ForkedBenchmarkTest.class.getResourceAsStream(BenchmarkList.BENCHMARK_LIST))
        {
            assertNotNull(list, BenchmarkList.BENCHMARK_LIST);
            final List<BenchmarkListEntry> benchmarks = BenchmarkList.readBenchmarkList(list);
            assertFalse(benchmarks.isEmpty(), "no benchmarks listed");
            return benchmarks;
        }
    }
}
