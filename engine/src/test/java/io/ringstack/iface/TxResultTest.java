package io.ringstack.iface;

import io.ringstack.engine.EngineClient;
import io.ringstack.errno.Errno;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.socket.SockAddr;
import io.ringstack.socket.SocketConstants;
import io.ringstack.socket.Sockets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.ringstack.iface.TestFrames.DIRECTED_BROADCAST;
import static io.ringstack.iface.TestFrames.OUR_ADDRESS;
import static io.ringstack.iface.TestFrames.OUR_MAC;
import static io.ringstack.iface.TestFrames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The interface's transmit results and the answer an application gets for each, the error number Linux gives for
 * the same condition: a device's refusal passes up unchanged (a full ring is {@code ENOBUFS}, a device that is not
 * ready {@code ENETDOWN}, an oversize frame {@code EMSGSIZE}) and no route is {@code ENETUNREACH}, for a UDP
 * {@code sendto} and for a ping alike. A UDP send does not wait for the engine, so a refusal the engine meets reaches
 * the application as the socket's pending error ({@code SO_ERROR}); no route is known before the send is posted,
 * and {@code sendto} returns it at once.
 */
class TxResultTest
{
    private static final int PORT = 9;
    private static final byte[] PAYLOAD = {1, 2, 3, 4};
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(1);

    private EngineHarness harness;

    @AfterEach
    void stopEngine()
    {
        if (harness != null)
        {
            harness.close();
        }
    }

    @Test
    void deviceCodesAreTheirOwnResults()
    {
        assertEquals(NetworkDevice.TX_OK, TxResult.SENT);
        assertEquals(NetworkDevice.TX_RING_FULL, TxResult.NO_BUFFER);
        assertEquals(NetworkDevice.TX_NOT_READY, TxResult.NOT_READY);
        assertEquals(NetworkDevice.TX_OVERSIZE, TxResult.OVERSIZE);
    }

    @Test
    void aSentDatagramAnswersWithItsLength()
    {
        harness = EngineHarness.start();

        assertEquals(PAYLOAD.length, sendto(DIRECTED_BROADCAST));
    }

    static Stream<Arguments> deviceRefusals()
    {
        return Stream.of(
            arguments("TX_RING_FULL", NetworkDevice.TX_RING_FULL, "ENOBUFS", DropReason.DEVICE_TX_FULL),
            arguments("TX_NOT_READY", NetworkDevice.TX_NOT_READY, "ENETDOWN", DropReason.DEVICE_TX_REJECTED),
            arguments("TX_OVERSIZE", NetworkDevice.TX_OVERSIZE, "EMSGSIZE", DropReason.DEVICE_TX_REJECTED));
    }

    @ParameterizedTest(name = "device answers {0}: the application is told {2}")
    @MethodSource("deviceRefusals")
    void aDeviceRefusalIsTheErrnoLinuxGives(
        final String deviceCode, final int deviceResult, final String errno, final DropReason counted)
    {
        harness = EngineHarness.start();
        harness.device().transmitResult(deviceResult);

        assertEquals("-" + errno, Errno.describe(sendto(DIRECTED_BROADCAST)), "sendto");
        assertEquals("-" + errno, Errno.describe((int)ping(DIRECTED_BROADCAST)), "ping");
        assertEquals(2, harness.counters().drops(counted));
    }

    @Test
    void noRouteIsEnetunreach()
    {
        harness = EngineHarness.start((ctx) -> ctx.interfaceConfig(new InterfaceConfig(OUR_ADDRESS, 24, 0, OUR_MAC)));
        final int offLink = ip("192.0.2.1");

        assertEquals(-Errno.ENETUNREACH, sendto(offLink));
        assertEquals(-Errno.ENETUNREACH, ping(offLink));
        assertEquals(1, harness.counters().drops(DropReason.NO_ROUTE), "the ping's; the send never left the caller");
    }

    @Test
    void namesForTools()
    {
        assertEquals("SENT", TxResult.name(TxResult.SENT));
        assertEquals("NO_BUFFER", TxResult.name(TxResult.NO_BUFFER));
        assertEquals("NOT_READY", TxResult.name(TxResult.NOT_READY));
        assertEquals("OVERSIZE", TxResult.name(TxResult.OVERSIZE));
        assertEquals("NO_ROUTE", TxResult.name(TxResult.NO_ROUTE));
        assertEquals("ARP_QUEUE_FULL", TxResult.name(TxResult.ARP_QUEUE_FULL));
        assertEquals("tx result -9", TxResult.name(-9));
        for (int result = TxResult.ARP_QUEUE_FULL; result <= TxResult.SENT; result++)
        {
            final String description = TxResult.describe(result);
            assertTrue(description.startsWith(TxResult.name(result) + " (") && description.endsWith(")"), description);
        }
        assertEquals("tx result -9", TxResult.describe(-9));
    }

    /**
     * @return what the application learns of a send: {@code sendto}'s result, or the socket's pending error.
     */
    private int sendto(final int destination)
    {
        final Sockets sockets = harness.sockets();
        final int fd = sockets.socket(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM, 0);
        assertTrue(fd >= 0, () -> Errno.describe(fd));
        final int result = sockets.sendto(fd, PAYLOAD, 0, PAYLOAD.length, 0, SockAddr.inet(destination, PORT));
        final int pending = sockets.socketError(fd);
        sockets.close(fd);
        harness.assertHealthy();
        return pending != 0 ? -pending : result;
    }

    private long ping(final int destination)
    {
        final EngineClient client = harness.client();
        final int slot = client.allocateSlot();
        assertTrue(slot >= 0, () -> Errno.describe(slot));
        final long result = client.ping(slot, destination, PAYLOAD.length, TIMEOUT_NS);
        client.freeSlot(slot);
        harness.assertHealthy();
        return result;
    }
}
