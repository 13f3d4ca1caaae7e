package io.ringstack.cli;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReplayReport;
import io.ringstack.journal.ReplayWire;
import io.ringstack.journal.Replayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ringstack journal replay DIR}: a fresh engine built from the session header, driven on a virtual clock by
 * the recorded inputs, every output compared. Exit 0 and {@code identical} with counts, or exit 1 with the first
 * divergence: record, field, both values and a hex diff of the two frames.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = RingstackCommand.VersionProvider.class,
    description = "Replay a journal into a fresh engine and compare every output with the recording.")
public final class JournalReplayCommand implements Callable<Integer>
{
    /**
     * The device the replayed engine uses.
     */
    enum Device
    {
        /** The recorded frames where they lie; the recorded device's transmit results. */
        direct(null),
        /** The x86_64 profile's NIC: the E1000 model and its guest driver, on a cable. */
        e1000(PlatformProfile.X86_64),
        /** The aarch64 profile's NIC: the VirtIO-net model and its guest driver, on a cable. */
        virtio(PlatformProfile.AARCH64);

        private final PlatformProfile profile;

        Device(final PlatformProfile profile)
        {
            this.profile = profile;
        }

        /**
         * @return what makes the replayed engine's device, or {@code null} for the recorded frames as they are.
         */
        ReplayWire.Factory wireFactory()
        {
            return profile == null ? null : (header, counters) -> new JournalNicWire(profile, header, counters);
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The journal directory.")
    Path directory;

    @Option(names = "--device", paramLabel = "DEVICE",
        description = "Device of the replayed engine: direct (the recorded frames as they are, the recorded transmit "
            + "results) or a NIC model, e1000 or virtio, whichever profile recorded the journal (default: "
            + "${DEFAULT-VALUE}).")
    Device device = Device.direct;

    public Integer call()
    {
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "replay");
            final long startNs = System.nanoTime();
            final ReplayReport report = Replayer.replay(reader.progress(progress), device.wireFactory());
            final long elapsedNs = System.nanoTime() - startNs;
            progress.done();
            final PrintWriter out = spec.commandLine().getOut();
            for (final String setting : report.unknownSettings())
            {
                out.println("warning: recorded setting " + setting + " is unknown to this build and was not applied");
            }
            if (report.problem() != null)
            {
                out.flush();
                RingstackCommand.printError(spec.commandLine(), "journal " + directory + ": " + report.summary());
                return RingstackCommand.EXIT_FAILURE;
            }
            out.println(report.summary() + String.format(" (%.3f s)", elapsedNs / 1e9));
            if (report.divergence() != null)
            {
                out.print(report.divergence().describe());
                out.flush();
                return RingstackCommand.EXIT_FAILURE;
            }
            return RingstackCommand.EXIT_OK;
        }
    }
}
