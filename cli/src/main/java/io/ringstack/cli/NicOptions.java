package io.ringstack.cli;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.wire.MacText;
import picocli.CommandLine.Option;

/**
 * The options that make an engine's interface: which NIC model, its MAC, the address and the gateway. A picocli
 * mixin shared by every command that runs an engine on a link.
 */
final class NicOptions
{
    @Option(names = "--nic", required = true, description = "e1000 (x86_64 profile) or virtio (aarch64 profile).")
    String nic;

    @Option(names = "--ip", defaultValue = "10.0.2.15/24", description = "Address/prefix (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--gateway", defaultValue = "10.0.2.2", description = "Gateway (default: ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = "--mac", defaultValue = "52:54:00:12:34:56", description = "NIC MAC (default: ${DEFAULT-VALUE}).")
    String mac;

    /**
     * @throws IllegalArgumentException naming an unknown NIC.
     */
    PlatformProfile profile()
    {
        return PlatformProfile.forNic(nic);
    }

    /**
     * @throws IllegalArgumentException naming a malformed MAC.
     */
    long macAddress()
    {
        return MacText.parse(mac);
    }

    /**
     * @throws IllegalArgumentException naming a malformed address, prefix, gateway or MAC.
     */
    InterfaceConfig interfaceConfig()
    {
        return InterfaceConfig.parse(address, gateway, macAddress());
    }
}
