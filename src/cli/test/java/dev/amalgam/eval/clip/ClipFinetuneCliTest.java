package dev.amalgam.eval.clip;

import ai.djl.ndarray.NDManager;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.testutil.CliRunner;
import dev.amalgam.train.clip.VisionFineTuner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code amalgam finetune} on a tiny CLIP: the vision tower is trained against the zero-shot head of
 * the checkpoint's own text tower; the text tower and logit_scale come out bit-identical; accuracy on
 * the training folder rises, measured by {@link TinyClipTasks.Reference} (plain-Java preprocessing,
 * the head in doubles, independent of the code under test); the output is accepted by
 * {@code amalgam eval}; every refusal is one line with exit 2.
 */
class ClipFinetuneCliTest {
    @TempDir
    static Path tmp;
    static Path pre;
    static Path catalog;
    static Path task;
    static TinyClipTasks.Split train;

    @BeforeAll
    static void build() {
        pre = TinyClipTasks.clip(tmp.resolve("pre"), 1);
        Path other = TinyClipTasks.clip(tmp.resolve("other"), 2);
        catalog = TinyClipTasks.catalog(tmp.resolve("catalog"), TinyClipTasks.TEMPLATES.get("eurosat"));
        // Labels are what another vision tower predicts with pre's heads: pre itself gets few right.
        try (TinyClipTasks.Reference labeller = new TinyClipTasks.Reference(other, pre)) {
            train = TinyClipTasks.writeSplit(tmp.resolve("data"), "mnist", "train", 48, 1000, 31, labeller);
            TinyClipTasks.writeSplit(tmp.resolve("data"), "mnist", "val", 12, 1000, 32, labeller);
            TinyClipTasks.writeSplit(tmp.resolve("data"), "mnist", "test", 12, 1000, 33, labeller);
        }
        task = tmp.resolve("data").resolve("mnist");
    }

    private static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("finetune", "--model", pre.toString(), "--task", task.toString(),
                "--suites-dir", catalog.toString(), "--out", out.toString(), "--lr", "3e-3", "--weight-decay", "0",
                "--batch-size", "8", "--epochs", "8", "--patience", "0"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void trainsTheVisionTowerOnlyAndRaisesTrainingAccuracy() throws IOException {
        Path out = tmp.resolve("ft");
        CliRunner.Result r = CliRunner.run(args(out).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("best val accuracy"), r.out());
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertEquals(Files.readString(pre.resolve("config.json")), Files.readString(out.resolve("config.json")));
        try (NDManager m = NDManager.newBaseManager();
             ClipModel base = (ClipModel) ModelRegistry.fromCheckpoint(pre, m);
             ClipModel tuned = (ClipModel) ModelRegistry.fromCheckpoint(out, m)) {
            assertEquals(base.parameterNames(), tuned.parameterNames());
            int changed = 0;
            for (String n : base.parameterNames()) {
                boolean same = Arrays.equals(base.parameter(n).toFloatArray(), tuned.parameter(n).toFloatArray());
                if (VisionFineTuner.isVision(n)) {
                    changed += same ? 0 : 1;
                } else {
                    assertTrue(same, n + " must be bit-identical to the input's");
                }
            }
            assertTrue(changed > 0, "the vision tower should have changed");
        }
        double before = accuracy(pre);
        double after = accuracy(out);
        // Measured: 0.27 -> 0.88 (48 images, 3 classes, 48 updates).
        assertTrue(after > before + 0.2, "training accuracy " + before + " -> " + after);

        CliRunner.Result e = CliRunner.run("eval", out.toString(), "--suite", "mini", "--suites-dir",
                catalog.toString(), "--data-root", tmp.resolve("data").toString(), "--tasks", "mnist",
                "--heads-from", pre.toString(), "--corruptions", "none", "--head-cache", tmp.resolve("heads").toString(),
                "--out", tmp.resolve("eval").toString());
        assertEquals(0, e.exitCode(), e.err());
    }

    /** Share of the training folder that {@code vision}'s image tower + pre's text heads classify right. */
    private static double accuracy(Path vision) {
        try (TinyClipTasks.Reference ref = new TinyClipTasks.Reference(vision, pre)) {
            double[][] p = ref.predictAll("mnist", train.images());
            int right = 0;
            for (int i = 0; i < p.length; i++) {
                right += (int) p[i][0] == train.labels()[i] ? 1 : 0;
            }
            return (double) right / p.length;
        }
    }

    @Test
    void refusesWhatDoesNotApplyInOneLine() throws IOException {
        assertOneLine(CliRunner.run(args(tmp.resolve("r1"), "--pooling", "mean").toArray(String[]::new)),
                "--pooling", "does not apply to a CLIP model");
        assertOneLine(CliRunner.run(args(tmp.resolve("r2"), "--max-length", "9").toArray(String[]::new)), "--max-length");
        assertOneLine(CliRunner.run(args(tmp.resolve("r3"), "--head-lr-multiplier", "2").toArray(String[]::new)),
                "--head-lr-multiplier");
        assertOneLine(CliRunner.run(args(tmp.resolve("r4"), "--task-name", "nope").toArray(String[]::new)), "nope");
        assertOneLine(CliRunner.run(args(tmp.resolve("r5"), "--task-name", "eurosat").toArray(String[]::new)),
                "3 class folders", "4 classes");
        List<String> big = args(tmp.resolve("r6"));
        big.set(big.indexOf("--batch-size") + 1, "64");
        assertOneLine(CliRunner.run(big.toArray(String[]::new)), "batch size 64", "48");
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        assertOneLine(CliRunner.run(args(full).toArray(String[]::new)), "not empty");
        Path noTrain = Files.createDirectories(tmp.resolve("empty-task").resolve("mnist"));
        List<String> a = args(tmp.resolve("r7"));
        a.set(a.indexOf(task.toString()), noTrain.toString());
        assertOneLine(CliRunner.run(a.toArray(String[]::new)), "train");

        Path bert = Files.createDirectories(tmp.resolve("bert"));
        Files.writeString(bert.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertOneLine(CliRunner.run("finetune", "--model", bert.toString(), "--task", task.toString(), "--out",
                tmp.resolve("r8").toString(), "--task-name", "mnist"), "--task-name", "does not apply to a bert model");
        Path gpt = Files.createDirectories(tmp.resolve("gpt"));
        Files.writeString(gpt.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertOneLine(CliRunner.run("finetune", "--model", gpt.toString(), "--task", task.toString(), "--out",
                tmp.resolve("r9").toString()), gpt.resolve("config.json").toString(), "model_type 'gpt2'", "clip");
        assertFalse(Files.exists(tmp.resolve("r1").resolve("model.safetensors")));
    }

    private static void assertOneLine(CliRunner.Result r, String... parts) {
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), err);
        for (String p : parts) {
            assertTrue(err.contains(p), "missing '" + p + "' in: " + err);
        }
    }
}
