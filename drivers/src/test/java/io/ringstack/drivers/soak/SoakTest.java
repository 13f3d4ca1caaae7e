package io.ringstack.drivers.soak;

import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.iface.DropReason;
import io.ringstack.iface.EngineCounters;
import io.ringstack.phy.Cable;
import io.ringstack.phy.Link;
import io.ringstack.seed.SeedWorld;
import io.ringstack.services.HttpService;
import io.ringstack.services.Service;
import io.ringstack.services.TcpEchoService;
import io.ringstack.services.UdpEchoService;
import io.ringstack.socket.Sockets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A soak: two worlds at once, each a guest and a gateway engine on their own threads, one pair on E1000 models and
 * one on VirtIO-net models, each pair joined by its cable; every gateway serves TCP echo, UDP echo and HTTP, and
 * every guest runs {@link MixedTraffic} against them: a warm-up until every service's worker pool is full (at most
 * {@value #WARM_UP_LIMIT_SECONDS} s), then {@code -Dsoak.seconds} (default 30; the documented long run is
 * {@code -Dsoak.seconds=600}) sampled every few seconds ({@link ResourceSample}). At the end:
 * <ul>
 *   <li>flat: the last third's maximum of each column is within a slack of the first third's maximum: heap after a
 *       full collection {@value #HEAP_SLACK_MIB} MiB (the clients' in-flight buffers, up to 1 MiB per HTTP answer,
 *       and what a collection leaves of them), direct and mapped memory together {@value #OFF_HEAP_SLACK_MIB} MiB (the
 *       rings of two TCP connection slots first used late, 512 KiB each, and the 512 KiB receive rings of up to two
 *       UDP sockets closed but not yet collected: a 30 s run once ended 1,050,240 B over a 1 MiB slack that way, back
 *       down by its last sample), threads {@value #THREAD_SLACK} and open
 *       descriptors {@value #DESCRIPTOR_SLACK} (a service worker or a listing started between two samples);</li>
 *   <li>nothing lost: every byte echoed over TCP was the byte sent, every HTTP request was answered 200 with its
 *       body, every UDP datagram came back or is matched by a counted drop, every engine's receive counters balance,
 *       and no engine raised an error.</li>
 * </ul>
 * The run has deadlines everywhere: every socket call a 10 s timeout, the clients a stop time, the whole test the
 * soak's length plus four minutes.
 */
class SoakTest
{
    private static final long SECONDS = Long.getLong("soak.seconds", 30);
    private static final long SAMPLE_EVERY_SECONDS = Math.max(2, SECONDS / 60);
    private static final int CABLE_CAPACITY = 1 << 20;
    private static final long HEAP_SLACK_MIB = 16;
    private static final long OFF_HEAP_SLACK_MIB = 2;
    private static final int THREAD_SLACK = 2;
    private static final int DESCRIPTOR_SLACK = 2;
    private static final long MIB = 1 << 20;
    /**
     * Each TCP service starts a worker thread per accepted connection until it has 64, and keeps them: the warm-up
     * lasts until every service has had that many connections, so that the samples see the pools full.
     */
    private static final int WORKERS_PER_SERVICE = 64;
    private static final long WARM_UP_LIMIT_SECONDS = 60;

    @Test
    void mixedTrafficThroughBothNicModelsLeavesMemoryThreadsAndDescriptorsFlatAndLosesNothing()
    {
        assertTimeoutPreemptively(Duration.ofSeconds(SECONDS + WARM_UP_LIMIT_SECONDS + 180), this::soak);
    }

    private void soak() throws InterruptedException
    {
        final List<AutoCloseable> open = new ArrayList<>();
        try
        {
            final SeedWorld e1000 = world(PlatformProfile.X86_64, open);
            final SeedWorld virtio = world(PlatformProfile.AARCH64, open);
            final MixedTraffic e1000Traffic = new MixedTraffic("e1000", e1000);
            final MixedTraffic virtioTraffic = new MixedTraffic("virtio-net", virtio);
            final long warmUpEndNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_LIMIT_SECONDS);
            e1000Traffic.start(warmUpEndNs + TimeUnit.SECONDS.toNanos(SECONDS));
            virtioTraffic.start(warmUpEndNs + TimeUnit.SECONDS.toNanos(SECONDS));
            warmUp(warmUpEndNs, e1000Traffic, virtioTraffic);
            final long startNs = System.nanoTime();
            final long endNs = startNs + TimeUnit.SECONDS.toNanos(SECONDS);
            e1000Traffic.stopAt(endNs);
            virtioTraffic.stopAt(endNs);
            System.out.println("warm-up: " + e1000Traffic.totals() + "; " + virtioTraffic.totals());

            final List<ResourceSample> samples = sample(startNs, endNs, e1000Traffic, virtioTraffic);

            assertTrue(e1000Traffic.join(60_000) && virtioTraffic.join(60_000), "clients stopped within a minute");
            report(samples, e1000Traffic, virtioTraffic);
            assertNull(e1000Traffic.failure(), () -> e1000Traffic.failure() + "\n" + e1000.diagnostics());
            assertNull(virtioTraffic.failure(), () -> virtioTraffic.failure() + "\n" + virtio.diagnostics());
            assertNothingLost(e1000, e1000Traffic);
            assertNothingLost(virtio, virtioTraffic);
            assertFlat(samples);
        }
        finally
        {
            for (int i = open.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(open.get(i));
            }
        }
    }

    /**
     * A guest and a gateway on {@code profile}'s NIC model, joined by a cable, the gateway's services started.
     */
    private static SeedWorld world(final PlatformProfile profile, final List<AutoCloseable> open)
    {
        final Link[] cable = Cable.ends(CABLE_CAPACITY);
        final SeedWorld world = SeedWorld.over("soak-" + profile.nic(),
            profile.nicOn(cable[0], SeedWorld.GUEST_MAC), profile.nicOn(cable[1], SeedWorld.GATEWAY_MAC), null);
        open.add(world);
        final Sockets sockets = world.gateway().sockets();
        for (final Service service : new Service[]{ new TcpEchoService(sockets, TcpEchoService.PORT),
            new UdpEchoService(sockets, UdpEchoService.PORT), new HttpService(sockets, HttpService.PORT) })
        {
            open.add(service);
            assertEquals(0, service.start(), service.description());
        }
        return world;
    }

    /**
     * Wait until every service's worker pool is full, a client has failed or {@code warmUpEndNs} has passed.
     */
    private static void warmUp(final long warmUpEndNs, final MixedTraffic... traffic) throws InterruptedException
    {
        while (!Stream.of(traffic).allMatch((each) -> each.hasOpened(WORKERS_PER_SERVICE)) &&
            Stream.of(traffic).allMatch((each) -> each.failure() == null) && System.nanoTime() - warmUpEndNs < 0)
        {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * A sample every {@link #SAMPLE_EVERY_SECONDS} until {@code endNs}, or until a client has failed.
     */
    private static List<ResourceSample> sample(
        final long startNs, final long endNs, final MixedTraffic... traffic) throws InterruptedException
    {
        final List<ResourceSample> samples = new ArrayList<>();
        System.out.println("soak of " + SECONDS + " s, a sample every " + SAMPLE_EVERY_SECONDS + " s");
        System.out.println(ResourceSample.header());
        for (long next = startNs + TimeUnit.SECONDS.toNanos(SAMPLE_EVERY_SECONDS); next - endNs <= 0;
            next += TimeUnit.SECONDS.toNanos(SAMPLE_EVERY_SECONDS))
        {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            final ResourceSample sample = ResourceSample.take(TimeUnit.NANOSECONDS.toSeconds(next - startNs));
            samples.add(sample);
            System.out.println(sample.row());
            if (Stream.of(traffic).map(MixedTraffic::failure).anyMatch(Objects::nonNull))
            {
                break;
            }
        }
        return samples;
    }

    private static void report(final List<ResourceSample> samples, final MixedTraffic... traffic)
    {
        for (final MixedTraffic each : traffic)
        {
            System.out.println(each.totals());
        }
        System.out.println(ResourceSample.summary(samples, "heap", ResourceSample::heapBytes));
        System.out.println(ResourceSample.summary(samples, "direct", ResourceSample::directBytes));
        System.out.println(ResourceSample.summary(samples, "mapped", ResourceSample::mappedBytes));
        System.out.println(ResourceSample.summary(samples, "threads", ResourceSample::threads));
        System.out.println(ResourceSample.summary(samples, "fds", ResourceSample::descriptors));
    }

    private static void assertNothingLost(final SeedWorld world, final MixedTraffic traffic)
    {
        assertTrue(traffic.tcpBytes.get() > 0 && traffic.httpRequests.get() > 0 && traffic.udpEchoed.get() > 0,
            traffic::totals);
        final EngineCounters guest = world.guest().engine().counters();
        final EngineCounters gateway = world.gateway().engine().counters();
        final long counted = guest.totalDrops(DropReason.Direction.RX) + guest.totalDrops(DropReason.Direction.TX) +
            gateway.totalDrops(DropReason.Direction.RX) + gateway.totalDrops(DropReason.Direction.TX);
        assertEquals(traffic.udpSent.get(), traffic.udpEchoed.get() + traffic.udpLost.get(), traffic::totals);
        assertTrue(traffic.udpLost.get() <= counted,
            () -> "every lost datagram is a counted drop: " + traffic.totals() + "\n" + world.diagnostics());
        assertTrue(guest.rxBalanced() && gateway.rxBalanced(), world::diagnostics);
        assertEquals(0, world.guest().runner().errorCount() + world.gateway().runner().errorCount(),
            world::diagnostics);
    }

    private static void assertFlat(final List<ResourceSample> samples)
    {
        assertTrue(samples.size() >= 3, "at least three samples: " + samples.size());
        final String growth = Stream.of(
            ResourceSample.growth(samples, "heap", ResourceSample::heapBytes, HEAP_SLACK_MIB * MIB),
            ResourceSample.growth(samples, "direct and mapped", (sample) -> sample.directBytes() + sample.mappedBytes(),
                OFF_HEAP_SLACK_MIB * MIB),
            ResourceSample.growth(samples, "threads", ResourceSample::threads, THREAD_SLACK),
            ResourceSample.growth(samples, "fds", ResourceSample::descriptors, DESCRIPTOR_SLACK))
            .filter(Objects::nonNull).reduce((a, b) -> a + "; " + b).orElse(null);
        assertNull(growth);
    }
}
