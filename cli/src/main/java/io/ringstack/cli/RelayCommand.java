package io.ringstack.cli;

import io.ringstack.counters.CountersFile;
import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.phy.Link;
import io.ringstack.phy.WireWait;
import io.ringstack.phy.relay.Impairment;
import io.ringstack.phy.relay.ImpairedPath;
import io.ringstack.phy.relay.Relay;
import io.ringstack.phy.relay.RelayCounters;
import io.ringstack.phy.relay.RelayIdleStrategy;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringstack relay}: two links joined through a seeded user-space impairment, with no engine between, for
 * kernels without {@code sch_netem}. Frames from link A go to link B through A-to-B's faults, delay and bottleneck,
 * and back through B-to-A's; every frame is counted in a counters file that {@code ringstack stat} reads, and the
 * counters are printed on SIGTERM or Ctrl-C.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, modelTransformer = ImpairmentOptions.class,
    description = {
        "Join two links through a seeded impairment (loss, delay, jitter, reordering, duplication, corruption, rate "
            + "and queue), with no engine between.",
        "Each impairment option applies to both directions; --a-to-b-OPTION and --b-to-a-OPTION (e.g. "
            + "--a-to-b-loss 5%%) override it for one. Direction A-to-B draws from --seed, B-to-A from --seed + 1.",
        "The links may also come as two arguments and the impairments as one list: ringstack relay --faults "
            + "loss=5%%,delay=10ms,reorder=25%%,dup=5%%,corrupt=1%%,rate=10mbit,seed=1 udp:A,B udp:C,D" })
