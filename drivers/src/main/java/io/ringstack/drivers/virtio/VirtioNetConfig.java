package io.ringstack.drivers.virtio;

import static io.ringstack.drivers.virtio.VirtioMmioRegisters.NET_CONFIG_MAC;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.NET_CONFIG_STATUS;
import static io.ringstack.drivers.virtio.VirtioMmioRegisters.VIRTIO_NET_S_LINK_UP;

/**
 * The network device's configuration space, {@code struct virtio_net_config} (VirtIO 1.2 section 5.1.4): the MAC
 * address in {@code mac} and the link state in {@code status}, read little-endian with the width of the access,
 * and the {@code ConfigGeneration} that moves on whenever they change (section 2.5). The driver cannot write it.
 */
final class VirtioNetConfig
{
    private static final int MAC_LENGTH = 6;

    private final long macAddress;
    private boolean linkUp = true;
    private int generation;

    /**
     * @param macAddress low 48 bits, first octet most significant.
     */
    VirtioNetConfig(final long macAddress)
    {
        this.macAddress = macAddress;
    }

    /**
     * @return {@code ConfigGeneration}.
     */
    int generation()
    {
        return generation;
    }

    boolean isLinkUp()
    {
        return linkUp;
    }

    /**
     * Set the link state; a change moves the generation on.
     *
     * @return whether the state changed.
     */
    boolean linkUp(final boolean up)
    {
        if (up == linkUp)
        {
            return false;
        }
        linkUp = up;
        generation++;
        return true;
    }

    /**
     * Little-endian read of {@code width} bytes from {@code offset}.
     */
    int read(final int offset, final int width)
    {
        int value = 0;
        for (int i = width - 1; i >= 0; i--)
        {
            value = (value << 8) | readByte(offset + i);
        }
        return value;
    }

    private int readByte(final int offset)
    {
        final int macOctet = offset - NET_CONFIG_MAC;
        if (macOctet < MAC_LENGTH)
        {
            return (int)(macAddress >>> (8 * (MAC_LENGTH - 1 - macOctet))) & 0xFF;
        }
        if (offset == NET_CONFIG_STATUS)
        {
            return linkUp ? VIRTIO_NET_S_LINK_UP : 0;
        }
        return 0;
    }
}
