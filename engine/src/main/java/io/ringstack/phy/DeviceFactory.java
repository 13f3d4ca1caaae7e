package io.ringstack.phy;

import org.agrona.concurrent.status.CountersManager;

/**
 * Makes an engine's network device once the engine's counters exist, so the device's own counters (rings, device
 * errors) sit beside the engine's in one counters file.
 */
@FunctionalInterface
public interface DeviceFactory
{
    /**
     * @param name the engine's name, to prefix the device's counter labels.
     */
    NetworkDevice create(String name, CountersManager counters);
}