public final class RelayCommand implements Callable<Integer>
{
    private static final int MAX_COUNTERS = 128;
    /**
     * The longest an idle relay sleeps between looks at links it cannot wait on (UDP): a frame that comes due or
     * arrives meanwhile is late by at most this.
     */
    private static final long MAX_IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);

    @Spec
    CommandSpec spec;

    @Option(names = "--a", paramLabel = "LINK", description = "Link A: tap:NAME, packet:NAME or "
        + "udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT (TAP and packet links need root). A TAP, or a packet link with "
        + ",offload=on, takes the TCP segments of up to 64 KiB a sender hands its kernel and cuts each into the "
        + "frames a wire carries before they are impaired.")
    String linkA;

    @Option(names = "--b", paramLabel = "LINK", description = "Link B, of the same forms.")
    String linkB;

    @Parameters(arity = "0..2", paramLabel = "LINK", description = "Links A and B, as --a and --b give them.")
    List<String> links;

    @Option(names = "--faults", paramLabel = "LIST", description = "Impairments of both directions as one list, "
        + "NAME=VALUE,...: loss, delay, jitter, reorder, reorder-by, dup, corrupt, rate, queue, seed (e.g. "
        + "loss=5%%,delay=10ms,rate=10mbit,seed=1); an option of its own for one wins over the list.")
    String faults;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the faults (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--line", paramLabel = "N", defaultValue = "" + Impairment.DEFAULT_LINE_FRAMES,
        description = "Frames each delay line holds; more are counted relay_line_full (default: ${DEFAULT-VALUE}).")
    String lineFrames;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "relay",
        description = "Name of the counters file and prefix of the counters (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--counters-dir", paramLabel = "DIR", description = "Where to publish counters for 'ringstack stat'.")
    Path countersDirectory;

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final LinkSpec specA;
        final LinkSpec specB;
        final Impairment aToB;
        final Impairment bToA;
        final Path countersFile;
        try
        {
            final boolean asOptions = linkA != null && linkB != null && (links == null || links.isEmpty());
            final boolean asArguments = linkA == null && linkB == null && links != null && links.size() == 2;
            if (!asOptions && !asArguments)
            {
                throw new IllegalArgumentException("give the two links as --a LINK --b LINK or as two arguments");
            }
            specA = relayLink("--a", asOptions ? linkA : links.get(0));
            specB = relayLink("--b", asOptions ? linkB : links.get(1));
            final int line = ImpairmentOptions.count("--line", lineFrames);
            final Map<String, String> list = ImpairmentOptions.faultList(faults);
            final long seedA = seed(list);
            aToB = ImpairmentOptions.impairment(spec, ImpairmentOptions.A_TO_B, seedA, line, list);
            bToA = ImpairmentOptions.impairment(spec, ImpairmentOptions.B_TO_A, seedA + 1, line, list);
            countersFile = CountersFile.pathFor(
                countersDirectory != null ? countersDirectory : CountersFile.defaultDirectory(), name);
        }
        catch (final IllegalArgumentException ex)
        {
            RingstackCommand.printError(spec.commandLine(), ex.getMessage());
            return RingstackCommand.EXIT_USAGE;
        }

        final CountersFile counters = CountersFile.create(countersFile, MAX_COUNTERS);
        Link a = null;
        Link b = null;
        try
        {
            a = specA.open(counters.manager(), name);
            b = specB.open(counters.manager(), name);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.closeAll(a, counters);
            throw ex;
        }
        final Relay relay = new Relay(a, b,
            new ImpairedPath(aToB, new RelayCounters(counters.manager(), name + "." + ImpairmentOptions.A_TO_B)),
            new ImpairedPath(bToA, new RelayCounters(counters.manager(), name + "." + ImpairmentOptions.B_TO_A)),
            SystemNanoClock.INSTANCE);
        final WireWait wires = a.wireWaitWith(b);
        final IdleStrategy idle = wires == null ?
            new BackoffIdleStrategy(RelayIdleStrategy.SPINS, RelayIdleStrategy.YIELDS, 1_000, MAX_IDLE_PARK_NS) :
            new RelayIdleStrategy(wires, relay::nextReleaseNs, SystemNanoClock.INSTANCE);
        final AgentRunner runner = new AgentRunner(idle, Throwable::printStackTrace, null, relay);
        AgentRunner.startOnThread(runner);

        final CountDownLatch stopped = new CountDownLatch(1);
        final Link linkToA = a;
        final Link linkToB = b;
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            try
            {
                runner.close();
                out.println("stopped; counters:");
                counters.manager().forEach((value, id, label) -> out.printf("  %-48s %,d%n", label, value));
                out.printf("  in flight when stopped: a-to-b %d, b-to-a %d%n",
                    relay.aToB().inFlight(), relay.bToA().inFlight());
            }
            finally
            {
                out.flush();
                CloseHelper.closeAll(linkToA, linkToB, counters);
                stopped.countDown();
            }
        }, "relay-shutdown"));
        out.printf("ringstack relay: %s <-> %s; a-to-b: %s; b-to-a: %s; counters: %s; ready%n",
            specA.describe(a), specB.describe(b), describe(aToB), describe(bToA), countersFile);
        out.flush();
        return RingstackCommand.untilStopped(stopped);
    }

    /**
     * @return {@code --seed} when given, else the seed of {@code --faults}, else the default.
     */
    private long seed(final Map<String, String> list)
    {
        final String listed = list.get(ImpairmentOptions.SEED);
        if (listed == null || spec.commandLine().getParseResult().hasMatchedOption("--seed"))
        {
            return seed;
        }
        try
        {
            return Long.parseLong(listed);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--faults seed: '" + listed + "' is not a whole number");
        }
    }

    private static LinkSpec relayLink(final String option, final String text)
    {
        final LinkSpec link = LinkSpec.parse(text);
        if (link.direct())
        {
            throw new IllegalArgumentException(option + ": a relay has no NIC model to bypass; drop 'direct:'");
        }
        return link;
    }

    private static String describe(final Impairment impairment)
    {
        return String.format("seed %d, loss %s, delay %s ms, jitter %s ms, reorder %s by %s ms, duplicate %s, " +
            "corrupt %s, rate %s, queue %d",
            impairment.faults().seed(), percent(impairment.faults().lossRate()), ms(impairment.delayNs()),
            ms(impairment.jitterNs()), percent(impairment.faults().reorderRate()), ms(impairment.faults().holdNs()),
            percent(impairment.faults().duplicationRate()), percent(impairment.faults().corruptionRate()),
            impairment.rateBitsPerSecond() == 0 ? "none" : plain(impairment.rateBitsPerSecond() / 1e6) + " Mbit/s",
            impairment.queueFrames());
    }

    private static String percent(final double probability)
    {
        return plain(probability * 100) + "%";
    }

    private static String ms(final long nanos)
    {
        return plain(nanos / 1e6);
    }

    private static String plain(final double value)
    {
        return BigDecimal.valueOf(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
