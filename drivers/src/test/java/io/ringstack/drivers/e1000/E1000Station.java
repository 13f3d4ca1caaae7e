package io.ringstack.drivers.e1000;

import io.ringstack.drivers.GuestMemory;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;

/**
 * One guest with an 82540EM: its memory, the device model on one end of a wire and the driver, initialised.
 */
final class E1000Station implements AutoCloseable
{
    final GuestMemory memory = GuestMemory.allocate(E1000Bench.GUEST_MEMORY_SIZE);
    final E1000Device device;
    final E1000Driver driver;

    E1000Station(final String name, final long macAddress, final Link link)
    {
        device = new E1000Device(
            name, memory, link, E1000Bench.newCountersManager(), E1000Eeprom.forMac(macAddress));
        driver = new E1000Driver(device, memory);
        driver.init();
    }

    /**
     * Two stations joined by a {@link Cable} of {@code capacity} bytes per direction.
     */
    static E1000Station[] onCable(
        final String nameA, final long macA, final String nameB, final long macB, final int capacity)
    {
        final Link[] ends = Cable.ends(capacity);
        return new E1000Station[]{ new E1000Station(nameA, macA, ends[0]), new E1000Station(nameB, macB, ends[1]) };
    }

    public void close()
    {
        device.close();
        memory.close();
    }
}
