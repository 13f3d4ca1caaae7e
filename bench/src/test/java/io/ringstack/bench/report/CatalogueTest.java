package io.ringstack.bench.report;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Keeps the catalogue true to the suite: every entry names a benchmark that exists, every comparison has a peer in
 * the same unit, and every chart has one unit.
 */
class CatalogueTest
{
    @Test
    void everyEntryIsABenchmarkOfTheSuite() throws CommandLineOptionException
    {
        final Set<BenchmarkId> suite = SuiteRun.select(new CommandLineOptions());

        for (final CatalogueEntry entry : Catalogue.ENTRIES)
        {
            assertTrue(suite.contains(entry.id()), entry.id().describe() + " is not a benchmark of the suite");
        }
    }

    @Test
    void everyEntryIsThereOnce()
    {
        final Set<BenchmarkId> seen = new HashSet<>();

        Catalogue.ENTRIES.forEach((entry) -> assertTrue(seen.add(entry.id()), entry.id().describe()));
    }

    @Test
    void everyPeerIsAnEntryInTheSameUnitAndReadByARatio()
    {
        for (final CatalogueEntry entry : Catalogue.ENTRIES)
        {
            if (null != entry.peer())
            {
                assertTrue(Catalogue.ENTRIES.contains(entry.peer()), entry.id().describe());
                assertEquals(entry.unit(), entry.peer().unit(), entry.id().describe());
                assertNotNull(entry.ratio(), entry.id().describe());
            }
        }
    }

    @Test
    void everyRatioTargetHasAPeer()
    {
        for (final CatalogueEntry entry : Catalogue.ENTRIES)
        {
            if (null != entry.target() && Target.Measure.RATIO == entry.target().measure())
            {
                assertNotNull(entry.peer(), entry.id().describe());
            }
        }
    }

    @Test
    void theChartOfAnAreaHasOneUnit()
    {
        final Map<Area, FigureUnit> units = new TreeMap<>();
        for (final CatalogueEntry entry : Catalogue.ENTRIES)
        {
            if (entry.frameSize() > 0)
            {
                assertEquals(entry.unit(), units.computeIfAbsent(entry.area(), (area) -> entry.unit()),
                    entry.id().describe());
            }
        }
    }
}
