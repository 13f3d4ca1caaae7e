package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.counters.CountersFile;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.engine.EngineContext;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.ConcurrentRecvStress;
import io.ringstack.seed.LoopbackWakeProgram;
import io.ringstack.seed.PhaseResult;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedProgram;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.TcpBlockingProgram;
import io.ringstack.seed.TcpSocketProgram;
import io.ringstack.seed.UdpSocketProgram;
import io.ringstack.seed.UnixSocketProgram;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringstack demo}: the seed's socket test matrix, one row per seed program and one column per platform
 * profile, each cell PASS, FAIL or "not yet" while a part is missing; then the counters behind every FAIL.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the seed socket test matrix on both platform profiles and print the results.")
public final class DemoCommand implements Callable<Integer>
{
    static final PlatformProfile[] PROFILES = PlatformProfile.values();
    private static final int CABLE_CAPACITY = 1 << 20;
    private static final String NOT_YET = "not yet";

    @Spec
    CommandSpec spec;

    @Option(names = "--phase-timeout-ms", description = "Deadline of each phase (default: ${DEFAULT-VALUE}).")
    long phaseTimeoutMs = SeedRunner.DEFAULT_PHASE_TIMEOUT_MS;

    @Option(names = "--counters-dir", description = "Where the engines publish their counters (default: the "
        + "ringstack directory, as for 'ringstack stat').")
    Path countersDirectory;

    @Option(names = "--remove-arm", hidden = true, paramLabel = "PROFILE:PROTOCOL",
        description = "Remove one IP protocol arm from one profile's guest, as the seed's #[cfg] did, e.g. "
            + "aarch64:17, to see the matrix show it.")
    String removeArm;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal every engine into DIR/<engine name>, "
        + "then replay each journal into a fresh engine and print the verdict (default: a new directory in the "
        + "temporary directory).")
    Path journalDirectory;

    @Option(names = "--no-journal", description = "Run the matrix without journaling or replay.")
    boolean noJournal;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (phaseTimeoutMs <= 0)
        {
            RingstackCommand.printError(spec.commandLine(), "--phase-timeout-ms must be positive");
            return RingstackCommand.EXIT_USAGE;
        }
        if (removeArm != null && !removeArm.matches("(x86_64|aarch64):(1|6|17)"))
        {
            RingstackCommand.printError(spec.commandLine(),
                "--remove-arm takes PROFILE:PROTOCOL with a protocol that has an arm (1 ICMP, 6 TCP, 17 UDP), "
                + "e.g. aarch64:17");
            return RingstackCommand.EXIT_USAGE;
        }
        final Path counters = countersDirectory != null ? countersDirectory : CountersFile.defaultDirectory();
        final Map<String, Supplier<SeedProgram>> rows = rows();
        final Map<String, ProgramResult[]> results = new LinkedHashMap<>();
        final List<String> explanations = new ArrayList<>();
        final JournalDemo journal = new JournalDemo(noJournal ? null : journalDirectory());
        for (int column = 0; column < PROFILES.length; column++)
        {
            final PlatformProfile profile = PROFILES[column];
            out.printf("running the seed programs on %s ...%n", profile.label());
            out.flush();
            final Link[] cable = Cable.ends(CABLE_CAPACITY);
            final int removedArm = removedArm(profile);
            try (JournalDemo.Session session = journal.open(profile.name().toLowerCase(),
                profile.nicOn(cable[0], SeedWorld.GUEST_MAC), profile.nicOn(cable[1], SeedWorld.GATEWAY_MAC), counters,
                profile.label(), context -> context.name().endsWith(SeedWorld.GUEST_SUFFIX) ?
                    context.set(Setting.REMOVED_PROTOCOL_ARM, removedArm) : context))
            {
                final SeedWorld world = session.world();
                for (final Map.Entry<String, Supplier<SeedProgram>> row : rows.entrySet())
                {
                    final ProgramResult[] cells = results.computeIfAbsent(row.getKey(),
                        name -> new ProgramResult[PROFILES.length]);
                    if (row.getValue() != null)
                    {
                        cells[column] = SeedRunner.run(row.getValue().get(), world, phaseTimeoutMs);
                        explain(profile.label(), cells[column], explanations);
                    }
                }
                out.printf("%s guest counters:%n%s", profile.label(), world.guest().diagnostics());
            }
        }
        out.println();
        printTable(out, results);
        out.println();
        out.println("Each profile: a guest engine (10.0.2.15) and a gateway engine (10.0.2.2), each on its own NIC "
            + "model, joined by a cable.");
        final boolean replayedIdentical = journal.replayAll(out);
        explanations.forEach(out::println);
        final boolean allPassed = replayedIdentical && results.values().stream()
            .flatMap(Arrays::stream)
            .allMatch(cell -> cell == null || cell.passed());
        out.println(allPassed ? "result: every implemented row PASSES on both profiles" : "result: FAIL");
        return allPassed ? RingstackCommand.EXIT_OK : RingstackCommand.EXIT_FAILURE;
    }

    private Path journalDirectory()
    {
        if (journalDirectory != null)
        {
            return journalDirectory;
        }
        try
        {
            return Files.createTempDirectory("ringstack-demo-journal-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a journal directory: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the IP protocol {@code --remove-arm} removes from {@code profile}'s guest, or none.
     */
    private int removedArm(final PlatformProfile profile)
    {
        if (removeArm == null || !removeArm.startsWith(profile.architecture() + ":"))
        {
            return (int)Setting.REMOVED_PROTOCOL_ARM.defaultValue();
        }
        return Integer.parseInt(removeArm.substring(removeArm.indexOf(':') + 1));
    }

    static Map<String, Supplier<SeedProgram>> rows()
    {
        final Map<String, Supplier<SeedProgram>> rows = new LinkedHashMap<>();
        rows.put("unix_socket_test", UnixSocketProgram::new);
        rows.put("udp_socket_test", UdpSocketProgram::new);
        rows.put("tcp_socket_test", TcpSocketProgram::new);
        rows.put("tcp_blocking_test", TcpBlockingProgram::new);
        rows.put("concurrent_recv_stress", ConcurrentRecvStress::new);
        rows.put("loopback_wake_test", LoopbackWakeProgram::new);
        return rows;
    }

    private static void explain(final String profile, final ProgramResult result, final List<String> explanations)
    {
        final PhaseResult failure = result.firstFailure();
        if (failure != null)
        {
            explanations.add(String.format("FAIL %s on %s, phase %s: %s", result.program(), profile,
                failure.phase(), failure.message()));
        }
    }

    private static void printTable(final PrintWriter out, final Map<String, ProgramResult[]> results)
    {
        final String format = "%-24s | %-28s | %-28s%n";
        out.printf(format, "seed test", PROFILES[0].label(), PROFILES[1].label());
        out.println("-".repeat(24) + "-+-" + "-".repeat(28) + "-+-" + "-".repeat(28));
        for (final Map.Entry<String, ProgramResult[]> row : results.entrySet())
        {
            final ProgramResult[] cells = row.getValue();
            out.printf(format, row.getKey(), cell(cells[0]), cell(cells[1]));
        }
    }

    private static String cell(final ProgramResult result)
    {
        if (result == null)
        {
            return NOT_YET;
        }
        final long millis = result.phases().stream().mapToLong(PhaseResult::durationNs).sum() / 1_000_000;
        final int phases = result.phases().size();
        return (result.passed() ? "PASS" : "FAIL") + " (" + phases + (phases == 1 ? " phase, " : " phases, ") +
            millis + " ms)";
    }
}
