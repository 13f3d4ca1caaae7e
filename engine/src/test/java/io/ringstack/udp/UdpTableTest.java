package io.ringstack.udp;

import io.ringstack.errno.Errno;
import io.ringstack.iface.EphemeralPorts;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.wire.Ipv4Text;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The engine's UDP sockets by slot and by local port (RFC 768): exclusive ports, binds to our address, a loopback
 * address or any, ephemeral ports from the dynamic range 49152-65535 of RFC 6335 section 6 for port 0 and for a
 * connect on an unbound socket, and errors as Linux gives them.
 */
class UdpTableTest
{
    private static final int OUR_ADDRESS = Ipv4Text.parse("10.0.2.15");
    private static final InterfaceConfig CONFIG =
        new InterfaceConfig(OUR_ADDRESS, 24, Ipv4Text.parse("10.0.2.2"), 0x5254_0012_3456L);
    private static final int PEER = Ipv4Text.parse("10.0.2.2");
    private static final int RING_BYTES = 64;
    private static final int EPHEMERAL_PORTS = EphemeralPorts.LAST - EphemeralPorts.FIRST + 1;

    private final UdpTable table = new UdpTable(8, CONFIG);

    static Stream<Arguments> binds()
    {
        return Stream.of(
            arguments("any address, a chosen port", "0.0.0.0", 7777, 0, 7777),
            arguments("our address", "10.0.2.15", 7777, 0, 7777),
            arguments("the loopback address", "127.0.0.1", 7777, 0, 7777),
            arguments("any address of 127/8", "127.1.2.3", 7777, 0, 7777),
            arguments("port 0: the first ephemeral port", "0.0.0.0", 0, 0, EphemeralPorts.FIRST),
            arguments("the highest port", "0.0.0.0", 65535, 0, 65535),
            arguments("another host's address", "10.0.2.99", 7777, -Errno.EADDRNOTAVAIL, 0),
            arguments("the limited broadcast address", "255.255.255.255", 7777, -Errno.EADDRNOTAVAIL, 0),
            arguments("a negative port", "0.0.0.0", -1, -Errno.EINVAL, 0),
            arguments("a port past 65535", "0.0.0.0", 65536, -Errno.EINVAL, 0));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("binds")
    void bind(final String scenario, final String address, final int port, final int result, final int boundPort)
    {
        final UdpEndpoint endpoint = open(0);

        assertEquals(Errno.describe(result), Errno.describe(table.bind(0, Ipv4Text.parse(address), port)), scenario);

        assertEquals(boundPort, endpoint.localPort, scenario);
        assertEquals(result == 0, endpoint.isBound(), scenario);
        if (result == 0)
        {
            assertSame(endpoint, table.lookup(boundPort), "found by its port");
            assertEquals(Ipv4Text.parse(address), endpoint.localAddress);
        }
    }

    @Test
    void aPortHasOneSocketAtATime()
    {
        open(0);
        open(1);
        assertEquals(0, table.bind(0, 0, 7777));

        assertEquals(-Errno.EADDRINUSE, table.bind(1, OUR_ADDRESS, 7777), "no SO_REUSEADDR, whatever the address");
        assertFalse(table.endpoint(1).isBound());
    }

    @Test
    void aBoundSocketCannotBindAgain()
    {
        open(0);
        assertEquals(0, table.bind(0, 0, 7777));

        assertEquals(-Errno.EINVAL, table.bind(0, 0, 7778), "as Linux answers a second bind");
        assertSame(table.endpoint(0), table.lookup(7777));
        assertNull(table.lookup(7778));
    }

    @Test
    void aSlotWithNoSocketIsABadDescriptor()
    {
        assertEquals(-Errno.EBADF, table.bind(3, 0, 7777));
        assertEquals(-Errno.EBADF, table.connect(3, PEER, 53));
        assertEquals(-Errno.EBADF, table.bind(-1, 0, 7777), "below the table");
        assertEquals(-Errno.EBADF, table.bind(table.capacity(), 0, 7777), "past the table");
        assertNull(table.endpoint(table.capacity()));
    }

    @Test
    void closingFreesThePortAndTheSlot()
    {
        open(0);
        table.bind(0, 0, 7777);

        table.close(0);

        assertNull(table.lookup(7777));
        assertNull(table.endpoint(0));
        open(1);
        assertEquals(0, table.bind(1, 0, 7777), "the port is free again");
        table.close(5);
    }

    @Test
    void connectSetsTheDefaultPeerAndBindsAnEphemeralPortFirst()
    {
        final UdpEndpoint endpoint = open(0);

        assertEquals(0, table.connect(0, PEER, 53));

        assertTrue(endpoint.isConnected());
        assertEquals(PEER, endpoint.remoteAddress);
        assertEquals(53, endpoint.remotePort);
        assertEquals(EphemeralPorts.FIRST, endpoint.localPort, "an unbound socket gets an ephemeral port");
        assertEquals(0, endpoint.localAddress);
    }

    @Test
    void connectKeepsAnExistingBinding()
    {
        final UdpEndpoint endpoint = open(0);
        table.bind(0, OUR_ADDRESS, 7777);

        assertEquals(0, table.connect(0, PEER, 53));

        assertEquals(7777, endpoint.localPort);
        assertEquals(OUR_ADDRESS, endpoint.localAddress);
    }

    @Test
    void connectToPortZeroDissolvesTheAssociationButKeepsThePort()
    {
        final UdpEndpoint endpoint = open(0);
        table.connect(0, PEER, 53);

        assertEquals(0, table.connect(0, PEER, 0), "as connect with AF_UNSPEC does");

        assertFalse(endpoint.isConnected());
        assertEquals(0, endpoint.remoteAddress);
        assertTrue(endpoint.isBound());
        assertSame(endpoint, table.lookup(endpoint.localPort));
    }

    @Test
    void connectToABadPortIsInvalid()
    {
        final UdpEndpoint endpoint = open(0);

        assertEquals(-Errno.EINVAL, table.connect(0, PEER, 65536));
        assertEquals(-Errno.EINVAL, table.connect(0, PEER, -1));
        assertFalse(endpoint.isBound(), "nothing bound on the way to an error");
    }

    @Test
    void ephemeralPortsGoInTurnSkippingThoseInUse()
    {
        for (int slot = 0; slot < 4; slot++)
        {
            open(slot);
        }
        table.bind(0, 0, EphemeralPorts.FIRST + 1);

        table.bind(1, 0, 0);
        table.bind(2, 0, 0);
        assertEquals(EphemeralPorts.FIRST, table.endpoint(1).localPort);
        assertEquals(EphemeralPorts.FIRST + 2, table.endpoint(2).localPort, "49153 is taken");
        table.close(1);
        table.bind(3, 0, 0);

        assertEquals(EphemeralPorts.FIRST + 3, table.endpoint(3).localPort, "in turn, not the lowest free (49152)");
    }

    @Test
    void theDynamicRangeWrapsAroundAndRunsOutWithEaddrinuse()
    {
        final UdpTable large = new UdpTable(EPHEMERAL_PORTS + 1, CONFIG);
        for (int slot = 0; slot <= EPHEMERAL_PORTS; slot++)
        {
            large.open(slot, new UdpEndpoint(RING_BYTES));
        }
        for (int slot = 0; slot < EPHEMERAL_PORTS; slot++)
        {
            assertEquals(0, large.bind(slot, 0, 0));
            assertEquals(EphemeralPorts.FIRST + slot, large.endpoint(slot).localPort);
        }

        assertEquals(-Errno.EADDRINUSE, large.bind(EPHEMERAL_PORTS, 0, 0), "all 16,384 dynamic ports taken");
        assertEquals(-Errno.EADDRINUSE, large.connect(EPHEMERAL_PORTS, PEER, 53));
        large.close(100);
        assertEquals(0, large.bind(EPHEMERAL_PORTS, 0, 0));
        assertEquals(EphemeralPorts.FIRST + 100, large.endpoint(EPHEMERAL_PORTS).localPort,
            "past 65535 the search wraps to 49152 and finds the one port freed");
    }

    /**
     * Random opens, binds, connects and closes against a model of which slot holds which port: every lookup must
     * find the slot the model says, no port is held twice, and every ephemeral port comes from the dynamic range.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 768 })
    void agreesWithAModelOfPortsAndSlots(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final UdpTable udp = new UdpTable(16, CONFIG);
        final Map<Integer, Integer> slotByPort = new HashMap<>();
        final Map<Integer, Integer> portBySlot = new HashMap<>();

        for (int step = 0; step < 3000; step++)
        {
            final int slot = random.nextInt(udp.capacity());
            final int action = random.nextInt(4);
            final String state = "seed " + seed + ", step " + step + ", slot " + slot + ", " + slotByPort;
            if (udp.endpoint(slot) == null)
            {
                udp.open(slot, new UdpEndpoint(RING_BYTES));
            }
            else if (action == 0)
            {
                final Integer port = portBySlot.remove(slot);
                if (port != null)
                {
                    slotByPort.remove(port);
                }
                udp.close(slot);
            }
            else
            {
                final int wanted = random.nextBoolean() ? 0 : 7000 + random.nextInt(8);
                final boolean bound = portBySlot.containsKey(slot);
                final int result = action == 1 ? udp.bind(slot, 0, wanted) : udp.connect(slot, PEER, 53);
                if (action == 1 && bound)
                {
                    assertEquals(-Errno.EINVAL, result, state);
                }
                else if (action == 1 && wanted != 0 && slotByPort.containsKey(wanted))
                {
                    assertEquals(-Errno.EADDRINUSE, result, state);
                }
                else
                {
                    assertEquals(0, result, state);
                }
                final int port = udp.endpoint(slot).localPort;
                if (!bound && result == 0)
                {
                    assertTrue(action == 1 && wanted != 0 ? port == wanted :
                        port >= EphemeralPorts.FIRST && port <= EphemeralPorts.LAST, state);
                    assertNull(slotByPort.put(port, slot), state);
                    portBySlot.put(slot, port);
                }
            }
            for (final Map.Entry<Integer, Integer> held : slotByPort.entrySet())
            {
                assertSame(udp.endpoint(held.getValue()), udp.lookup(held.getKey()), state);
            }
        }
    }

    private UdpEndpoint open(final int slot)
    {
        final UdpEndpoint endpoint = new UdpEndpoint(RING_BYTES);
        table.open(slot, endpoint);
        assertSame(endpoint, table.endpoint(slot));
        assertFalse(endpoint.isBound());
        return endpoint;
    }
}
