package io.ringstack.bench.report;

import io.ringstack.bench.ForkedBenchmark;
import io.ringstack.bench.UdpLatency;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The benchmark suite as one command, which {@code ringstack bench} runs in a JVM of its own over the benchmarks
 * jar: select the benchmarks, run them with JMH (its forks and warm-up, {@code -prof gc}) into
 * {@value #RESULTS_FILE}, run the latency harness {@link UdpLatency} when the selection holds it (in a JVM of its own,
 * with the flags every benchmark forks with) into {@value #LATENCY_FILE}, then write the {@link BenchReport} of both
 * beside them.
 * <p>
 * {@code SuiteRun --out DIR [--quick] [--filter REGEX]}. Exit code 0 when every selected benchmark gave a result;
 * 1 when one did not, when nothing matched, or when the run could not be made. Errors are one line,
 * {@code ringstack: <message>}.
 */
public final class SuiteRun
{
    /** The JMH result file, beside the report. */
    public static final String RESULTS_FILE = "results.json";
    /** The results of the latency harness, {@link UdpLatency}, in JMH's shape, beside JMH's. */
    public static final String LATENCY_FILE = "latency.json";
    /**
     * What {@code --quick} tells JMH: one fork, one warm-up iteration of 300 ms, three measurement iterations of
     * 300 ms, so that the whole suite, its fork start-ups and the latency harness fit in 5 minutes on 2 cores.
     */
    public static final List<String> QUICK =
        List.of("-f", "1", "-wi", "1", "-w", "300ms", "-i", "3", "-r", "300ms");

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;

    private static final long LATENCY_TIMEOUT_MINUTES = 15;
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9._/=:+-]+");

    private SuiteRun()
    {
    }

    /**
     * What a run is asked to do.
     *
     * @param quick  short iterations instead of each benchmark's own settings.
     * @param filter the regular expression JMH finds in the names of the benchmarks to run, {@code null} for all.
     * @param out    where the results, the report and its charts go.
     */
    record Request(boolean quick, String filter, Path out)
    {
        static Request parse(final String[] args)
        {
            boolean quick = false;
            String filter = null;
            Path out = null;
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--quick" -> quick = true;
                    case "--filter" -> filter = value(args, ++i);
                    case "--out" -> out = Path.of(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (null == out)
            {
                throw new IllegalArgumentException("--out is missing");
            }
            return new Request(quick, filter, out.toAbsolutePath().normalize());
        }

        /**
         * @param results where JMH is to write its JSON results.
         * @return the JMH command line arguments of this request.
         */
        List<String> jmhArguments(final Path results)
        {
            final List<String> arguments = new ArrayList<>();
            if (null != filter)
            {
                arguments.add(filter);
            }
            if (quick)
            {
                arguments.addAll(QUICK);
            }
            arguments.addAll(List.of("-prof", "gc", "-rf", "json", "-rff", results.toString()));
            return arguments;
        }

        private static String value(final String[] args, final int index)
        {
            if (index >= args.length)
            {
                throw new IllegalArgumentException(args[index - 1] + " needs a value");
            }
            return args[index];
        }
    }

    /**
     * Run the suite and exit with the run's exit code.
     *
     * @param args {@code --out DIR [--quick] [--filter REGEX]}.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Run the suite.
     *
     * @param args {@code --out DIR [--quick] [--filter REGEX]}.
     * @param out  where to say what was written.
     * @param err  where errors go, one line each.
     * @return the exit code.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        try
        {
            final Request request = Request.parse(args);
            final Path results = request.out().resolve(RESULTS_FILE);
            final List<String> jmhArguments = request.jmhArguments(results);
            final CommandLineOptions options = new CommandLineOptions(jmhArguments.toArray(new String[0]));
            final Set<BenchmarkId> selected = select(options);
            if (selected.isEmpty())
            {
                throw new IllegalStateException(null == request.filter() ?
                    "no benchmark in the benchmarks jar" : "no benchmark matches --filter " + request.filter());
            }

            Files.createDirectories(request.out());
            Files.deleteIfExists(results);
            final Path latency = request.out().resolve(LATENCY_FILE);
            Files.deleteIfExists(latency);
            final Machine machine = Machine.probe();
            final String commit = commit(request.out());
            final Instant started = Instant.now();
            if (selected.stream().anyMatch((id) -> !UdpLatency.BENCHMARK.equals(id.benchmark())))
            {
                new Runner(options).run();
            }
            if (selected.stream().anyMatch((id) -> UdpLatency.BENCHMARK.equals(id.benchmark())))
            {
                runLatency(request, latency, err);
            }
            final Duration took = Duration.between(started, Instant.now());

            final List<JmhResult> measured = new ArrayList<>();
            for (final Path file : List.of(results, latency))
            {
                if (Files.exists(file))
                {
                    measured.addAll(JmhResult.read(file));
                }
            }
            final Path here = Path.of("").toAbsolutePath();
            final RunInfo run = new RunInfo(
                started, took, command(request, here), jmhCommand(jmhArguments, here), commit, machine);
            final List<Path> charts = new BenchReport(Catalogue.ENTRIES, measured, selected, run).write(request.out());
            out.println("report: " + request.out().resolve(BenchReport.REPORT_FILE) + ", " + charts.size() +
                (1 == charts.size() ? " chart" : " charts") + ", results in " + results);

            final Set<BenchmarkId> missing = new LinkedHashSet<>(selected);
            measured.forEach((result) -> missing.remove(result.id()));
            if (!missing.isEmpty())
            {
                throw new IllegalStateException(missing.size() + " of " + selected.size() +
                    " benchmarks gave no result: " +
                    missing.stream().map(BenchmarkId::describe).collect(Collectors.joining(", ")));
            }
            return EXIT_OK;
        }
        catch (final IllegalArgumentException | IllegalStateException | IOException | CommandLineOptionException |
            RunnerException ex)
        {
            err.println("ringstack: " + ex.getMessage());
            return EXIT_FAILURE;
        }
    }

    /**
     * Run the latency harness in a JVM of its own, with the class path of this one and the flags every benchmark
     * forks with, and wait for it.
     */
    private static void runLatency(final Request request, final Path latency, final PrintStream err)
        throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(ForkedBenchmark.class.getAnnotation(Fork.class).jvmArgsAppend()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), UdpLatency.class.getName(),
            "--out", latency.toString()));
        if (request.quick())
        {
            command.add("--quick");
        }
        if (null != request.filter())
        {
            command.addAll(List.of("--filter", request.filter()));
        }
        final Process harness = new ProcessBuilder(command).inheritIO().start();
        try
        {
            if (!harness.waitFor(LATENCY_TIMEOUT_MINUTES, TimeUnit.MINUTES))
            {
                harness.destroyForcibly();
                err.println("ringstack: the latency harness did not finish in " + LATENCY_TIMEOUT_MINUTES +
                    " minutes and was stopped");
            }
        }
        catch (final InterruptedException ex)
        {
            harness.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What JMH and the latency harness will run for these options: every benchmark the include patterns find, in
     * each of its modes, at every combination of its parameter values.
     */
    static Set<BenchmarkId> select(final CommandLineOptions options)
    {
        final Set<BenchmarkId> selected = new LinkedHashSet<>();
        final List<BenchmarkListEntry> entries = new ArrayList<>(BenchmarkList.defaultList().find(
            OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT),
            options.getIncludes(), options.getExcludes()));
        for (final BenchmarkListEntry entry : entries)
        {
            final Map<String, String[]> params = entry.getParams().orElse(Map.of());
            for (final SortedMap<String, String> combination : combinations(new TreeMap<>(params)))
            {
                selected.add(new BenchmarkId(entry.getUsername(), entry.getMode().shortLabel(), combination));
            }
        }
        if (finds(options.getIncludes(), UdpLatency.BENCHMARK, true) &&
            !finds(options.getExcludes(), UdpLatency.BENCHMARK, false))
        {
            for (final String path : UdpLatency.PATHS)
            {
                for (final long rate : UdpLatency.RATES)
                {
                    final SortedMap<String, String> params =
                        new TreeMap<>(Map.of(UdpLatency.PATH_PARAM, path, UdpLatency.RATE_PARAM, Long.toString(rate)));
                    selected.add(new BenchmarkId(UdpLatency.BENCHMARK, Mode.SampleTime.shortLabel(), params));
                }
            }
        }
        return selected;
    }

    /**
     * @param patterns regular expressions, as JMH takes them.
     * @param name     a benchmark's full name.
     * @param ifNone   the answer when there are no patterns.
     * @return whether one of the patterns is found in the name, as JMH finds them.
     */
    private static boolean finds(final List<String> patterns, final String name, final boolean ifNone)
    {
        return patterns.isEmpty() ? ifNone :
            patterns.stream().anyMatch((pattern) -> Pattern.compile(pattern).matcher(name).find());
    }

    private static List<SortedMap<String, String>> combinations(final SortedMap<String, String[]> params)
    {
        List<SortedMap<String, String>> combinations = List.of(Collections.emptySortedMap());
        for (final Map.Entry<String, String[]> param : params.entrySet())
        {
            final List<SortedMap<String, String>> longer = new ArrayList<>();
            for (final SortedMap<String, String> combination : combinations)
            {
                for (final String value : param.getValue())
                {
                    final SortedMap<String, String> next = new TreeMap<>(combination);
                    next.put(param.getKey(), value);
                    longer.add(Collections.unmodifiableSortedMap(next));
                }
            }
            combinations = longer;
        }
        return combinations;
    }

    private static String command(final Request request, final Path here)
    {
        final List<String> words = new ArrayList<>(List.of("ringstack", "bench"));
        if (request.quick())
        {
            words.add("--quick");
        }
        if (null != request.filter())
        {
            words.addAll(List.of("--filter", request.filter()));
        }
        words.addAll(List.of("--out", shown(request.out(), here)));
        return shellWords(words);
    }

    private static String jmhCommand(final List<String> jmhArguments, final Path here)
    {
        final List<String> words = new ArrayList<>(List.of("java", "-jar", shown(benchmarksJar(), here)));
        jmhArguments.stream()
            .map((argument) -> argument.startsWith(here.toString()) ? shown(Path.of(argument), here) : argument)
            .forEach(words::add);
        return shellWords(words);
    }

    /**
     * @return the path relative to the directory the run was started in, if it lies inside it.
     */
    private static String shown(final Path path, final Path here)
    {
        return path.startsWith(here) && !path.equals(here) ? here.relativize(path).toString() : path.toString();
    }

    private static Path benchmarksJar()
    {
        try
        {
            return Path.of(SuiteRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException("cannot locate the benchmarks jar: " + ex.getMessage(), ex);
        }
    }

    private static String shellWords(final List<String> words)
    {
        return words.stream()
            .map((word) -> PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'")
            .collect(Collectors.joining(" "));
    }

    /**
     * Taken before the run, so that what the run writes cannot count as a change of the tree it measured.
     *
     * @param out the run's output directory: the files a run writes there (report, results, charts) are not changes
     *            of the code measured, whatever else the directory holds.
     * @return the commit checked out in the directory the run was started in, and whether the tree had changes.
     */
    private static String commit(final Path out)
    {
        final String head = git("rev-parse", "--short=12", "HEAD");
        if (null == head || head.isEmpty())
        {
            return "unknown (not a git work tree)";
        }
        final List<String> status =
            new ArrayList<>(List.of("status", "--porcelain", "--untracked-files=no", "--", "."));
        final List<String> written =
            List.of(BenchReport.REPORT_FILE, RESULTS_FILE, LATENCY_FILE, BenchReport.CHARTS_DIRECTORY);
        for (final String file : written)
        {
            status.add(":(exclude)" + out.resolve(file));
        }
        final String changes = git(status.toArray(new String[0]));
        return "`" + head + "`" + (null == changes || changes.isEmpty() ? "" : " with uncommitted changes");
    }

    private static String git(final String... args)
    {
        final List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try
        {
            final Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (InputStream output = git.getInputStream())
            {
                final String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).trim();
                return 0 == git.waitFor() ? text : null;
            }
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
