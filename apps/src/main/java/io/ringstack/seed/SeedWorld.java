package io.ringstack.seed;

import io.ringstack.Ringstack;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.DeviceFactory;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.phy.PipeDevice;
import io.ringstack.socket.Sockets;
import io.ringstack.wire.Ipv4Text;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.agrona.CloseHelper;

/**
 * The network the seed programs ran in under QEMU's user-mode networking, rebuilt from engines: the guest at
 * 10.0.2.15/24 and a gateway at 10.0.2.2 joined by a wire, each engine on its own thread. The seed programs run
 * against the guest; the gateway answers ARP and ping and, having no sockets, answers UDP with port unreachable.
 */
public final class SeedWorld implements SeedContext, AutoCloseable
{
    public static final String GUEST_ADDRESS = "10.0.2.15";
    public static final String GATEWAY_ADDRESS = "10.0.2.2";
    public static final long GUEST_MAC = 0x5254_0012_3456L;
    public static final long GATEWAY_MAC = 0x5255_0A00_0202L;
    public static final String GUEST_SUFFIX = "-guest";
    public static final String GATEWAY_SUFFIX = "-gateway";
    private static final int WIRE_RING_CAPACITY = 1 << 20;

    private final Ringstack guest;
    private final Ringstack gateway;

    private SeedWorld(final Ringstack guest, final Ringstack gateway)
    {
        this.guest = guest;
        this.gateway = gateway;
    }

    /**
     * Guest and gateway joined by an in-memory pipe.
     *
     * @param name prefix of both engines' names, e.g. the platform profile.
     * @param countersDirectory where to publish counters, or {@code null} for in memory.
     */
    public static SeedWorld overPipe(final String name, final Path countersDirectory)
    {
        final PipeDevice[] wire = PipeDevice.pair(
            name + "-guest-wire", GUEST_MAC, name + "-gateway-wire", GATEWAY_MAC, WIRE_RING_CAPACITY);
        return over(name, wire[0], wire[1], countersDirectory);
    }

    /**
     * Guest and gateway on the given two ends of one wire.
     */
    public static SeedWorld over(
        final String name, final NetworkDevice guestDevice, final NetworkDevice gatewayDevice,
        final Path countersDirectory)
    {
        return over(name, (engine, counters) -> guestDevice, (engine, counters) -> gatewayDevice, countersDirectory);
    }

    /**
     * Guest and gateway on devices made over each engine's counters, e.g. NIC models joined by a cable.
     */
    public static SeedWorld over(
        final String name, final DeviceFactory guestDevice, final DeviceFactory gatewayDevice,
        final Path countersDirectory)
    {
        return over(name, guestDevice, gatewayDevice, countersDirectory, UnaryOperator.identity());
    }

    /**
     * Guest and gateway as {@link #over(String, DeviceFactory, DeviceFactory, Path)} makes them, with
     * {@code decorate} applied to each engine's context before launch (a journal tap, a removed protocol arm...).
     * The guest's context is named {@code name + "-guest"}, the gateway's {@code name + "-gateway"}.
     */
    public static SeedWorld over(
        final String name, final DeviceFactory guestDevice, final DeviceFactory gatewayDevice,
        final Path countersDirectory, final UnaryOperator<EngineContext> decorate)
    {
        final Ringstack gateway = Ringstack.launch(decorate.apply(new EngineContext()
            .name(name + GATEWAY_SUFFIX)
            .interfaceConfig(InterfaceConfig.parse(GATEWAY_ADDRESS + "/24", null, GATEWAY_MAC))),
            true, countersDirectory, gatewayDevice);
        try
        {
            final Ringstack guest = Ringstack.launch(decorate.apply(new EngineContext()
                .name(name + GUEST_SUFFIX)
                .interfaceConfig(InterfaceConfig.parse(GUEST_ADDRESS + "/24", GATEWAY_ADDRESS, GUEST_MAC))),
                true, countersDirectory, guestDevice);
            return new SeedWorld(guest, gateway);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(gateway);
            throw ex;
        }
    }

    public Ringstack guest()
    {
        return guest;
    }

    public Ringstack gateway()
    {
        return gateway;
    }

    public Sockets sockets()
    {
        return guest.sockets();
    }

    public int ownAddress()
    {
        return Ipv4Text.parse(GUEST_ADDRESS);
    }

    public int gatewayAddress()
    {
        return Ipv4Text.parse(GATEWAY_ADDRESS);
    }

    public String diagnostics()
    {
        return "guest " + GUEST_ADDRESS + ":\n" + guest.diagnostics() + "gateway " + GATEWAY_ADDRESS + ":\n" +
            gateway.diagnostics();
    }

    public void close()
    {
        CloseHelper.closeAll(guest, gateway);
    }
}
