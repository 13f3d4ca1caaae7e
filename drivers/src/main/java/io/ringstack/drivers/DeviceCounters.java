package io.ringstack.drivers;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * A device model's counters: frames each way, interrupts, watchdog resets and one per {@link DeviceDrop}. Written by the thread that runs the
 * model; readable from anywhere, including {@code ringstack stat} in another process.
 */
public final class DeviceCounters implements AutoCloseable
{
    public static final int TYPE_DEVICE = 2001;

    public final AtomicCounter rxFrames;
    public final AtomicCounter txFrames;
    public final AtomicCounter interrupts;
    /** Resets the driver made because its {@link TxWatchdog} expired. */
    public final AtomicCounter resets;
    private final AtomicCounter[] drops = new AtomicCounter[DeviceDrop.values().length];

    /**
     * @param deviceName prefix of every label, e.g. {@code "e1000.0"}.
     */
    public DeviceCounters(final CountersManager manager, final String deviceName)
    {
        rxFrames = manager.newCounter(deviceName + ": device_rx_frames", TYPE_DEVICE);
        txFrames = manager.newCounter(deviceName + ": device_tx_frames", TYPE_DEVICE);
        interrupts = manager.newCounter(deviceName + ": device_interrupts", TYPE_DEVICE);
        resets = manager.newCounter(deviceName + ": device_watchdog_resets", TYPE_DEVICE);
        for (final DeviceDrop drop : DeviceDrop.values())
        {
            drops[drop.ordinal()] = manager.newCounter(deviceName + ": " + drop.label(), TYPE_DEVICE);
        }
    }

    public void drop(final DeviceDrop reason)
    {
        drops[reason.ordinal()].incrementRelease();
    }

    /**
     * Count {@code frames} lost together for one reason, as the frames a reset empties from the rings.
     */
    public void drop(final DeviceDrop reason, final int frames)
    {
        drops[reason.ordinal()].getAndAddRelease(frames);
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
        resets.close();
        for (final AtomicCounter counter : drops)
        {
            counter.close();
        }
    }
}
