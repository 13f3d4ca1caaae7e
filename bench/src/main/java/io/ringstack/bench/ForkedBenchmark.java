package io.ringstack.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * The fork settings every ringstack benchmark shares, inherited by JMH from this superclass: one fork, with the JVM
 * flags of the parent pom's {@code ringstack.jvm.flags} (JMH needs them as compile-time constants).
 */
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.IGNORE_UNRECOGNIZED,
    BenchmarkFlags.EXPORT_MISC,
    BenchmarkFlags.EXPORT_NIO_CH,
    BenchmarkFlags.EXPORT_REF,
    BenchmarkFlags.EXPORT_SUN_MISC,
    BenchmarkFlags.EXPORT_JAVAC_FILE,
    BenchmarkFlags.EXPORT_JAVAC,
    BenchmarkFlags.OPEN_LANG,
    BenchmarkFlags.OPEN_REFLECT,
    BenchmarkFlags.OPEN_IO,
    BenchmarkFlags.OPEN_UTIL,
    BenchmarkFlags.OPEN_NIO,
    BenchmarkFlags.UNSAFE_MEMORY_ACCESS,
    BenchmarkFlags.NATIVE_ACCESS,
    BenchmarkFlags.CHRONICLE_NO_ANALYTICS,
    BenchmarkFlags.CHRONICLE_NO_ANNOUNCER })
public abstract class ForkedBenchmark
{
}
