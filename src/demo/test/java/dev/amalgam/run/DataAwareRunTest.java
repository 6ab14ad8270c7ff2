package dev.amalgam.run;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.demo.DemoMethods;
import dev.amalgam.demo.DemoRunner;
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
        for (ResultTable.Row r : t.rows()) {
            for (String task : TinyTextZoo.TASKS) {
                double id = ResultTable.id(r, task);
                assertTrue(id >= 0 && id <= 1 && ResultTable.ood(r, task) >= 0, r.method() + " " + task + ": " + id);
            }
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
