package dev.amalgam.report;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Normalized accuracy and difference tables against hand-worked numbers. */
class ComparisonTablesTest {

    @Test
    void normalizedAccuracyIsMergedOverIndividualPerTaskThenAveraged() {
        ResultTable t = new ResultTable(List.of("a", "b"), List.of("a/shift"));
        t.add("Pre-trained", ResultTable.Kind.PRETRAINED, Map.of("a", 0.4, "b", 0.3), Map.of("a/shift", 0.2));
        t.add("Individual", ResultTable.Kind.INDIVIDUAL, Map.of("a", 0.8, "b", 0.6), Map.of("a/shift", 0.5));
        t.add("TA", ResultTable.Kind.MERGED, Map.of("a", 0.6, "b", 0.6), Map.of("a/shift", 0.45));
        Table n = NormalizedAccuracy.of(t);
        assertEquals(List.of("method", "kind", "a", "b", "ID avg", "OOD avg"), n.columnNames());
        assertEquals(2, n.rowCount());
        assertEquals("TA", n.stringColumn("method").get(1));
        assertEquals(0.75, n.doubleColumn("a").get(1), 1e-12);
        assertEquals(1.0, n.doubleColumn("b").get(1), 1e-12);
        assertEquals(0.875, n.doubleColumn("ID avg").get(1), 1e-12); // (0.75 + 1) / 2, not 1.2 / 1.4
        assertEquals(0.9, n.doubleColumn("OOD avg").get(1), 1e-12);
        assertEquals(0.5, n.doubleColumn("a").get(0), 1e-12);
        ResultTable noIndividual = new ResultTable(List.of("a"), List.of());
        noIndividual.add("TA", ResultTable.Kind.MERGED, Map.of("a", 0.6), Map.of());
        assertEquals(0, NormalizedAccuracy.of(noIndividual).rowCount());
    }

    @Test
    void differencesAverageSharedColumnsAndNeedOutcomesForAnInterval() {
        Outcomes a1 = new Outcomes("x", 1, new int[] {1, 1, 1, 1});
        Outcomes b1 = new Outcomes("x", 1, new int[] {0, 0, 0, 0});
        DifferenceTable.Side a = new DifferenceTable.Side("A", Map.of("t", 1.0, "u", 0.5, "ood:t/s", 0.25),
                Map.of("t", a1));
        DifferenceTable.Side b = new DifferenceTable.Side("B", Map.of("t", 0.0, "u", Double.NaN, "ood:t/s", 0.75),
                Map.of("t", b1));
        // u is measured by A only: the ID difference is over t alone, and t is paired
        PairedBootstrap.Interval id = DifferenceTable.compare(a, b, List.of("t", "u"));
        assertEquals(new PairedBootstrap.Interval(1, 1, 1, 1), id);
        // the OOD column has no outcomes: the difference without an interval
        PairedBootstrap.Interval ood = DifferenceTable.compare(a, b, List.of("ood:t/s"));
        assertEquals(-0.5, ood.difference(), 1e-12);
        assertTrue(Double.isNaN(ood.low()));
        Table t = DifferenceTable.of("d", "A", "B", List.of(new DifferenceTable.Comparison(a, b)), List.of("t", "u"),
                List.of("ood:t/s"));
        assertEquals(List.of("A", "B", "ID Δ", "ID low", "ID high", "ID sig.", "OOD Δ", "OOD low", "OOD high", "OOD sig."),
                t.columnNames());
        assertEquals(DifferenceTable.YES, t.stringColumn("ID sig.").get(0));
        assertEquals(DifferenceTable.NA, t.stringColumn("OOD sig.").get(0));
    }
}
