package dev.amalgam.run;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.api.Merge;
import dev.amalgam.demo.DemoMethods;
import dev.amalgam.demo.DemoRunner;
import dev.amalgam.eval.api.Evaluation;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.run.TextTaskSuite;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.recipe.RecipeParser;
import dev.amalgam.report.ResultTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data-aware merges inside runs (the suite hands over its data) and from a merge recipe's data: key. */
class DataAwareRunTest {
    @TempDir
    Path root;

    @Test
    @Tag("slow") // every data-aware method, with and without LwPTV
    void demoRowsOfEveryDataAwareMethodWithAndWithoutLwptv() throws IOException {
        TinyTextZoo.write(root);
        Map<String, Path> models = new LinkedHashMap<>();
        TinyTextZoo.TASKS.forEach(t -> models.put(t, root.resolve("models").resolve(t)));
        List<DemoMethods.Method> methods = DemoMethods.all().stream()
                .filter(m -> List.of("regmean", "regmean_plusplus", "fisher_merging", "adamerging").contains(m.name()))
                .map(m -> m.name().equals("adamerging") ? withSteps(m) : m).toList();
        assertEquals(5, methods.size());
        ResultTable t;
        try (TextTaskSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"), models, 64, 200)) {
            t = DemoRunner.run(suite, new DemoRunner.Options(root.resolve("demo"), methods, Map.of("", Map.of())));
        }
        assertEquals(2 + 2 * 5, t.rows().size());
        try (TextTaskSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"), models, 64, 200)) {
            for (String task : TinyTextZoo.TASKS) {
                try (dev.amalgam.io.Checkpoint own = dev.amalgam.io.Checkpoints.open(models.get(task))) {
                    TinyTextZoo.assertScores(suite, own, t.rows().get(1), task);
                }
            }
        }
        try (Evaluation apart = textSuite()) {
            for (int i = 0; i < methods.size(); i++) {
                DemoMethods.Method m = methods.get(i);
                assertRowIsTheMergeDoneApart(t.rows().get(2 + 2 * i), m, null, apart);
                assertRowIsTheMergeDoneApart(t.rows().get(3 + 2 * i), m, Map.of(), apart);
            }
        }
    }

    @Test
    @Tag("slow") // a demo run and a merge apart, ~11 s on 2 shared cores
    void theRegMeanRowIsTheSameRecipeMergedAndEvaluatedApart() throws IOException {
        TinyTextZoo.write(root);
        Map<String, Path> models = new LinkedHashMap<>();
        TinyTextZoo.TASKS.forEach(t -> models.put(t, root.resolve("models").resolve(t)));
        DemoMethods.Method regmean = DemoMethods.all().stream().filter(m -> m.name().equals("regmean")).findFirst()
                .orElseThrow();
        ResultTable t;
        try (TextTaskSuite suite = new TextTaskSuite(root.resolve("pretrained"), root.resolve("data"), models, 64, 200)) {
            t = DemoRunner.run(suite, new DemoRunner.Options(root.resolve("demo"), List.of(regmean), Map.of()));
        }
        assertEquals(3, t.rows().size());
        try (Evaluation apart = textSuite()) {
            assertRowIsTheMergeDoneApart(t.rows().get(2), regmean, null, apart);
        }
    }

    /** The tiny zoo's text suite opened afresh through the library's evaluation API, as the run's suite is set up. */
    private Evaluation textSuite() {
        Map<String, Object> models = new LinkedHashMap<>();
        TinyTextZoo.TASKS.forEach(t -> models.put(t, "models/" + t));
        return Evaluation.suite("text").baseDir(root).option("pretrained", "pretrained").option("data", "data")
                .option("models", models).option("max_length", 64).option("eval_cap", 200).open();
    }

