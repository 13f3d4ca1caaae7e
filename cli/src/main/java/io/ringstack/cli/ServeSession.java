package io.ringstack.cli;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.drivers.link.LinkSpec;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.engine.EngineContext;
import io.ringstack.errno.Errno;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.journal.Journal;
import io.ringstack.journal.JournalContext;
import io.ringstack.phy.DeviceFactory;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.PipeDevice;
import io.ringstack.services.Service;
import io.ringstack.services.Services;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.CountersManager;

/**
 * One running {@code ringstack serve}: an engine on a NIC model whose wire is a link, the services on its sockets,
 * and, when asked, a journal of the whole session. {@link #close()} takes them down in the order that loses
 * nothing: services, then the engine, then the wire, then the journal, which flushes what the engine's last cycle
 * recorded and writes its END record.
 */
final class ServeSession implements AutoCloseable
{
    /**
     * Connections the engine holds at once ({@code tcpMaxConnections}): room for a thousand concurrent clients, where
     * the engine's default of 256 is smaller than the queue of one service (1,024 connections waiting for 64
     * workers), so that a client's final ACK is not dropped for want of a slot while the service could still queue
     * it. A slot's rings (512 KiB with the default buffers) are allocated the first time it is used, so memory
     * follows the peak of concurrent connections, not this number.
     */
    static final int MAX_CONNECTIONS = 1024;

    private final Link wire;
    private final Journal journal;
    private final Ringstack stack;
    private final List<Service> services;
    private String closingDiagnostics;

    private ServeSession(final Link wire, final Journal journal, final Ringstack stack, final List<Service> services)
    {
        this.wire = wire;
        this.journal = journal;
        this.stack = stack;
        this.services = services;
    }

    /**
     * Open the link, start the engine (journaled into {@code journalDirectory} when it is not {@code null}) and the
     * named services, on an engine named {@code engineName} (its counters file and journal carry the name).
     *
     * @param settings          engine settings to change from their defaults.
     * @param countersDirectory where to publish counters for {@code ringstack stat}, or {@code null} for in memory.
     * @throws IllegalStateException naming the service that could not start, and why; nothing is left running.
     * @throws io.ringstack.journal.JournalException when the journal directory cannot be used.
     * @throws java.io.UncheckedIOException when the link cannot be opened.
     */
    static ServeSession start(
        final String engineName,
        final PlatformProfile profile,
        final InterfaceConfig config,
        final long macAddress,
        final LinkSpec linkSpec,
        final List<String> serviceNames,
        final Map<Setting, Long> settings,
        final Path countersDirectory,
        final Path journalDirectory)
    {
        final EngineContext context = new EngineContext().name(engineName).interfaceConfig(config)
            .set(Setting.TCP_MAX_CONNECTIONS, MAX_CONNECTIONS);
        settings.forEach(context::set);
        final NicOnLink nic = new NicOnLink(profile, linkSpec, macAddress);
        Journal journal = null;
        Ringstack stack = null;
        final List<Service> running = new ArrayList<>();
        try
        {
            if (journalDirectory != null)
            {
                journal = Journal.attach(
                    context, new JournalContext().directory(journalDirectory).profile(profile.label()));
            }
            stack = Ringstack.launch(context, true, countersDirectory, nic);
            for (final String name : serviceNames)
            {
                for (final Service service : Services.create(name, stack.sockets()))
                {
                    final int started = service.start();
                    if (started < 0)
                    {
                        throw new IllegalStateException(
                            "cannot start " + service.description() + ": " + Errno.name(started));
                    }
                    running.add(service);
                }
            }
            return new ServeSession(nic.wire, journal, stack, running);
        }
        catch (final RuntimeException ex)
        {
            running.forEach(Service::close);
            CloseHelper.closeAll(stack, nic.wire, journal);
            throw ex;
        }
    }

    Ringstack stack()
    {
        return stack;
    }

    /**
     * @return the engine's wire.
     */
    Link wire()
    {
        return wire;
    }

    /**
     * @return the journal's directory, or {@code null} when the session is not journaled.
     */
    Path journalDirectory()
    {
        return journal == null ? null : journal.directory();
    }

    List<String> serviceDescriptions()
    {
        return services.stream().map(Service::description).toList();
    }

    /**
     * @return the engine's counters as they stood when the session closed, or {@code null} before.
     */
    String closingDiagnostics()
    {
        return closingDiagnostics;
    }

    /**
     * Stop the services, the engine, the wire and the journal, in that order. Idempotent.
     */
    public void close()
    {
        if (closingDiagnostics == null)
        {
            services.forEach(Service::close);
            closingDiagnostics = stack.diagnostics();
            CloseHelper.closeAll(stack, wire, journal);
        }
    }

    /**
     * Opens the link once the engine's counters exist, so that a link's own counters sit in the engine's counters
     * file beside the NIC's, then makes the profile's NIC on it, or for a {@code direct:} link a device with no NIC
     * model.
     */
    private static final class NicOnLink implements DeviceFactory
    {
        private final PlatformProfile profile;
        private final LinkSpec linkSpec;
        private final long macAddress;
        private Link wire;

        NicOnLink(final PlatformProfile profile, final LinkSpec linkSpec, final long macAddress)
        {
            this.profile = profile;
            this.linkSpec = linkSpec;
            this.macAddress = macAddress;
        }

        public NetworkDevice create(final String name, final CountersManager counters)
        {
            wire = linkSpec.open(counters, name);
            return linkSpec.direct() ? PipeDevice.on(name + ".direct", macAddress, wire) :
                profile.nicOn(wire, macAddress).create(name, counters);
        }
    }
}
