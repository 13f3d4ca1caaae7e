package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.journal.JournalReader;
import io.ringstack.journal.ReplayReport;
import io.ringstack.journal.ReplayWire;
import io.ringstack.journal.Replayer;
import io.ringstack.journal.SessionHeader;
import io.ringstack.journal.SettingText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ringstack journal replay DIR}: a fresh engine built from the session header, driven on a virtual clock by
 * the recorded inputs, every output compared. Exit 0 and {@code identical} with counts, or exit 1 with the first
 * divergence (with {@code --keep-going}, every one): record, field, both values, the input that led to it, and for
 * frames the differing fields by name and a hex diff. {@code --until RECORD} replays as far as that record,
 * {@code --until TIME} (with a unit: 1.5s, 250ms, 40us, 10ns) as far as the last duty cycle at or before that time
 * since the session began. {@code --set NAME=VALUE} builds the replayed engine with a setting changed: the first
 * divergence is then the first effect of the change.
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

    @Option(names = "--until", paramLabel = "RECORD|TIME",
        description = "Replay as far as this record (a sequence number, as dump prints it), or this time since the "
            + "session began (with a unit: 1.5s, 250ms, 40us, 10ns), and compare up to it.")
    String until;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
        description = "Replay with this engine setting changed (a name as dump prints it: tcpNagle=off, "
            + "tcpRtoMinNs=1s, removedProtocolArm=17) and report its first effect: the first divergence from the "
            + "recording. May be given more than once.")
    List<String> set = new ArrayList<>();

    @Option(names = "--keep-going", description = "Go on after a divergence, with the next duty cycle, and report "
        + "every one (the first " + Replayer.Options.KEPT_DIVERGENCES + " in full), not only the first.")
    boolean keepGoing;

    /**
     * @return how far to replay ({@code --until} is a record number when it is all digits, else a time) and with
     * which settings changed.
     */
    private Replayer.Options options()
    {
        final RecordOrTime place = until == null ? null : RecordOrTime.parse(spec.commandLine(), "--until", until);
        final long toTheEnd = Replayer.Options.TO_THE_END;
        Replayer.Options options = new Replayer.Options(place != null && place.isRecord() ? place.value() : toTheEnd,
            keepGoing, place != null && !place.isRecord() ? place.value() : toTheEnd, Map.of());
        for (final Map.Entry<Setting, Long> setting :
            SettingAssignments.parse(spec.commandLine(), set, Setting::changesBehaviour).entrySet())
        {
            options = options.with(setting.getKey(), setting.getValue());
        }
        return options;
    }

    private static String recorded(final SessionHeader header, final Setting setting)
    {
        final Long value = header.settings().get(setting.settingName());
        return value == null ? "not recorded" : SettingText.format(setting, value);
    }

    public Integer call()
    {
        final Replayer.Options options = options();
        try (JournalReader reader = JournalCli.open(directory))
        {
            final JournalProgress progress = new JournalProgress(spec.commandLine().getErr(), "replay");
            final long startNs = System.nanoTime();
            final ReplayReport report = Replayer.replay(reader.progress(progress), device.wireFactory(), options);
            final long elapsedNs = System.nanoTime() - startNs;
            progress.done();
            final PrintWriter out = spec.commandLine().getOut();
            options.changed().forEach((setting, value) -> out.println("with " + setting.settingName() + " = " +
                SettingText.format(setting, value) + " (recorded: " + recorded(reader.header(), setting) + ")"));
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
            final double seconds = Math.max(elapsedNs, 1) / 1e9;
            out.println(report.summary() +
                String.format(" (%.3f s, %.0f device frames/s)", seconds, report.deviceFrames() / seconds));
            if (!report.identical())
            {
                for (int i = 0; i < report.divergences().size(); i++)
                {
                    out.print(report.divergences().get(i).describe(i == 0 ? "first" : "next"));
                }
                final long unshown = report.divergenceCount() - report.divergences().size();
                if (unshown > 0)
                {
                    out.println("and " + unshown + " more divergences not shown");
                }
                out.flush();
                return RingstackCommand.EXIT_FAILURE;
            }
            return RingstackCommand.EXIT_OK;
        }
    }
}
