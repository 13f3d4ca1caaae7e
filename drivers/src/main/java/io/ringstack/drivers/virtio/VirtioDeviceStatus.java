package io.ringstack.drivers.virtio;

import io.ringstack.drivers.DeviceCounters;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_CONFIG_CHANGE;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DEVICE_NEEDS_RESET;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_DRIVER_OK;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.STATUS_FEATURES_OK;

/**
 * The device status field of a modern device (VirtIO 1.2 section 2.1), written by the driver in the order of
 * section 3.1.1. FEATURES_OK does not stick unless {@link VirtioFeatures} finds the accepted subset acceptable
 * (section 2.2.2). Clearing a bit the driver set, DRIVER_OK without FEATURES_OK, and every other driver error the
 * device reports through {@link #needsReset()} set DEVICE_NEEDS_RESET (section 2.1.2), counted in
 * {@code device_needs_reset}; a live device also raises a configuration change notification for it. The device
 * moves no buffers unless {@link #isLive()}.
 */
final class VirtioDeviceStatus implements AutoCloseable
{
    private final VirtioFeatures features;
    private final VirtioInterrupt interrupt;
    private final AtomicCounter needsResetCount;
    private int status;

    /**
     * @param name prefix of the {@code device_needs_reset} counter's label.
     */
    VirtioDeviceStatus(
        final String name,
        final CountersManager countersManager,
        final VirtioFeatures features,
        final VirtioInterrupt interrupt)
    {
        this.features = features;
        this.interrupt = interrupt;
        needsResetCount = countersManager.newCounter(name + ": device_needs_reset", DeviceCounters.TYPE_DEVICE);
    }

    /**
     * @return {@code Status}.
     */
    int get()
    {
        return status;
    }

    /**
     * A write of {@code Status} other than 0, which resets the whole device and is the device's to handle.
     */
    void write(final int value)
    {
        final int driverBits = value & ~STATUS_DEVICE_NEEDS_RESET;
        if ((status & ~STATUS_DEVICE_NEEDS_RESET & ~driverBits) != 0)
        {
            needsReset();
            return;
        }
        int accepted = driverBits;
        if ((driverBits & ~status & STATUS_FEATURES_OK) != 0 && !features.isAcceptable())
        {
            accepted &= ~STATUS_FEATURES_OK;
        }
        status = accepted | (status & STATUS_DEVICE_NEEDS_RESET);
        if ((accepted & STATUS_DRIVER_OK) != 0 && (accepted & STATUS_FEATURES_OK) == 0)
        {
            needsReset();
        }
    }

    /**
     * Device reset: status 0.
     */
    void reset()
    {
        status = 0;
    }

    boolean isFeaturesOk()
    {
        return (status & STATUS_FEATURES_OK) != 0;
    }

    /**
     * @return whether the driver set DRIVER_OK and the device does not need a reset.
     */
    boolean isLive()
    {
        return (status & (STATUS_DRIVER_OK | STATUS_DEVICE_NEEDS_RESET)) == STATUS_DRIVER_OK;
    }

    /**
     * The driver broke a rule: set DEVICE_NEEDS_RESET, once until the next reset.
     */
    void needsReset()
    {
        if ((status & STATUS_DEVICE_NEEDS_RESET) == 0)
        {
            status |= STATUS_DEVICE_NEEDS_RESET;
            needsResetCount.incrementRelease();
            if ((status & STATUS_DRIVER_OK) != 0)
            {
                interrupt.raise(INTERRUPT_CONFIG_CHANGE);
            }
        }
    }

    /**
     * @return how many times the device entered DEVICE_NEEDS_RESET.
     */
    long needsResetCount()
    {
        return needsResetCount.get();
    }

    /**
     * @return available heads on a ready queue of a live device, 0 otherwise; a driver index more than a queue
     * ahead is corruption and needs a reset.
     */
    int available(final DeviceVirtqueue queue)
    {
        if (!isLive() || !queue.isReady())
        {
            return 0;
        }
        final int available = queue.available();
        if (available > queue.size())
        {
            needsReset();
            return 0;
        }
        return available;
    }

    public void close()
    {
        needsResetCount.close();
    }
}
