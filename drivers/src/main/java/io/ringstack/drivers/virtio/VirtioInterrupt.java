package io.ringstack.drivers.virtio;

import org.agrona.concurrent.status.AtomicCounter;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.INTERRUPT_USED_BUFFER;

/**
 * The virtio-mmio {@code InterruptStatus} register and the interrupt line behind it (VirtIO 1.2 sections 4.2.2 and
 * 4.2.3.4): causes accumulate until the driver clears them through {@code InterruptACK}, and the line is asserted
 * while any is pending. A rising edge counts as one interrupt.
 */
final class VirtioInterrupt
{
    private final AtomicCounter interrupts;
    private int status;

    /**
     * @param interrupts counts rising edges of the line.
     */
    VirtioInterrupt(final AtomicCounter interrupts)
    {
        this.interrupts = interrupts;
    }

    /**
     * @return {@code InterruptStatus}: the pending causes.
     */
    int status()
    {
        return status;
    }

    /**
     * {@code InterruptACK}: clear the causes written.
     */
    void acknowledge(final int causes)
    {
        status &= ~causes;
    }

    /**
     * Assert the line for {@code cause}.
     */
    void raise(final int cause)
    {
        if (status == 0)
        {
            interrupts.incrementRelease();
        }
        status |= cause;
    }

    /**
     * A used buffer notification for {@code queue}, unless its driver suppressed them (section 2.7.7).
     */
    void usedBuffer(final DeviceVirtqueue queue)
    {
        if (!queue.notificationsSuppressed())
        {
            raise(INTERRUPT_USED_BUFFER);
        }
    }

    /**
     * Device reset: nothing pending.
     */
    void reset()
    {
        status = 0;
    }
}
