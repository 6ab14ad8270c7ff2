package dev.amalgam.eval.clip;

import dev.amalgam.testutil.CliRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code amalgam run} with the {@code clip-tasks} suite kind on the tiny CLIP fixtures, unseen-task
 * protocol: merge mnist only, eurosat held out and scored with its pre-trained zero-shot head.
 */
class ClipRunTest {
    @TempDir
    static Path tmp;
    static TinyClipTasks.Reference ref;
    static TinyClipTasks.Split eurosat;

    @BeforeAll
    static void build() {
        Path pre = TinyClipTasks.clip(tmp.resolve("pre"), 1);
        TinyClipTasks.clip(tmp.resolve("ft-mnist"), 2);
        TinyClipTasks.clip(tmp.resolve("ft-eurosat"), 3);
        TinyClipTasks.catalog(tmp.resolve("catalog"), TinyClipTasks.TEMPLATES.get("eurosat"));
        ref = new TinyClipTasks.Reference(pre, pre);
        TinyClipTasks.writeSplit(tmp.resolve("data"), "mnist", "test", 9, 3, 21, ref);
        eurosat = TinyClipTasks.writeSplit(tmp.resolve("data"), "eurosat", "test", 8, 4, 22, ref);
    }

    @AfterAll
    static void close() {
        ref.close();
    }

    @Test
    void unseenTaskScoredWithPretrainedZeroShotHead() throws Exception {
        Path recipe = tmp.resolve("clip.yaml");
        Files.writeString(recipe, """
                name: clip
                suite: {kind: clip-tasks, pretrained: pre, data: data, catalog: catalog, suite: mini,
                        models: {mnist: ft-mnist, eurosat: ft-eurosat}, corruptions: none, batch_size: 5, head_cache: heads}
                unseen: {merge: [mnist], heldout: [eurosat]}
                methods:
                  - {method: task_arithmetic, label: TA0, params: {lambda: 0.0, weight: 1}}
                """);
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", recipe.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals("method,kind,mnist,ood:unseen:eurosat,ID avg,OOD avg", csv.get(0));
        // Data labelled so that the pre-trained model with its own heads is right on exactly 6 of 8 eurosat
        // images; λ = 0 merges back to the pre-trained weights, so the held-out column shows 6/8 for both rows.
        double expected = ref.accuracy("eurosat", eurosat.images(), eurosat.labels(), null, 0, new int[8])[0];
        assertEquals(6.0 / 8, expected, 1e-12);
        for (String row : List.of(csv.get(1), csv.get(3))) {
            assertEquals(expected, Double.parseDouble(row.split(",")[3]), 1e-6, row);
        }
        assertTrue(csv.get(2).startsWith("Individual fine-tuned,individual,") && csv.get(2).contains(",,"),
                "no single model for a held-out task: " + csv.get(2));
    }
}
