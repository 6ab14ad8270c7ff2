package dev.amalgam.run;

import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.run.TextTaskSuite;
import dev.amalgam.report.DifferenceTable;
import dev.amalgam.report.NormalizedAccuracy;
import dev.amalgam.report.Outcomes;
import dev.amalgam.report.OutcomesFile;
import dev.amalgam.report.PairedBootstrap;
import dev.amalgam.report.ResultTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code amalgam run} keeps per-example outcomes and prints the comparison tables: every outcome agrees with the
 * accuracy it stands behind and with an independent evaluation of the same weights, cells over the same examples pair,
 * and the difference tables' numbers follow from the results and the stored outcomes.
 */
class RunStatisticsTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void zoo() throws IOException {
        TinyTextZoo.write(root);
    }

    @Test
    void outcomesBackEveryAccuracyAndTheTablesFollowFromThem() throws IOException {
        Path f = root.resolve("stats.yaml");
        Files.writeString(f, "name: stats\n" + TinyTextZoo.suiteYaml() + """
                unseen: {merge: [alpha, beta], heldout: [gamma]}
                methods:
                  - {method: task_arithmetic, params: {weight: 1, lambda: 0.4}, lwptv: [null, {score: energy}]}
                """);
        Path out = root.resolve("runs/stats");
        RunRecipe recipe = RunRecipeParser.parse(f);
        RunEngine.Summary s = RunEngine.run(RunPlan.of(recipe, out, false),
                () -> SuiteKinds.open(recipe.suite(), root, f.toString()), true);
        List<CellResult> cells = s.results();
        assertEquals(4, cells.size()); // pre-trained, individual, TA, TA + LwPTV
        for (CellResult c : cells) {
            Map<String, Outcomes> o = OutcomesFile.read(out.resolve("outcomes").resolve(c.cell().id() + ".bin"));
            assertEquals(c.outcomes(), o, "the cell store reads back what was written");
            c.id().forEach((t, acc) -> assertEquals(acc, o.get(t).mean(), 1e-12, c.label() + " " + t));
            c.ood().forEach((col, acc) -> assertEquals(acc, o.get("ood:" + col).mean(), 1e-12, c.label() + " ood " + col));
            c.unseen().forEach((h, acc) -> assertEquals(acc, o.get("ood:unseen:" + h).mean(), 1e-12, c.label() + " " + h));
            o.forEach((k, v) -> assertEquals(c.examples().get(k), v.size(), k));
        }
        // the same examples behind every cell's column: all pair with the pre-trained cell's
        Map<String, Outcomes> pre = cells.get(0).outcomes();
        for (CellResult c : cells) {
            c.outcomes().forEach((k, v) -> assertTrue(v.pairsWith(pre.get(k)), c.label() + " " + k));
        }
        // an independent evaluation of the individual fine-tunes gives the same per-example outcomes
        try (EvaluationSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"),
                Map.of("alpha", root.resolve("models/alpha"), "beta", root.resolve("models/beta"),
                        "gamma", root.resolve("models/gamma")), 64, 200)) {
            for (String t : List.of("alpha", "beta")) {
                try (var w = dev.amalgam.io.Checkpoints.open(root.resolve("models/" + t))) {
                    suite.setWeights(w);
                }
                EvaluationSuite.Scores sc = suite.evaluate(t);
                assertEquals(sc.outcomes().get(t), cells.get(1).outcomes().get(t));
                assertEquals(sc.outcomes().get("ood:" + t), cells.get(1).outcomes().get("ood:" + t));
            }
        }
        ResultTable table = s.report().results();
        Table effect = table(s, ComparisonTables.LWPTV_EFFECT);
        assertEquals(1, effect.rowCount());
        ResultTable.Row without = table.rows().get(2);
        ResultTable.Row with = table.rows().get(3);
        assertEquals(with.method(), effect.stringColumn(0).get(0));
        assertEquals(without.method(), effect.stringColumn(1).get(0));
        assertEquals(table.idAverage(with) - table.idAverage(without), effect.doubleColumn("ID Δ").get(0), 1e-12);
        List<PairedBootstrap.Pair> ood = new ArrayList<>();
        for (String k : List.of("ood:alpha", "ood:beta", "ood:unseen:gamma")) {
            ood.add(new PairedBootstrap.Pair(cells.get(3).outcomes().get(k), cells.get(2).outcomes().get(k)));
        }
        PairedBootstrap.Interval expected = PairedBootstrap.of(ood);
        assertEquals(table.oodAverage(with) - table.oodAverage(without), expected.difference(), 1e-12);
        assertEquals(expected.low(), effect.doubleColumn("OOD low").get(0));
        assertEquals(expected.high(), effect.doubleColumn("OOD high").get(0));
        assertTrue(effect.doubleColumn("OOD low").get(0) <= expected.difference()
                && expected.difference() <= effect.doubleColumn("OOD high").get(0));
        assertEquals(expected.significant() ? DifferenceTable.YES : DifferenceTable.NO, effect.stringColumn("OOD sig.").get(0));
        Table vsPre = table(s, ComparisonTables.VS_PRETRAINED);
        assertEquals(2, vsPre.rowCount());
        assertEquals(table.idAverage(without) - table.idAverage(table.rows().get(0)), vsPre.doubleColumn("ID Δ").get(0), 1e-12);
        Table norm = table(s, NormalizedAccuracy.NAME);
        assertEquals(ResultTable.id(with, "alpha") / ResultTable.id(table.rows().get(1), "alpha"),
                norm.doubleColumn("alpha").get(2), 1e-12);
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("## lwptv-effect\n\n" + DifferenceTable.NOTE), md);
        assertTrue(Files.readString(out.resolve("report.html")).contains("<h2>merge-vs-pretrained</h2>"));
        assertTrue(Files.readAllLines(out.resolve("lwptv-effect.csv")).get(0)
                .startsWith("with LwPTV (A),without LwPTV (B),ID Δ,ID low,ID high,ID sig.,OOD Δ,"));
        // resumed from the store: the same tables
        RunEngine.Summary again = RunEngine.run(RunPlan.of(recipe, out, false),
                () -> SuiteKinds.open(recipe.suite(), root, f.toString()), true);
        assertEquals(0, again.computed());
        assertEquals(effect.toString(), table(again, ComparisonTables.LWPTV_EFFECT).toString());
    }

    private static Table table(RunEngine.Summary s, String name) {
        return s.report().tables().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }
}