    /**
     * The row's ID and OOD accuracies equal those of the same method merged from a recipe file by the library's
     * merge API (its data: block naming the same suite; written to disk) and scored by a separately opened suite.
     */
    private void assertRowIsTheMergeDoneApart(ResultTable.Row row, DemoMethods.Method m, Map<String, Object> lwptv,
                                              Evaluation apart) throws IOException {
        assertEquals(m.label() + (lwptv == null ? "" : " + LwPTV"), row.method());
        String name = row.method().replace("+", "p").replaceAll("[^A-Za-z0-9]+", "-");
        StringBuilder yaml = new StringBuilder("merge_method: " + m.name() + "\nbase_model: pretrained\nmodels:\n");
        TinyTextZoo.TASKS.forEach(t -> yaml.append("  - {model: models/").append(t).append(", name: ").append(t).append("}\n"));
        yaml.append("parameters: {");
        m.params().forEach((k, v) -> yaml.append(k).append(": ").append(v).append(", "));
        yaml.setLength(yaml.length() - (m.params().isEmpty() ? 0 : 2));
        yaml.append("}\n").append(lwptv == null ? "" : "lwptv: {}\n").append("data:\n")
                .append((TinyTextZoo.suiteYaml() + "max_length: 64\n").replace("suite:\n", "  suite:\n").replace("\n  ", "\n    ")
                        .replace("\nmax_length", "\n    max_length"));
        Path recipe = Files.writeString(root.resolve(name + ".yaml"), yaml);
        Path merged = root.resolve("apart").resolve(name);
        Merge.recipe(recipe).writeTo(merged);
        EvaluationSuite.Scores want = apart.evaluate(merged);
        for (String task : TinyTextZoo.TASKS) {
            assertEquals(want.id().get(task), ResultTable.id(row, task), row.method() + " " + task + " ID");
            assertEquals(want.ood().get(task), ResultTable.ood(row, task), row.method() + " " + task + " OOD");
        }
    }

    private static DemoMethods.Method withSteps(DemoMethods.Method m) {
        Map<String, Object> p = new LinkedHashMap<>(m.params());
        p.put("steps", 3);
        return new DemoMethods.Method(m.label(), m.name(), p);
    }

    @Test
    void aMergeRecipeNamesItsDataBySuite() throws IOException {
        TinyTextZoo.write(root);
        Path recipe = root.resolve("regmean.yaml");
        Files.writeString(recipe, """
                merge_method: regmean
                base_model: pretrained
                models:
                  - {model: models/alpha, name: alpha}
                  - {model: models/beta, name: beta}
                parameters: {alpha: 0.9, examples: 20, batch_size: 8}
                data:
                """ + TinyTextZoo.suiteYaml().replace("suite:\n", "  suite:\n").replace("\n  ", "\n    "));
        MergeRecipe r = RecipeParser.parse(recipe);
        MergeJob.Result res = MergeJob.run(r, new MergeJob.Options(root.resolve("out"), null, 5L << 30, Device.cpu(), false,
                StreamingExecutor.Progress.NONE));
        assertTrue(res.method().describe().startsWith("regmean(alpha=0.9, examples=20, batch_size=8, split=train"),
                res.method().describe());
        try (Checkpoint c = Checkpoints.open(root.resolve("out"))) {
            assertTrue(c.contains("encoder.layer.0.attention.self.query.weight"));
        }
    }

    @Test
    void aRecipeDataKeyAmalgamDoesNotKnowIsRefusedWithOneLine() throws IOException {
        Path recipe = root.resolve("bad.yaml");
        Files.createDirectories(root.resolve("b"));
        Files.createDirectories(root.resolve("m"));
        Files.writeString(recipe, "merge_method: regmean\nbase_model: b\nmodels: [m]\ndata: {folder: x}\n");
        AmalgamException e = assertThrows(AmalgamException.class, () -> RecipeParser.parse(recipe));
        assertTrue(e.getMessage().contains("unknown key 'data.folder'") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aSuiteWithoutDataRefusesTheDataAwareCell() {
        AmalgamException e = assertThrows(AmalgamException.class, () -> dev.amalgam.merge.data.SuiteData.methodFor(
                new MergeRecipe("r", "fisher_merging", root, List.of(), Map.of(), null, "base", null, 0L, null), new Object(), "lm"));
        assertEquals("fisher_merging: the lm suite provides no task data for data-aware merges (suites that do: demo-image, "
                + "demo-text, text, clip-tasks)", e.getMessage());
    }
}
