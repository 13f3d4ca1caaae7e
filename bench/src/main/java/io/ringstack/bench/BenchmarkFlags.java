package io.ringstack.bench;

/**
 * The JVM flags every benchmark fork runs with. They mirror the parent pom's {@code ringstack.jvm.flags} property,
 * flag for flag and in the same order ({@code BenchmarkFlagsTest} fails when the two drift apart).
 * <p>
 * They are copied rather than read because JMH needs them in {@code @Fork(jvmArgsAppend = ...)}, and an
 * annotation element may only hold compile-time constants: each flag is a {@code static final String} so that
 * annotations can list them, and {@link #JVM_FLAGS} gathers them for code and tests. (An annotation cannot name a
 * {@code static final String[]} field itself; JLS 9.7.1 allows only constant expressions and array initializers.)
 * A {@code -jvmArgsAppend} on the JMH command line replaces the annotation's list instead of adding to it, so
 * repeat all of these when using it.
 */
public final class BenchmarkFlags
{
    /** Must come first: lets JDK 17 start despite the JDK 24+ flags below. */
    public static final String IGNORE_UNRECOGNIZED = "-XX:+IgnoreUnrecognizedVMOptions";
    /** Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}. */
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String EXPORT_SUN_MISC = "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED";
    public static final String EXPORT_JAVAC_FILE = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";
    public static final String EXPORT_JAVAC = "--add-exports=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED";
    public static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String OPEN_IO = "--add-opens=java.base/java.io=ALL-UNNAMED";
    public static final String OPEN_UTIL = "--add-opens=java.base/java.util=ALL-UNNAMED";
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** JDK 24+. */
    public static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";
    /** JDK 24+. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Chronicle sends usage analytics when JUnit is not on the class path, as in a JMH fork. */
    public static final String CHRONICLE_NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    public static final String CHRONICLE_NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";

    /**
     * Not in the pom: turns off Agrona's buffer bounds checks. A fair benchmark setting only because ringstack's
     * flyweights check lengths themselves; correctness never depends on Agrona's checks.
     */
    public static final String DISABLE_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";

    private static final String[] FLAGS =
    {
        IGNORE_UNRECOGNIZED,
        EXPORT_MISC,
        EXPORT_NIO_CH,
        EXPORT_REF,
        EXPORT_SUN_MISC,
        EXPORT_JAVAC_FILE,
        EXPORT_JAVAC,
        OPEN_LANG,
        OPEN_REFLECT,
        OPEN_IO,
        OPEN_UTIL,
        OPEN_NIO,
        UNSAFE_MEMORY_ACCESS,
        NATIVE_ACCESS,
        CHRONICLE_NO_ANALYTICS,
        CHRONICLE_NO_ANNOUNCER,
    };

    private BenchmarkFlags()
    {
    }

    /**
     * @return a copy of the pom's {@code ringstack.jvm.flags}, one flag per element, in the pom's order.
     */
    public static String[] jvmFlags()
    {
        return FLAGS.clone();
    }
}
