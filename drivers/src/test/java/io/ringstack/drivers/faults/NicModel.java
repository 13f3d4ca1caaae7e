package io.ringstack.drivers.faults;

import io.ringstack.drivers.DeviceCounters;
import io.ringstack.drivers.DeviceFaults;
import io.ringstack.drivers.GuestMemory;
import io.ringstack.drivers.TxWatchdog;
import io.ringstack.drivers.e1000.E1000Device;
import io.ringstack.drivers.e1000.E1000Driver;
import io.ringstack.drivers.e1000.E1000Eeprom;
import io.ringstack.drivers.virtio.VirtioNetDevice;
import io.ringstack.drivers.virtio.VirtioNetDriver;
import io.ringstack.phy.Link;
import io.ringstack.phy.NetworkDevice;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;

/**
 * The two NIC models as the fault tests build them: device model, guest memory and initialised guest driver on a
 * {@link Link}, the driver's transmit watchdog on the clock given, which is the engine's, with the drivers' default
 * timeout (Linux's five seconds).
 */
enum NicModel
{
    E1000(E1000Driver.RX_RING_SIZE - 1)
    {
        Nic create(final String name, final Link link, final long mac, final CountersManager counters,
            final NanoClock clock)
        {
            final GuestMemory memory = GuestMemory.allocate(E1000Driver.GUEST_MEMORY_LENGTH);
            final E1000Device device = new E1000Device(name, memory, link, counters, E1000Eeprom.forMac(mac));
            final E1000Driver driver = new E1000Driver(device, memory, clock, TxWatchdog.DEFAULT_TIMEOUT_NS);
            driver.init();
            return new Nic(driver, driver.faults(), device.counters(), driver.txTimeoutNs(), device, memory);
        }
    },

    VIRTIO_NET(VirtioNetDriver.DEFAULT_QUEUE_SIZE)
    {
        Nic create(final String name, final Link link, final long mac, final CountersManager counters,
            final NanoClock clock)
        {
            final GuestMemory memory =
                GuestMemory.allocate(VirtioNetDriver.guestMemoryLength(VirtioNetDriver.DEFAULT_QUEUE_SIZE));
            final VirtioNetDevice device = new VirtioNetDevice(name, memory, link, mac, counters);
            final VirtioNetDriver driver = new VirtioNetDriver(
                name, device, memory, VirtioNetDriver.DEFAULT_QUEUE_SIZE, clock, TxWatchdog.DEFAULT_TIMEOUT_NS).init();
            return new Nic(driver, driver.faults(), device.counters(), driver.txTimeoutNs(), device, memory);
        }
    };

    /** Receive buffers the initialised driver gives the device: how many frames a starved ring still takes. */
    final int receiveBuffers;

    NicModel(final int receiveBuffers)
    {
        this.receiveBuffers = receiveBuffers;
    }

    abstract Nic create(String name, Link link, long mac, CountersManager counters, NanoClock clock);

    /**
     * Counters for a few devices, in memory.
     */
    static CountersManager newCountersManager()
    {
        final int counters = 128;
        return new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(ByteBuffer.allocateDirect(counters * CountersReader.COUNTER_LENGTH)));
    }

    /**
     * One NIC: what the engine sees, the faults it can be put into, its counters and its watchdog's timeout.
     */
    record Nic(
        NetworkDevice driver, DeviceFaults faults, DeviceCounters counters, long txTimeoutNs,
        AutoCloseable device, GuestMemory memory) implements AutoCloseable
    {
        public void close() throws Exception
        {
            device.close();
            memory.close();
        }
    }
}
