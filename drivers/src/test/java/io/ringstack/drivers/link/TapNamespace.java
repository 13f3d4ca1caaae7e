package io.ringstack.drivers.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A network namespace of a test's own, holding the kernel's side of a TAP: the test opens a {@link TapLink} in the
 * root namespace, {@link #adopt} moves the interface in and gives it an address, and {@link #run} runs Linux tools
 * there with a deadline. Nothing is reachable from it but the TAP. {@link #close()} deletes the namespace.
 */
final class TapNamespace implements AutoCloseable
{
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private final String name;

    private TapNamespace(final String name)
    {
        this.name = name;
    }

    /**
     * Skip the calling test, saying what is missing, unless it runs as root with {@code /dev/net/tun} and
     * {@code ip}.
     */
    static void assumeAvailable()
    {
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "SKIPPED: no /dev/net/tun (tun module not loaded)");
        assumeTrue(onPath("ip"), "SKIPPED: no 'ip' command (Debian package iproute2)");
        assumeTrue("0".equals(output("id", "-u").trim()), "SKIPPED: TAP and network namespace tests need root");
    }

    /**
     * Skip the calling test, saying so, unless {@code command} is on the path.
     */
    static void assumeCommand(final String command, final String debianPackage)
    {
        assumeTrue(onPath(command), "SKIPPED: no '" + command + "' command (Debian package " + debianPackage + ")");
    }

    /**
     * @param tag a few letters naming the test; the namespace and any interface name made from it are unique to
     *            this JVM.
     */
    static TapNamespace create(final String tag)
    {
        final TapNamespace namespace = new TapNamespace("rs" + tag + ProcessHandle.current().pid());
        namespace.root("ip", "netns", "add", namespace.name);
        namespace.run("ip", "link", "set", "lo", "up");
        return namespace;
    }

    /**
     * @return a TAP interface name (at most 15 characters) unique to this JVM.
     */
    static String tapName(final String tag)
    {
        final String name = "rst" + tag + ProcessHandle.current().pid();
        return name.length() < TunSystemCalls.IFNAMSIZ ? name : name.substring(0, TunSystemCalls.IFNAMSIZ - 1);
    }

    /**
     * Move the interface {@code tap} from the root namespace into this one, with {@code addressPrefix}, and up.
     */
    void adopt(final String tap, final String addressPrefix)
    {
        root("ip", "link", "set", tap, "netns", name);
        run("sysctl", "-q", "-w", "net.ipv6.conf." + tap + ".disable_ipv6=1");
        run("ip", "addr", "add", addressPrefix, "dev", tap);
        run("ip", "link", "set", tap, "up");
    }

    /**
     * Make a veth pair: {@code outside} stays in the root namespace, up and without an address, for a
     * {@link PacketLink}; {@code inside} moves into this namespace with {@code addressPrefix}, its checksum offloads
     * off so that its frames leave with finished checksums, as on a real wire.
     */
    void vethPair(final String outside, final String inside, final String addressPrefix)
    {
        root("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
        root("sysctl", "-q", "-w", "net.ipv6.conf." + outside + ".disable_ipv6=1");
        root("ip", "link", "set", outside, "up");
        adopt(inside, addressPrefix);
        if (onPath("ethtool"))
        {
            run("ethtool", "-K", inside, "tx", "off");
        }
    }

    /**
     * Run {@code command} in this namespace and demand exit code 0.
     *
     * @return what it printed, standard error after standard output.
     */
    String run(final String... command)
    {
        final Result result = attempt(command);
        assertEquals(0, result.exitCode, () -> String.join(" ", command) + " failed: " + result.output);
        return result.output;
    }

    /**
     * Run {@code command} in this namespace, killed after {@value #COMMAND_TIMEOUT_SECONDS} seconds.
     */
    Result attempt(final String... command)
    {
        final List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", name));
        inside.addAll(List.of(command));
        return execute(inside);
    }

    public void close()
    {
        execute(List.of("ip", "netns", "del", name));
    }

    /**
     * Run {@code command} in the root namespace and demand exit code 0.
     */
    static void root(final String... command)
    {
        final Result result = execute(List.of(command));
        assertEquals(0, result.exitCode, () -> String.join(" ", command) + " failed: " + result.output);
    }

    private static boolean onPath(final String command)
    {
        return execute(List.of("sh", "-c", "command -v " + command)).exitCode == 0;
    }

    private static String output(final String... command)
    {
        return execute(List.of(command)).output;
    }

    private static Result execute(final List<String> command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try
            {
                process.getOutputStream().close();
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                {
                    return new Result(-1, String.join(" ", command) + ": no exit within " + COMMAND_TIMEOUT_SECONDS +
                        " s");
                }
                return new Result(process.exitValue(),
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            finally
            {
                process.destroyForcibly();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * A command's exit code and what it printed.
     */
    record Result(int exitCode, String output)
    {
    }
}
