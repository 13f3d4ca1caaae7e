package io.ringstack.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of ARCHITECTURE.md, checked on every class of every module this one sees (all but the benchmarks):
 * imports point down only, and no two packages depend on each other.
 * <pre>
 *   cli                                the ringstack command
 *   journal                            Chronicle journal, replay, pcapng
 *   apps                               seed programs, services
 *   io.ringstack (Ringstack)           the embedding entry point
 *   socket                             POSIX-shaped facade
 *   engine, counters                   agent, duty cycle, context, commands, tap, timer wheel
 *   tcp   udp                          transport state machines (neither sees the other)
 *   iface                              dispatcher, ARP, IPv4, ICMP, drop reasons, counters
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
            .whereLayer("iface").mayOnlyAccessLayers("phy", "wire", "config", "errno")
            .whereLayer("udp").mayOnlyAccessLayers("iface", "phy", "wire", "config", "errno")
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
    void onlyTheJournalTouchesChronicle()
    {
        noClasses().that().resideOutsideOfPackages("io.ringstack.journal..", "io.ringstack.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("net.openhft..")
            .check(CLASSES);
    }
}
