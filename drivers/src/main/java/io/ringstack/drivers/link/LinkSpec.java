package io.ringstack.drivers.link;

import io.ringstack.phy.Link;
import org.agrona.concurrent.status.CountersManager;

import java.net.InetSocketAddress;

/**
 * The text form of a link, as the command line takes it: {@code udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT} for a
 * {@link UdpDatagramLink}, {@code tap:NAME} for a {@link TapLink} on the Linux TAP interface {@code NAME},
 * {@code packet:NAME} for a {@link PacketLink} on the existing interface {@code NAME}. Any of them after
 * {@code direct:} asks for the engine straight on the link, with no NIC model between ({@link #direct()}). Options
 * follow the name, each after a comma. A TAP link carries a virtio-net header, through which the engine or its NIC
 * model hands the kernel TCP segments of up to 64 KiB to cut and takes the kernel's whole ({@link TapLink}'s
 * offload), unless it has {@code offload=off}. A packet link shares rings with the kernel ({@link PacketRings})
 * unless it has {@code rings=off}, which reads and writes each frame with a system call of its own, and carries the
 * same header only with {@code offload=on} ({@link PacketLink}), as a wire carries only whole frames.
 */
public final class LinkSpec
{
    private static final String UDP_PREFIX = "udp:";
    private static final String TAP_PREFIX = "tap:";
    private static final String PACKET_PREFIX = "packet:";
    private static final String DIRECT_PREFIX = "direct:";
    private static final String OFFLOAD = "offload=";
    private static final String RINGS = "rings=";
    private static final String FORMS =
        "udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT, tap:NAME[,offload=on|off] or packet:NAME[,rings=on|off]" +
        "[,offload=on|off], each optionally after direct: (TCP segmentation offload is on for a TAP and off for a" +
        " packet link unless set; rings are the PACKET_MMAP rings, on unless set)";

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final String tapName;
    private final String packetInterface;
    private final boolean direct;
    private final boolean offload;
    private final boolean rings;

    private LinkSpec(
        final InetSocketAddress local,
        final InetSocketAddress remote,
        final String tapName,
        final String packetInterface,
        final boolean direct,
        final boolean offload,
        final boolean rings)
    {
        this.local = local;
        this.remote = remote;
        this.tapName = tapName;
        this.packetInterface = packetInterface;
        this.direct = direct;
        this.offload = offload;
        this.rings = rings;
    }

    /**
     * @throws IllegalArgumentException with a message that shows the expected form.
     */
    public static LinkSpec parse(final String text)
    {
        final boolean direct = text.startsWith(DIRECT_PREFIX);
        final String wire = direct ? text.substring(DIRECT_PREFIX.length()) : text;
        final boolean tap = wire.startsWith(TAP_PREFIX);
        if (tap || wire.startsWith(PACKET_PREFIX))
        {
            final String[] parts = wire.substring(tap ? TAP_PREFIX.length() : PACKET_PREFIX.length()).split(",", -1);
            final String name = interfaceName(parts[0], text);
            boolean offload = tap;
            boolean rings = !tap;
            for (int i = 1; i < parts.length; i++)
            {
                if (parts[i].startsWith(OFFLOAD))
                {
                    offload = onOff(parts[i], OFFLOAD, text);
                }
                else if (!tap && parts[i].startsWith(RINGS))
                {
                    rings = onOff(parts[i], RINGS, text);
                }
                else
                {
                    throw new IllegalArgumentException(
                        "unknown option '" + parts[i] + "' in link '" + text + "': expected " + FORMS);
                }
            }
            return new LinkSpec(null, null, tap ? name : null, tap ? null : name, direct, offload, rings);
        }
        if (!wire.startsWith(UDP_PREFIX))
        {
            throw new IllegalArgumentException("unknown link '" + text + "': expected " + FORMS);
        }
        final String[] ends = wire.substring(UDP_PREFIX.length()).split(",", -1);
        if (ends.length != 2)
        {
            throw new IllegalArgumentException(
                "link '" + text + "' needs two addresses: udp:LOCAL_HOST:PORT,REMOTE_HOST:PORT");
        }
        return new LinkSpec(address(ends[0], text), address(ends[1], text), null, null, direct, false, false);
    }

    private static boolean onOff(final String option, final String key, final String text)
    {
        final String value = option.substring(key.length());
        if (!value.equals("on") && !value.equals("off"))
        {
            throw new IllegalArgumentException("option '" + option + "' in link '" + text + "': " + key + "on or " +
                key + "off");
        }
        return value.equals("on");
    }

