package io.ringstack.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the JMH fork flags, which must be compile-time constants, in step with the parent pom's
 * {@code ringstack.jvm.flags}, the one place the project declares them.
 */
class BenchmarkFlagsTest
{
    private static final Pattern FLAGS_PROPERTY =
        Pattern.compile("<ringstack\\.jvm\\.flags>([^<]*)</ringstack\\.jvm\\.flags>");

    @Test
    void flagsMirrorTheParentPomProperty() throws IOException
    {
        final String pom = Files.readString(Path.of("..", "pom.xml"), StandardCharsets.UTF_8);
        final Matcher matcher = FLAGS_PROPERTY.matcher(pom);
        assertTrue(matcher.find(), "ringstack.jvm.flags in the parent pom");
        final String[] pomFlags = matcher.group(1).trim().split("\\s+");

        assertArrayEquals(pomFlags, BenchmarkFlags.jvmFlags(), "BenchmarkFlags differs from ringstack.jvm.flags");
    }

    @Test
    void benchmarkForksCarryTheFlags()
    {
        assertArrayEquals(BenchmarkFlags.jvmFlags(),
            ForkedBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend());
    }

    @Test
    void boundsCheckFreeForksCarryTheFlagsPlusTheSwitch()
    {
        final String[] flags = BenchmarkFlags.jvmFlags();
        final String[] expected = Arrays.copyOf(flags, flags.length + 1);
        expected[flags.length] = BenchmarkFlags.DISABLE_BOUNDS_CHECKS;

        assertArrayEquals(expected,
            UdpReceiveBenchmark.WithoutBoundsChecks.class.getAnnotation(Fork.class).jvmArgsAppend());
    }
}
