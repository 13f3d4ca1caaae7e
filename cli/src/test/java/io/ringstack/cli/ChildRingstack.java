package io.ringstack.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of {@code ringstack ARGS} in a JVM of its own, started as this one was (without its agents), for what only a
 * process shows: its standard output a device or a pipe whose reader has gone, and its exit code.
 */
record ChildRingstack(int exitCode, String err)
{
    /** A device that refuses every write with {@code ENOSPC}. */
    static final File FULL_DEVICE = new File("/dev/full");
    private static final Pattern PROGRESS = Pattern.compile("ringstack: \\S+: \\d+% \\(\\d+ records\\)");

    /**
     * Run the command with its standard output into {@code output}, e.g. {@link #FULL_DEVICE}.
     *
     * @param charset what the child takes standard output's charset to be ({@code sun.stdout.encoding}).
     */
    static ChildRingstack into(final File output, final String charset, final String... args)
        throws IOException, InterruptedException
    {
        return finish(new ProcessBuilder(command(charset, args)).redirectOutput(output).start());
    }

    /**
     * Run the command with its standard output into a pipe whose reader has gone before the command began.
     *
     * @param environment added to the child's environment, e.g. its language.
     * @param charset     what the child takes standard output's charset to be ({@code sun.stdout.encoding}).
     */
    static ChildRingstack intoClosedPipe(
        final Map<String, String> environment, final String charset, final String... args)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command(charset, args));
        builder.environment().putAll(environment);
        final Process child = builder.start();
        child.getInputStream().close();
        return finish(child);
    }

    /**
     * @return what the command printed on stderr but the progress lines a slow run shows ({@link JournalProgress}),
     * each line ended with a line feed.
     */
    String errors()
    {
        return err.lines().filter((line) -> !PROGRESS.matcher(line).matches()).map((line) -> line + "\n")
            .collect(Collectors.joining());
    }

    /**
     * @param commandLine a command line, e.g. {@code journal diff JOURNAL JOURNAL}.
     * @param paths       what words of it stand for, e.g. {@code JOURNAL} for a journal's directory.
     * @return its words, those in {@code paths} replaced.
     */
    static String[] args(final String commandLine, final Map<String, Path> paths)
    {
        return Stream.of(commandLine.split(" "))
            .map((word) -> paths.containsKey(word) ? paths.get(word).toString() : word).toArray(String[]::new);
    }

    private static ChildRingstack finish(final Process child) throws IOException, InterruptedException
    {
        final String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the command ended");
        return new ChildRingstack(child.exitValue(), err);
    }

    private static List<String> command(final String charset, final String... args)
    {
        final Stream<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter((option) -> !option.startsWith("-agentlib") && !option.startsWith("-javaagent"));
        return Stream.of(Stream.of(ProcessHandle.current().info().command().orElse("java")), options,
            Stream.of("-Dsun.stdout.encoding=" + charset, "-cp", System.getProperty("java.class.path"),
                RingstackCommand.class.getName()), Stream.of(args))
            .flatMap((part) -> part).toList();
    }
}
