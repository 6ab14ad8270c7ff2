package dev.amalgam.run;

import dev.amalgam.report.ResultTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Grid expansion and cell identity, counted by hand. */
class CellGridTest {
    private static final String SUITE = "suite: {kind: demo-text, zoo: models/zoo}\n";

    static List<Cell> cells(String yaml) {
        return CellGrid.expand(RunRecipeParser.parse("name: g\n" + SUITE + yaml, Path.of("/tmp/g.yaml")));
    }

    @Test
    void cartesianGridTimesLwptvVariantsWithThresholdSweep() {
        List<Cell> c = cells("""
                methods:
                  - {method: ties, params: {scope: global}, sweep: {lambda: [0.3, 0.5], density: [0.1, 0.2, 0.4]},
                     lwptv: [null, {score: energy, threshold: [0.3, 0.5]}]}
                  - emr
                """);
        // 2 baselines + 2 λ × 3 densities × (no LwPTV + 2 thresholds) + EMR
        assertEquals(2 + 2 * 3 * 3 + 1, c.size());
        assertEquals(ResultTable.Kind.PRETRAINED, c.get(0).kind());
        assertEquals(ResultTable.Kind.INDIVIDUAL, c.get(1).kind());
        Cell first = c.get(2);
        assertEquals(Map.of("scope", "global", "lambda", 0.3, "density", 0.1), first.params());
        assertEquals(Map.of("lambda", 0.3, "density", 0.1), first.swept());
        assertEquals("ties (scope=global, λ=0.3, density=0.1)", first.label());
        assertEquals("ties (scope=global, λ=0.3, density=0.1) + LwPTV (score=energy, threshold=0.5)", c.get(4).label());
        assertEquals(Map.of("score", "energy", "threshold", 0.5), c.get(4).lwptv());
        assertEquals(c.size(), c.stream().map(Cell::id).distinct().count(), "ids are unique");
        assertEquals("emr", c.get(c.size() - 1).label());
    }

    @Test
    void idsAreStableAndIgnoreKeyOrderNumberSpellingAndLabels() {
        Cell a = cells("methods:\n  - {method: ties, params: {density: 0.2, lambda: 1, weight: 1}}\n").get(2);
        Cell b = cells("methods:\n  - {label: TIES, params: {weight: 1.0, lambda: 1.0, density: 0.20}, method: ties}\n").get(2);
        assertEquals(a.id(), b.id());
        assertEquals(a.id(), cells("methods:\n  - {method: ties, params: {density: 0.2, lambda: 1, weight: 1}}\n").get(2).id());
        assertEquals("TIES", b.label());
        assertNotEquals(a.id(), cells("methods:\n  - {method: ties, params: {density: 0.3, lambda: 1, weight: 1}}\n").get(2).id());
        assertNotEquals(a.id(), cells("methods:\n  - {method: ties, params: {density: 0.2, lambda: 1, weight: 1}, lwptv: {}}\n").get(2).id());
        // what the cells are evaluated on is part of their identity
        Cell other = CellGrid.expand(RunRecipeParser.parse("name: g\n" + SUITE + "tasks: [spam]\n"
                + "methods:\n  - {method: ties, params: {density: 0.2, lambda: 1, weight: 1}}\n", Path.of("/tmp/g.yaml"))).get(2);
        assertNotEquals(a.id(), other.id());
        assertEquals(16, a.id().length());
    }

    @Test
    void wudiSweepsItsStepsWithAndWithoutLwptv() {
        List<Cell> c = cells("methods:\n  - {method: wudi, sweep: {iter_num: [100, 400]}, lwptv: [null, {}]}\n");
        assertEquals(2 + 2 * 2, c.size());
        assertEquals(Map.of("iter_num", 100), c.get(2).params());
        assertEquals("WUDI iter_num=400 lr=1.0E-5 exclude_keys=none", dev.amalgam.merge.job.MergeMethods.create(
                new dev.amalgam.merge.MethodParams(c.get(4).method(), c.get(4).params())).describe());
    }

    @Test
    void duplicateCellsCollapse() {
        assertEquals(2 + 1, cells("methods:\n  - emr\n  - {method: emr}\n").size());
    }
}