    /**
     * A name Linux takes for an interface ({@code dev_valid_name} in {@code net/core/dev.c}): 1 to 15 bytes, not
     * {@code .} or {@code ..}, without {@code /}, {@code :} or white space; kept to printable ASCII without
     * {@code ,}, which begins a link's options, here.
     */
    private static String interfaceName(final String name, final String text)
    {
        if (name.isEmpty() || name.length() >= DescriptorCalls.IFNAMSIZ)
        {
            throw new IllegalArgumentException(
                "link '" + text + "': an interface name is 1 to " + (DescriptorCalls.IFNAMSIZ - 1) + " characters");
        }
        boolean valid = !name.equals(".") && !name.equals("..");
        for (int i = 0; valid && i < name.length(); i++)
        {
            final char c = name.charAt(i);
            valid = c > ' ' && c < 0x7F && c != '/' && c != ':' && c != ',';
        }
        if (!valid)
        {
            throw new IllegalArgumentException("link '" + text + "': '" + name + "' is not an interface name");
        }
        return name;
    }

    private static InetSocketAddress address(final String hostPort, final String text)
    {
        final int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1)
        {
            throw new IllegalArgumentException("'" + hostPort + "' in link '" + text + "' is not HOST:PORT");
        }
        final int port;
        try
        {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("port of '" + hostPort + "' in link '" + text + "' is not a number");
        }
        if (port < 1 || port > 0xFFFF)
        {
            throw new IllegalArgumentException("port of '" + hostPort + "' in link '" + text + "' is not 1-65535");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), port);
    }

    /**
     * @return the local address of a UDP link, {@code null} for a TAP or packet link.
     */
    public InetSocketAddress local()
    {
        return local;
    }

    /**
     * @return the remote address of a UDP link, {@code null} for a TAP or packet link.
     */
    public InetSocketAddress remote()
    {
        return remote;
    }

    /**
     * @return the interface of a TAP link, {@code null} for another kind.
     */
    public String tapName()
    {
        return tapName;
    }

    /**
     * @return the interface of a packet link, {@code null} for another kind.
     */
    public String packetInterface()
    {
        return packetInterface;
    }

    /**
     * @return whether the link hands the kernel TCP segments larger than the MTU to cut and can take the kernel's
     * whole: a TAP link without {@code offload=off}, a packet link with {@code offload=on}.
     */
    public boolean offload()
    {
        return offload;
    }

    /**
     * @return whether the link shares {@code PACKET_MMAP} rings with the kernel: a packet link without
     * {@code rings=off}.
     */
    public boolean rings()
    {
        return rings;
    }

    /**
     * @return whether the engine goes straight on the link, with no NIC model between ({@code direct:}).
     */
    public boolean direct()
    {
        return direct;
    }

    /**
     * Open the link. A TAP or packet link allocates its {@link LinkCounters} in {@code counters}, labelled
     * {@code OWNER.KIND:NAME}; a UDP link only its {@code link_kernel_drops}.
     *
     * @param counters where the link counts; for a UDP link it may be {@code null}, and then it counts nothing.
     * @param owner the name of whatever the link is the wire of, e.g. the engine's.
     * @throws java.io.UncheckedIOException in one line saying why the link cannot be opened.
     */
    public Link open(final CountersManager counters, final String owner)
    {
        final String label = owner + "." + wireText();
        if (tapName != null)
        {
            return TapLink.open(tapName, counters, label, offload, direct);
        }
        if (packetInterface != null)
        {
            final PacketLink link =
                PacketLink.open(packetInterface, counters, label, rings ? PacketLink.RING_FRAMES : 0, offload);
            link.receiveSegments(direct);
            return link;
        }
        return UdpDatagramLink.open(local, remote, counters, label);
    }

    /**
     * @return this link's text, and for an opened packet link how it moves frames ({@link PacketLink#path()}), e.g.
     * {@code packet:veth0 (PACKET_MMAP rings of 2048 frames each way)}, for a start line.
     */
    public String describe(final Link opened)
    {
        return opened instanceof PacketLink ? this + " (" + ((PacketLink)opened).path() + ")" : toString();
    }

    private String wireText()
    {
        if (tapName != null)
        {
            return TAP_PREFIX + tapName;
        }
        if (packetInterface != null)
        {
            return PACKET_PREFIX + packetInterface;
        }
        return UDP_PREFIX + local.getHostString() + ":" + local.getPort() + "," + remote.getHostString() + ":" +
            remote.getPort();
    }

    public String toString()
    {
        final String options = tapName != null ? (offload ? "" : "," + OFFLOAD + "off") :
            packetInterface != null ? (rings ? "" : "," + RINGS + "off") + (offload ? "," + OFFLOAD + "on" : "") : "";
        return (direct ? DIRECT_PREFIX + wireText() : wireText()) + options;
    }
}
