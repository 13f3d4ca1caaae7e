package io.ringstack.cli;

import io.ringstack.config.Setting;
import io.ringstack.counters.CountersFile;
import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.services.Services;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringstack serve}: one engine on a NIC model whose wire is a Linux TAP interface or a UDP-datagram link,
 * offering services to whatever is at the other end, e.g. the Linux kernel, and optionally journaled. Prints
 * a ready line; on SIGTERM or Ctrl-C it stops the services and the engine, closes the journal and prints the
 * counters.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run an engine on an E1000 or VirtIO-net model, wired to a Linux TAP or a UDP-datagram link, with "
        + "services.")
public final class ServeCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    NicOptions nicOptions;

    @Option(names = "--link", required = true, description = "tap:NAME (a Linux TAP interface, attached or created; "
        + "needs root), packet:NAME (an existing interface, e.g. a veth, through an AF_PACKET socket; needs root) or "
        + "udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT (one frame per datagram); after direct: the engine sits on the link "
        + "with no NIC model (--nic then names only the journal's profile).")
    String link;

    @Option(names = "--services", split = ",", defaultValue = "echo,discard,http",
        description = "Comma-separated: " + Services.NAMES + " (default: ${DEFAULT-VALUE}).")
    List<String> services;

    @Option(names = "--counters-dir", description = "Where to publish counters for 'ringstack stat'.")
    Path countersDirectory;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal the whole session into DIR (a new or "
        + "empty directory), closed cleanly on SIGTERM or Ctrl-C; replay it with 'ringstack journal replay DIR'.")
    Path journalDirectory;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Run the engine with this setting changed (a name "
        + "as 'journal dump' prints it: tcpSendBufferCapacity=4194304, tcpNagle=off, busyPollNs=50us). May be given "
        + "more than once.")
    List<String> set = new ArrayList<>();

    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PlatformProfile profile;
        final InterfaceConfig config;
        final LinkSpec linkSpec;
        final long macAddress;
        final Map<Setting, Long> settings;
        try
        {
            profile = nicOptions.profile();
            macAddress = nicOptions.macAddress();
            config = nicOptions.interfaceConfig();
            linkSpec = LinkSpec.parse(link);
            Services.check(services);
            settings = SettingAssignments.parse(spec.commandLine(), set, (setting) -> true);
        }
        catch (final IllegalArgumentException ex)
        {
            RingstackCommand.printError(spec.commandLine(), ex.getMessage());
            return RingstackCommand.EXIT_USAGE;
        }
        final ServeSession session = ServeSession.start("serve-" + profile.nic(), profile, config, macAddress, linkSpec,
            services, settings, countersDirectory != null ? countersDirectory : CountersFile.defaultDirectory(),
            journalDirectory);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread shutdown = new Thread(() ->
        {
            try
            {
                session.close();
                out.println("stopped; counters:");
                out.print(session.closingDiagnostics());
                if (session.journalDirectory() != null)
                {
                    out.println("journal: " + session.journalDirectory() + " (closed; replay it with 'ringstack "
                        + "journal replay " + session.journalDirectory() + "')");
                }
            }
            finally
            {
                out.flush();
                stopped.countDown();
            }
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        out.printf("ringstack serve: %s on %s via %s; services: %s%s; ready%n", config,
            linkSpec.direct() ? "no NIC model" : profile.label(), linkSpec.describe(session.wire()),
            String.join(", ", session.serviceDescriptions()),
            session.journalDirectory() == null ? "" : "; journal: " + session.journalDirectory());
        out.flush();
        return RingstackCommand.untilStopped(stopped);
    }
}
