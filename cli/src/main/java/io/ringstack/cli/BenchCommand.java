package io.ringstack.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code ringstack bench}: the JMH suite and its report. The suite runs in a JVM of its own over the benchmarks jar,
 * {@value #BENCHMARKS_JAR} of the source tree (the launcher builds it), so that neither JMH nor the charting library
 * ends up in the command's jar: JMH with forks, warm-up and {@code -prof gc} into {@code results.json}, then
 * {@code REPORT.md} and its charts beside it. The source tree is the {@value #HOME_PROP_NAME} system property, which
 * the launcher sets.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Run the JMH benchmark suite with -prof gc and write REPORT.md, results.json and charts.")
public final class BenchCommand implements Callable<Integer>
{
    /** The system property naming the source tree, whose benchmarks jar the command runs. */
    public static final String HOME_PROP_NAME = "ringstack.home";
    /** The benchmarks jar, relative to the source tree. */
    public static final String BENCHMARKS_JAR = "bench/target/benchmarks.jar";

    private static final String DEFAULT_OUT = "bench";
    private static final String SUITE_RUN = "io.ringstack.bench.report.SuiteRun";

    @Spec
    CommandSpec spec;

    @Option(
        names = "--quick",
        description = "Short iterations (1 fork, 1 × 300 ms warm-up, 3 × 300 ms measurement each): the whole suite in " +
            "under 5 minutes. Without it, each benchmark runs with its own settings.")
    boolean quick;

    @Option(
        names = "--filter",
        paramLabel = "REGEX",
        description = "Run only the benchmarks whose full name this regular expression finds, as JMH selects " +
            "them, e.g. 'UdpReceiveBenchmark\\.receiveViaRecvfrom$' (default: all).")
    String filter;

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Where REPORT.md, results.json and charts/ go (default: bench/ of the source tree).")
    Path out;

    /**
     * Run the suite in a JVM of its own and wait for it.
     *
     * @return the suite's exit code: {@link RingstackCommand#EXIT_OK} when every selected benchmark gave a result
     * and the report was written.
     * @throws IOException          if the JVM cannot be started.
     * @throws InterruptedException if interrupted while the suite runs.
     */
    public Integer call() throws IOException, InterruptedException
    {
        if (null != filter)
        {
            try
            {
                Pattern.compile(filter);
            }
            catch (final PatternSyntaxException ex)
            {
                RingstackCommand.printError(spec.commandLine(),
                    "--filter is not a regular expression: " + ex.getDescription() + " near index " + ex.getIndex() +
                    " of " + filter);
                return RingstackCommand.EXIT_USAGE;
            }
        }
        final Path outDirectory = null == out ? null : writableDirectory(out);
        final Path home = sourceTree();
        final Path jar = home.resolve(BENCHMARKS_JAR);
        if (!Files.isRegularFile(jar))
        {
            throw new IllegalStateException("no " + jar + " (the ringstack launcher builds it)");
        }

        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.awt.headless=true",
            "-cp", jar.toString(),
            SUITE_RUN,
            "--out", (null == outDirectory ? writableDirectory(home.resolve(DEFAULT_OUT)) : outDirectory).toString()));
        if (quick)
        {
            command.add("--quick");
        }
        if (null != filter)
        {
            command.addAll(List.of("--filter", filter));
        }

        final Process suite = new ProcessBuilder(command).directory(home.toFile()).inheritIO().start();
        final Thread stopSuite = new Thread(() -> stop(suite));
        Runtime.getRuntime().addShutdownHook(stopSuite);
        try
        {
            return suite.waitFor();
        }
        finally
        {
            stop(suite);
            Runtime.getRuntime().removeShutdownHook(stopSuite);
        }
    }

    private static Path sourceTree()
    {
        final String home = System.getProperty(HOME_PROP_NAME);
        if (null == home || home.isEmpty())
        {
            throw new IllegalStateException(
                "bench needs the source tree: run it through the ringstack launcher at its root");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    private static Path writableDirectory(final Path directory)
    {
        final Path absolute = directory.toAbsolutePath().normalize();
        try
        {
            Files.createDirectories(absolute);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalStateException("not a directory: " + directory, ex);
        }
        catch (final FileSystemException ex)
        {
            throw new IllegalStateException("cannot create directory " + directory + ": " +
                (null == ex.getReason() ? ex.getClass().getSimpleName() : ex.getReason()), ex);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create directory " + directory + ": " + ex.getMessage(), ex);
        }
        if (!Files.isWritable(absolute))
        {
            throw new IllegalStateException("cannot write to directory: " + directory);
        }
        return absolute;
    }

    /**
     * Stop the suite's JVM and the benchmark JVMs it forked, if they still run.
     */
    private static void stop(final Process suite)
    {
        suite.descendants().forEach(ProcessHandle::destroy);
        suite.destroy();
    }
}
