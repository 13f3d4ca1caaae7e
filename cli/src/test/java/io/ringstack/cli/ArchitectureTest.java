package io.ringstack.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import io.ringstack.drivers.DeviceDrop;
import io.ringstack.iface.TxResult;
import io.ringstack.phy.NetworkDevice;
import io.ringstack.wire.EthernetFrame;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layering of ARCHITECTURE.md, checked on every class of every module this one sees (all but the benchmarks):
 * imports point down only, and no two packages depend on each other. Below the transports nothing speaks errno: the
 * interface and the layers under it have result codes of their own.
 * <pre>
 *   cli                                the ringstack command
 *   journal                            Chronicle journal, replay, pcapng
 *   apps                               seed programs, services
 *   io.ringstack (Ringstack)           the embedding entry point
 *   socket                             POSIX-shaped facade
 *   engine, counters                   agent, duty cycle, context, commands, tap, timer wheel
 *   tcp   udp                          transport state machines (neither sees the other)
 *   iface                              dispatcher, ARP, IPv4, ICMP, drop reasons, counters (no errno)
 *   phy          drivers               devices, rings, links; NIC models and their drivers
 *   wire   config   errno   ring       flyweights; the settings registry; error numbers; the byte ring
 * </pre>
 */
class ArchitectureTest
{
    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.ringstack");

    @Test
    void noPackageDependsOnAPackageThatDependsOnIt()
    {
        slices().matching("io.ringstack.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void everyLayerImportsOnlyTheLayersBelowIt()
    {
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("wire").definedBy("io.ringstack.wire..")
            .layer("config").definedBy("io.ringstack.config..")
            .layer("errno").definedBy("io.ringstack.errno..")
            .layer("ring").definedBy("io.ringstack.ring..")
            .layer("phy").definedBy("io.ringstack.phy..")
            .layer("iface").definedBy("io.ringstack.iface..")
            .layer("udp").definedBy("io.ringstack.udp..")
            .layer("tcp").definedBy("io.ringstack.tcp..")
            .layer("engine").definedBy("io.ringstack.engine..", "io.ringstack.counters..")
            .layer("socket").definedBy("io.ringstack.socket..")
            .layer("embedding").definedBy("io.ringstack")
            .layer("drivers").definedBy("io.ringstack.drivers..")
            .layer("apps").definedBy("io.ringstack.seed..", "io.ringstack.services..")
            .layer("journal").definedBy("io.ringstack.journal..")
            .layer("cli").definedBy("io.ringstack.cli..")
            .whereLayer("wire").mayNotAccessAnyLayer()
            .whereLayer("config").mayNotAccessAnyLayer()
            .whereLayer("errno").mayNotAccessAnyLayer()
            .whereLayer("ring").mayNotAccessAnyLayer()
            .whereLayer("phy").mayOnlyAccessLayers("wire")
            .whereLayer("iface").mayOnlyAccessLayers("phy", "wire", "config")
            .whereLayer("udp").mayOnlyAccessLayers("iface", "phy", "wire", "config", "errno", "ring")
            .whereLayer("tcp").mayOnlyAccessLayers("iface", "phy", "wire", "config", "errno", "ring")
            .whereLayer("engine").mayOnlyAccessLayers("tcp", "udp", "iface", "phy", "wire", "config", "errno", "ring")
            .whereLayer("socket")
            .mayOnlyAccessLayers("engine", "tcp", "udp", "iface", "phy", "wire", "config", "errno", "ring")
            .whereLayer("embedding")
            .mayOnlyAccessLayers("socket", "engine", "tcp", "udp", "iface", "phy", "wire", "config", "errno", "ring")
            .whereLayer("drivers").mayOnlyAccessLayers("phy", "wire")
            .whereLayer("apps").mayOnlyAccessLayers(
                "embedding", "socket", "engine", "tcp", "udp", "iface", "phy", "wire", "config", "errno", "ring")
            .whereLayer("journal").mayOnlyAccessLayers(
                "embedding", "socket", "engine", "tcp", "udp", "iface", "phy", "wire", "config", "errno", "ring")
            .check(CLASSES);
    }

    /**
     * The TCP layer routes to its connections and nothing calls back into it: only the IPv4 arm that hands it
     * segments, and the engine above, hold a {@code TcpEngine}.
     */
    @Test
    void noPartOfTcpCallsBackIntoTheTcpLayer()
    {
        noClasses().that().resideInAPackage("io.ringstack.tcp")
            .and().doNotHaveSimpleName("TcpEngine").and().doNotHaveSimpleName("TcpReceiver")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.ringstack.tcp.TcpEngine")
            .check(CLASSES);
    }

    @Test
    void theEngineKnowsNothingOfTheModulesBuiltOnIt()
    {
        noClasses().that().resideInAnyPackage(
            "io.ringstack.wire..", "io.ringstack.config..", "io.ringstack.errno..", "io.ringstack.ring..",
            "io.ringstack.phy..", "io.ringstack.iface..", "io.ringstack.udp..", "io.ringstack.tcp..",
            "io.ringstack.engine..", "io.ringstack.counters..", "io.ringstack.socket..")
            .should().dependOnClassesThat().resideInAnyPackage(
                "io.ringstack.drivers..", "io.ringstack.journal..", "io.ringstack.cli..", "io.ringstack.seed..",
                "io.ringstack.services..")
            .check(CLASSES);
    }

    @Test
    void theInterfaceAndTheLayersBelowItSpeakResultCodesNotErrno()
    {
        noClasses().that().resideInAnyPackage("io.ringstack.iface..", "io.ringstack.phy..", "io.ringstack.drivers..",
            "io.ringstack.wire..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ringstack.errno..")
            .because("errno is what an application is answered with; iface reports TxResult and DropReason, and " +
                "the layers that answer applications map them")
            .check(CLASSES);
    }

    /**
     * The rule above reads bytecode, where a use of an error number leaves no trace: javac copies the value of a
     * constant such as {@code Errno.ENOBUFS} into the class that names it. So the sources are read for it too.
     */
    @Test
    void noSourceOfTheInterfaceOrBelowNamesTheErrnoPackage() throws IOException, URISyntaxException
    {
        final List<String> offenders = new ArrayList<>();
        for (final Class<?> top : List.of(TxResult.class, NetworkDevice.class, DeviceDrop.class, EthernetFrame.class))
        {
            final Path sources = sourcesOf(top);
            try (Stream<Path> files = Files.walk(sources))
            {
                final List<Path> javaFiles = files.filter((file) -> file.toString().endsWith(".java")).toList();
                assertTrue(!javaFiles.isEmpty(), () -> "no sources found in " + sources);
                for (final Path file : javaFiles)
                {
                    if (Files.readString(file).contains("io.ringstack.errno"))
                    {
                        offenders.add(file.toString());
                    }
                }
            }
        }
        assertEquals(List.of(), offenders, "errno is for the layers that answer applications");
    }

    @Test
    void onlyTheJournalTouchesChronicle()
    {
        noClasses().that().resideOutsideOfPackages("io.ringstack.journal..", "io.ringstack.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("net.openhft..")
            .check(CLASSES);
    }

    /**
     * @return the source folder of {@code type}'s package, found from where its module's classes were loaded: the
     * module's {@code target/classes} or its jar in {@code target}.
     */
    private static Path sourcesOf(final Class<?> type) throws URISyntaxException
    {
        final Path loadedFrom = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        return loadedFrom.getParent().getParent().resolve("src/main/java")
            .resolve(type.getPackageName().replace('.', '/'));
    }
}
