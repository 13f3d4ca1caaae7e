package io.ringstack.cli;

import io.ringstack.engine.EngineContext;
import io.ringstack.journal.Journal;
import io.ringstack.journal.JournalContext;
import io.ringstack.phy.DeviceFactory;
import io.ringstack.seed.SeedWorld;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;

/**
 * The seed programs' {@link SeedWorld} (guest 10.0.2.15 and gateway 10.0.2.2 on one wire, each engine on its own
 * thread) with a journal on each engine, in {@code <journal directory>/<engine name>}. Close it to stop
 * the engines and then close the journals.
 * <p>
 * Each engine gets its journal through the context decorator of {@link SeedWorld#over}.
 */
public final class JournaledSeedWorld implements AutoCloseable
{
    private final SeedWorld world;
    private final Journal guestJournal;
    private final Journal gatewayJournal;

    private JournaledSeedWorld(final SeedWorld world, final Journal guestJournal, final Journal gatewayJournal)
    {
        this.world = world;
        this.guestJournal = guestJournal;
        this.gatewayJournal = gatewayJournal;
    }

    /**
     * Build the world as {@code SeedWorld.over(name, guestDevice, gatewayDevice, countersDirectory)} does, each
     * engine journaled.
     *
     * @param name              prefix of both engines' names, e.g. {@code "x86_64"}.
     * @param guestDevice       makes the guest's device, e.g. a NIC model on one end of a cable.
     * @param gatewayDevice     makes the gateway's device.
     * @param countersDirectory where to publish counters, or {@code null} for in memory.
     * @param journalDirectory  where to put the two journals, one subdirectory per engine.
     * @param profile           the platform profile recorded in both session headers, e.g. {@code "x86_64/e1000"}.
     * @param decorate          applied to each engine's context before its journal is attached.
     */
    public static JournaledSeedWorld over(
        final String name,
        final DeviceFactory guestDevice,
        final DeviceFactory gatewayDevice,
        final Path countersDirectory,
        final Path journalDirectory,
        final String profile,
        final UnaryOperator<EngineContext> decorate)
    {
        final Map<String, Journal> journals = new HashMap<>();
        try
        {
            final SeedWorld world = SeedWorld.over(name, guestDevice, gatewayDevice, countersDirectory, context ->
            {
                final EngineContext decorated = decorate.apply(context);
                journals.put(decorated.name(), attach(decorated, journalDirectory, profile));
                return decorated;
            });
            return new JournaledSeedWorld(
                world, journals.get(name + SeedWorld.GUEST_SUFFIX), journals.get(name + SeedWorld.GATEWAY_SUFFIX));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(journals.values());
            throw ex;
        }
    }

    private static Journal attach(final EngineContext context, final Path journalDirectory, final String profile)
    {
        return Journal.attach(context, new JournalContext()
            .directory(journalDirectory.resolve(context.name()))
            .profile(profile));
    }

    public SeedWorld world()
    {
        return world;
    }

    public Journal guestJournal()
    {
        return guestJournal;
    }

    public Journal gatewayJournal()
    {
        return gatewayJournal;
    }

    /**
     * Stop both engines, then close both journals.
     */
    public void close()
    {
        try
        {
            world.close();
        }
        finally
        {
            CloseHelper.closeAll(guestJournal, gatewayJournal);
        }
    }
}
