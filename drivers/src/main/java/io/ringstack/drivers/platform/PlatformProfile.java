package io.ringstack.drivers.platform;

import io.ringstack.drivers.GuestMemory;
import io.ringstack.drivers.e1000.E1000Device;
import io.ringstack.drivers.e1000.E1000Driver;
import io.ringstack.drivers.e1000.E1000Eeprom;
import io.ringstack.drivers.virtio.VirtioNetDevice;
import io.ringstack.drivers.virtio.VirtioNetDriver;
import io.ringstack.phy.DeviceFactory;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import org.agrona.concurrent.status.CountersManager;

/**
 * The seed's platform matrix: each profile binds the NIC its guest had, x86-64 an E1000 on PCI and AArch64 a
 * VirtIO-net over MMIO. Both feed the same dispatcher; nothing above the device knows which profile it runs.
 * <p>
 * The profiles sit in a package of their own above both models, which depend only on {@code io.ringstack.drivers}.
 */
public enum PlatformProfile
{
    X86_64("x86_64", "e1000")
    {
        NetworkDevice createNic(final String name, final Link link, final long mac, final CountersManager counters)
        {
            final GuestMemory memory = GuestMemory.allocate(E1000Driver.GUEST_MEMORY_LENGTH);
            final E1000Driver driver = new E1000Driver(
                new E1000Device(name, memory, link, counters, E1000Eeprom.forMac(mac)), memory);
            driver.init();
            return driver;
        }
    },

    AARCH64("aarch64", "virtio-net")
    {
        NetworkDevice createNic(final String name, final Link link, final long mac, final CountersManager counters)
        {
            final GuestMemory memory =
                GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(VirtioNetDriver.DEFAULT_QUEUE_SIZE));
            return new VirtioNetDriver(name, new VirtioNetDevice(name, memory, link, mac, counters), memory,
                VirtioNetDriver.DEFAULT_QUEUE_SIZE).init();
        }
    };


    private final String architecture;
    private final String nic;

    PlatformProfile(final String architecture, final String nic)
    {
        this.architecture = architecture;
        this.nic = nic;
    }

    /**
     * @return the column heading of the seed matrix, e.g. {@code "x86_64/e1000"}.
     */
    public String label()
    {
        return architecture + "/" + nic;
    }

    public String architecture()
    {
        return architecture;
    }

    public String nic()
    {
        return nic;
    }

    /**
     * A NIC of this profile (device model and initialised guest driver) with {@code link} as its wire.
     */
    abstract NetworkDevice createNic(String name, Link link, long mac, CountersManager counters);

    /**
     * @return a factory for {@link io.ringstack.Ringstack#launch} that makes this profile's NIC on {@code link}.
     */
    public DeviceFactory nicOn(final Link link, final long mac)
    {
        return (engineName, counters) -> createNic(engineName + "." + nic, link, mac, counters);
    }

    /**
     * @param nic {@code "e1000"} or {@code "virtio"} (also {@code "virtio-net"}), as the command line takes it.
     * @throws IllegalArgumentException naming the choices.
     */
    public static PlatformProfile forNic(final String nic)
    {
        switch (nic)
        {
            case "e1000":
                return X86_64;
            case "virtio":
            case "virtio-net":
                return AARCH64;
            default:
                throw new IllegalArgumentException("unknown NIC '" + nic + "': expected e1000 or virtio");
        }
    }
}
