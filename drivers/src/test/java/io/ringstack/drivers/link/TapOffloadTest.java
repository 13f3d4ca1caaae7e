package io.ringstack.drivers.link;

import io.ringstack.Ringstack;
import io.ringstack.config.Setting;
import io.ringstack.drivers.platform.PlatformProfile;
import io.ringstack.engine.EngineContext;
import io.ringstack.iface.InterfaceConfig;
import io.ringstack.phy.PipeDevice;
import io.ringstack.services.Service;
import io.ringstack.services.Services;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on a TAP with offload on, straight ({@code direct:tap:NAME}) and behind either NIC model
 * ({@code --nic virtio|e1000 --link tap:NAME}, the TAP opened as {@code serve} opens it, whole segments only once the
 * model asks), and Linux's {@code curl} at the other end: a download leaves the engine in TCP segments of up to
 * 64 KiB that the kernel cuts (the E1000's driver hands them to the device behind a TSO context, and the device hands
 * them to the TAP whole); an upload arrives in the kernel's segments of up to 64 KiB whole, their checksums finished
 * by the link, except on the E1000, which has no receive coalescing and never asks, so that the link cuts and
 * checksums them; both arrive intact by SHA-256. Skipped, saying what is missing, without root,
 * {@code /dev/net/tun}, {@code ip}, {@code curl} or {@code sha256sum}.
 */
class TapOffloadTest
{
    private static final long ENGINE_MAC = 0x5254_0012_3457L;
    private static final String ENGINE_ADDRESS = "10.0.9.15";
    private static final int BYTES = 8_000_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "virtio", "e1000"})
    void linuxDownloadsAndUploadsThroughTheEngineOnATapInSegmentsOfUpTo64KiB(final String nic)
    {
        TapNamespace.assumeAvailable();
        TapNamespace.assumeCommand("curl", "curl");
        TapNamespace.assumeCommand("sha256sum", "coreutils");
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> exchange(nic));
    }

    private static void exchange(final String nic) throws IOException, NoSuchAlgorithmException
    {
        final byte[] upload = new byte[BYTES];
        new Random(16).nextBytes(upload);
        final Path uploadFile = Files.createTempFile("tap-offload", ".bin");
        Files.write(uploadFile, upload);
        final byte[] download = new byte[BYTES];
        for (int i = 0; i < BYTES; i++)
        {
            download[i] = (byte)(i % 251);
        }
        final String tap = TapNamespace.tapName("o");
        final List<Service> services = new ArrayList<>();
        final boolean direct = nic.equals("direct");
        try (TapLink link = TapLink.open(tap, TapLinkTest.inMemoryCounters(), "test.tap:" + tap, true, direct);
            TapNamespace namespace = TapNamespace.create("o");
            Ringstack stack = Ringstack.launch(new EngineContext().name("tap-offload")
                .interfaceConfig(InterfaceConfig.parse(ENGINE_ADDRESS + "/24", "10.0.9.1", ENGINE_MAC)), true, null,
                direct ? (name, counters) -> PipeDevice.on(name + ".direct", ENGINE_MAC, link) :
                    PlatformProfile.forNic(nic).nicOn(link, ENGINE_MAC)))
        {
            try
            {
                for (final Service service : Services.create("http", stack.sockets()))
                {
                    assertEquals(0, service.start(), service.description());
                    services.add(service);
                }
                namespace.adopt(tap, TapLinkTest.KERNEL_PREFIX);
                assertEquals(0xFFFFL, stack.engine().context().settings().longValue(Setting.SEGMENT_OFFLOAD_BYTES));

                final String url = "http://" + ENGINE_ADDRESS;
                assertEquals(sha256(upload), namespace.run("curl", "-sS", "--max-time", "30", "-H",
                    "Content-Type: application/octet-stream", "--data-binary", "@" + uploadFile, url + "/sha256")
                    .trim(), "the engine's SHA-256 of the upload");
                assertEquals(sha256(download) + "  -", namespace.run("sh", "-c",
                    "curl -sS --max-time 30 " + url + "/bytes/" + BYTES + " | sha256sum").trim(), "the download");

                assertTrue(stack.engine().counters().deviceTxSegmentOffload.get() > 0, stack.diagnostics());
                final boolean cut = nic.equals("e1000");
                assertTrue(link.counters().rxSegmentOffload.get() > 0, "the kernel's segments came whole");
                assertTrue(link.counters().rxChecksumFinished.get() > 0, "checksums finished by the link");
                assertEquals(cut, link.counters().rxFrames.get() < stack.engine().counters().rxFrames.get(),
                    "fewer reads than frames: the link cut the segments");
                assertEquals(0, link.counters().rxOffloadRefused.get() + link.counters().errors.get());
                assertTrue(stack.engine().counters().rxBalanced(), stack.diagnostics());
            }
            finally
            {
                services.forEach(Service::close);
                Files.delete(uploadFile);
            }
        }
    }

    private static String sha256(final byte[] bytes) throws NoSuchAlgorithmException
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
