package io.ringstack.drivers.link;

import io.ringstack.Ringstack;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.services.Service;
import io.ringstack.services.Services;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine on each NIC model whose wire is a TAP, and the Linux kernel at the other end: from a network namespace
 * of the test's own, {@code ping} (of 56 bytes, and of 3000 bytes in fragments both ways), a UDP and a TCP echo
 * through bash's {@code /dev/udp} and {@code /dev/tcp}, and an HTTP download with {@code curl} when it is
 * installed. The TAP is opened as {@code serve --link tap:NAME} opens it, with a virtio-net header before each frame
 * and the kernel cutting its own segments until the model asks for them whole. Skipped, saying what is missing,
 * without root, {@code /dev/net/tun}, {@code ip} or {@code ping}.
 */
class TapNicTest
{
    private static final long ENGINE_MAC = 0x5254_0012_3456L;
    private static final String ENGINE_ADDRESS = "10.0.9.15";
    private static final int DOWNLOAD_BYTES = 4_000_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(PlatformProfile.class)
    void linuxPingsEchoesAndDownloadsThroughTheNicOnATap(final PlatformProfile profile)
    {
        TapNamespace.assumeAvailable();
        TapNamespace.assumeCommand("ping", "iputils-ping");
        TapNamespace.assumeCommand("bash", "bash");
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> exchange(profile));
    }

    private static void exchange(final PlatformProfile profile)
    {
        final String tap = TapNamespace.tapName("n");
        final List<Service> services = new ArrayList<>();
        try (TapLink link = TapLink.open(tap, TapLinkTest.inMemoryCounters(), "test.tap:" + tap, true, false);
            TapNamespace namespace = TapNamespace.create("n");
            Ringstack stack = Ringstack.launch(new EngineContext().name("tap-" + profile.nic())
                .interfaceConfig(InterfaceConfig.parse(ENGINE_ADDRESS + "/24", "10.0.9.1", ENGINE_MAC)), true, null,
                profile.nicOn(link, ENGINE_MAC)))
        {
            try
            {
                for (final String name : List.of("echo", "http"))
                {
                    for (final Service service : Services.create(name, stack.sockets()))
                    {
                        assertEquals(0, service.start(), service.description());
                        services.add(service);
                    }
                }
                exchangeWithLinux(profile, tap, link, namespace, stack);
            }
            finally
            {
                services.forEach(Service::close);
            }
        }
    }

    private static void exchangeWithLinux(
        final PlatformProfile profile, final String tap, final TapLink link, final TapNamespace namespace,
        final Ringstack stack)
    {
        namespace.adopt(tap, TapLinkTest.KERNEL_PREFIX);

        final String ping = namespace.run("ping", "-c", "3", "-i", "0.2", "-W", "2", ENGINE_ADDRESS);
        assertTrue(ping.contains("3 received"), ping);
        final String fragmentedPing =
            namespace.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "-s", "3000", ENGINE_ADDRESS);
        assertTrue(fragmentedPing.contains("2 received"), "a 3000-byte ping goes and comes back in fragments\n" +
            fragmentedPing);
        assertEquals("hello-udp", namespace.run("bash", "-c", "exec 3<>/dev/udp/" + ENGINE_ADDRESS +
            "/7; printf hello-udp >&3; read -r -t 5 -N 9 reply <&3; printf %s \"$reply\""), "UDP echo");
        assertEquals("hello-tcp", namespace.run("bash", "-c", "exec 3<>/dev/tcp/" + ENGINE_ADDRESS +
            "/7; printf hello-tcp >&3; read -r -t 5 -N 9 reply <&3; printf %s \"$reply\""), "TCP echo");
        final String download = curl(namespace);
        System.out.println(profile.label() + " over TAP: " + ping.substring(ping.indexOf("rtt")).trim() +
            (download.isEmpty() ? "" : "; HTTP " + download));

        assertTrue(link.isUp());
        assertEquals(0, link.counters().errors.get() + link.counters().down.get(), "link errors");
        assertTrue(stack.engine().counters().rxBalanced(), stack.diagnostics());
    }

    /**
     * @return the bytes and rate of an HTTP download from the engine, or nothing when {@code curl} is missing.
     */
    private static String curl(final TapNamespace namespace)
    {
        if (namespace.attempt("sh", "-c", "command -v curl").exitCode() != 0)
        {
            System.out.println("curl missing (Debian package curl): no HTTP download over the TAP");
            return "";
        }
        final String result = namespace.run("curl", "-sS", "-o", "/dev/null", "--max-time", "30", "-w",
            "%{size_download} %{speed_download}", "http://" + ENGINE_ADDRESS + "/bytes/" + DOWNLOAD_BYTES);
        final String[] fields = result.trim().split(" ");
        assertEquals(String.valueOf(DOWNLOAD_BYTES), fields[0], "bytes downloaded: " + result);
        return fields[0] + " bytes at " + Math.round(Double.parseDouble(fields[1]) * 8 / 1e6) + " Mbit/s";
    }
}
