package io.ringstack.drivers;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * A device model's counters: frames each way and one per {@link DeviceDrop}. Written by the thread that runs the
 * model; readable from anywhere, including {@code ringstack stat} in another process.
 */
public final class DeviceCounters implements AutoCloseable
{
    public static final int TYPE_DEVICE = 2001;

    public final AtomicCounter rxFrames;
    public final AtomicCounter txFrames;
    public final AtomicCounter interrupts;
    private final AtomicCounter[] drops = new AtomicCounter[DeviceDrop.values().length];

    /**
     * @param deviceName prefix of every label, e.g. {@code "e1000.0"}.
     */
    public DeviceCounters(final CountersManager manager, final String deviceName)
    {
        rxFrames = manager.newCounter(deviceName + ": device_rx_frames", TYPE_DEVICE);
        txFrames = manager.newCounter(deviceName + ": device_tx_frames", TYPE_DEVICE);
        interrupts = manager.newCounter(deviceName + ": device_interrupts", TYPE_DEVICE);
        for (final DeviceDrop drop : DeviceDrop.values())
        {
            drops[drop.ordinal()] = manager.newCounter(deviceName + ": " + drop.label(), TYPE_DEVICE);
        }
    }

    public void drop(final DeviceDrop reason)
    {
        drops[reason.ordinal()].incrementRelease();
    }

    public long drops(final DeviceDrop reason)
    {
        return drops[reason.ordinal()].get();
    }

    public void close()
    {
        rxFrames.close();
        txFrames.close();
        interrupts.close();
        for (final AtomicCounter counter : drops)
        {
            counter.close();
        }
    }
}
