package io.ringstack.bench;

import org.openjdk.jmh.annotations.Fork;

/**
 * The fork settings every ringstack benchmark shares, inherited by JMH from this superclass: one fork, with the JVM
 * flags of the parent pom's {@code ringstack.jvm.flags}, flag for flag and in the same order
 * ({@code ForkedBenchmarkTest} fails when the two drift apart).
 * <p>
 * This is the one place the benchmarks list the flags. They are copied rather than read because JMH needs them in
 * {@code @Fork(jvmArgsAppend = ...)}, and an annotation element may only hold constant expressions and array
 * initializers (JLS 9.7.1), not a {@code static final String[]}. JMH resolves each element of {@code @Fork} on its
 * own, from the benchmark's class up through its superclasses, so a subclass that declares only
 * {@code jvmArgsPrepend} (as {@code UdpReceiveBenchmark.WithoutBoundsChecks} does) still forks with these. A
 * {@code -jvmArgsAppend} on the JMH command line replaces this list instead of adding to it, so repeat all of them
 * when using it.
 */
@Fork(value = 1, jvmArgsAppend = {
    // First: lets JDK 17 start despite the JDK 24+ flags below.
    "-XX:+IgnoreUnrecognizedVMOptions",
    // Agrona 2.x reaches jdk.internal.misc.Unsafe.
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
    "--add-exports=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    // JDK 24+.
    "--sun-misc-unsafe-memory-access=allow",
    "--enable-native-access=ALL-UNNAMED",
    // Chronicle sends usage analytics when JUnit is not on the class path, as in a JMH fork.
    "-Dchronicle.analytics.disable=true",
    "-Dchronicle.announcer.disable=true" })
public abstract class ForkedBenchmark
{
}
