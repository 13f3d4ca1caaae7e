package io.ringstack.journal;

import io.ringstack.cli.JournaledSeedWorld;
import io.ringstack.phy.PipeDevice;
import io.ringstack.seed.ProgramResult;
import io.ringstack.seed.SeedProgram;
import io.ringstack.seed.SeedRunner;
import io.ringstack.seed.SeedWorld;
import io.ringstack.seed.TcpBlockingProgram;
import io.ringstack.seed.TcpSocketProgram;
import io.ringstack.seed.UdpSocketProgram;
import io.ringstack.seed.UnixSocketProgram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The journals of one run of the seed's socket programs (unix_socket_test, udp_socket_test, tcp_socket_test, then
 * tcp_blocking_test) through
 * {@link SeedWorld}, guest and gateway each journaled, recorded once for all the tests of a run and deleted when the
 * JVM exits.
 */
final class SeedJournals
{
    private static SeedJournals recorded;

    private final Path directory;
    private final Path guest;
    private final Path gateway;

    private SeedJournals(final Path directory, final Path guest, final Path gateway)
    {
        this.directory = directory;
        this.guest = guest;
        this.gateway = gateway;
    }

    static synchronized SeedJournals recorded()
    {
        if (recorded == null)
        {
            recorded = record();
        }
        return recorded;
    }

    /**
     * @return a fresh directory beside the journals, for what a test derives from them.
     */
    Path newDirectory(final String name)
    {
        try
        {
            return Files.createTempDirectory(directory, name);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    Path guest()
    {
        return guest;
    }

    Path gateway()
    {
        return gateway;
    }

    private static SeedJournals record()
    {
        final Path directory;
        try
        {
            directory = Files.createTempDirectory("seed-journals");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory)));
        final PipeDevice[] wire = PipeDevice.pair(
            "guest-wire", SeedWorld.GUEST_MAC, "gateway-wire", SeedWorld.GATEWAY_MAC, 1 << 20);
        try (JournaledSeedWorld journaled = JournaledSeedWorld.over(
            "seed", (name, counters) -> wire[0], (name, counters) -> wire[1], null, directory, "test/pipe",
            UnaryOperator.identity()))
        {
            for (final SeedProgram program : List.<SeedProgram>of(
                new UnixSocketProgram(), new UdpSocketProgram(), new TcpSocketProgram(), new TcpBlockingProgram()))
            {
                final ProgramResult result =
                    SeedRunner.run(program, journaled.world(), SeedRunner.DEFAULT_PHASE_TIMEOUT_MS);
                if (!result.passed())
                {
                    throw new IllegalStateException(program.name() + " failed: " + result.firstFailure());
                }
            }
            return new SeedJournals(
                directory, journaled.guestJournal().directory(), journaled.gatewayJournal().directory());
        }
    }

    private static void delete(final Path directory)
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            // best effort, at exit
        }
    }
}
