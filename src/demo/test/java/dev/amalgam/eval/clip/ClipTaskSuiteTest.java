package dev.amalgam.eval.clip;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.ImageFolderReader;
import dev.amalgam.eval.datasets.Splits;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ClipTaskSuite against an independent computation (see {@link TinyClipTasks}): the data are labelled
 * so that the reference classifier is right on exactly 3 of every 4 test images (16 per task), and every column
 * (ID, two corruptions, the natural shift) must equal the reference's accuracy on the same images.
 */
class ClipTaskSuiteTest {
    static final int SEVERITY = 2;
    static final List<String> CORRUPTIONS = List.of("contrast", "gaussian_noise");

    @TempDir
    static Path tmp;
    static Path pre;
    static Path ft;
    static Path root;
    static Path catalog;
    static TinyClipTasks.Reference refPre;
    static TinyClipTasks.Reference refFt;
    static Map<String, TinyClipTasks.Split> testSplits = new java.util.HashMap<>();
    static TinyClipTasks.Split eurosatOod;

    @BeforeAll
    static void build() {
        pre = TinyClipTasks.clip(tmp.resolve("pre"), 1);
        ft = TinyClipTasks.clip(tmp.resolve("ft"), 2);
        catalog = TinyClipTasks.catalog(tmp.resolve("catalog"), TinyClipTasks.TEMPLATES.get("eurosat"));
        refPre = new TinyClipTasks.Reference(pre, pre);
        refFt = new TinyClipTasks.Reference(ft, pre);
        root = tmp.resolve("data");
        testSplits.put("mnist", TinyClipTasks.writeSplit(root, "mnist", "test", 16, 4, 11, refPre));
        testSplits.put("eurosat", TinyClipTasks.writeSplit(root, "eurosat", "test", 16, 4, 12, refPre));
        eurosatOod = TinyClipTasks.writeSplit(root, "eurosat", "ood", 12, 2, 13, refPre);
    }

    @AfterAll
    static void close() {
        refPre.close();
        refFt.close();
    }

    static ClipTaskOptions options(Path cache) {
        return new ClipTaskOptions(pre, Map.of("mnist", ft), root, "mini", null, catalog, CORRUPTIONS, SEVERITY, 0, 7,
                cache, ai.djl.Device.cpu(), 0);
    }

    /** The reference's accuracy, with an allowance of one image per near-tie. */
    static void assertAccuracy(String what, TinyClipTasks.Reference ref, String task, List<RgbImage> images, int[] labels,
                               String corruption, int[] seedIndex, double actual) {
        assertAccuracy(what, ref, task, images, labels, corruption, SEVERITY, seedIndex, actual);
    }

    static void assertAccuracy(String what, TinyClipTasks.Reference ref, String task, List<RgbImage> images, int[] labels,
                               String corruption, int severity, int[] seedIndex, double actual) {
        double[] want = ref.accuracy(task, images, labels, corruption, severity, seedIndex);
        assertEquals(want[0], actual, want[1] + 1e-12, what);
    }

    static int[] range(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    @Test
    void everyColumnMatchesTheIndependentComputation() {
        try (ClipTaskSuite suite = new ClipTaskSuite(options(tmp.resolve("cache-a")))) {
            assertEquals(List.of("mnist", "eurosat"), suite.tasks());
            assertEquals(List.of("mnist/contrast", "mnist/gaussian_noise", "eurosat/contrast", "eurosat/gaussian_noise",
                    "eurosat/ood"), suite.oodColumns());
            EvaluationSuite.Scores s = suite.pretrainedScores();
            for (String t : TinyClipTasks.TASKS) {
                TinyClipTasks.Split sp = testSplits.get(t);
                // By construction the reference is right on exactly 12 of 16.
                int[] all = range(sp.labels().length);
                assertEquals(0.75, refPre.accuracy(t, sp.images(), sp.labels(), null, 0, all)[0], 1e-12);
                assertAccuracy(t + " ID", refPre, t, sp.images(), sp.labels(), null, all, s.id().get(t));
                for (String c : CORRUPTIONS) {
                    assertAccuracy(t + "/" + c, refPre, t, sp.images(), sp.labels(), c, all, s.ood().get(t + "/" + c));
                }
            }
            assertAccuracy("eurosat/ood", refPre, "eurosat", eurosatOod.images(), eurosatOod.labels(), null,
                    range(12), s.ood().get("eurosat/ood"));
            assertEquals(0.5, s.ood().get("eurosat/ood"), 1.0 / 12 + 1e-12);
            // per-example outcomes behind every column; a corrupted copy of a test set shares its fingerprint
            for (String t : TinyClipTasks.TASKS) {
                assertEquals(s.id().get(t), s.outcomes().get(t).mean(), 1e-12, t);
                for (String c : CORRUPTIONS) {
                    dev.amalgam.report.Outcomes o = s.outcomes().get("ood:" + t + "/" + c);
                    assertEquals(s.ood().get(t + "/" + c), o.mean(), 1e-12, t + "/" + c);
                    assertTrue(o.pairsWith(s.outcomes().get(t)), t + "/" + c);
                }
            }
            dev.amalgam.report.Outcomes natural = s.outcomes().get("ood:eurosat/ood");
            assertEquals(12, natural.size());
            assertFalse(natural.examples().equals(s.outcomes().get("eurosat").examples()));
        }
    }

    @Test
    void fineTunedVisionIsScoredWithThePretrainedTextTower() {
        try (ClipTaskSuite suite = new ClipTaskSuite(options(tmp.resolve("cache-b")))) {
            try (Checkpoint c = Checkpoints.open(suite.taskModelDir("mnist"))) {
                suite.setWeights(c);
            }
            EvaluationSuite.Scores s = suite.evaluate("mnist");
            TinyClipTasks.Split sp = testSplits.get("mnist");
            int[] all = range(sp.labels().length);
            assertAccuracy("ft mnist", refFt, "mnist", sp.images(), sp.labels(), null, all, s.id().get("mnist"));
            assertAccuracy("ft mnist/contrast", refFt, "mnist", sp.images(), sp.labels(), "contrast", all,
                    s.ood().get("mnist/contrast"));
            assertEquals(List.of("mnist"), List.copyOf(s.id().keySet()));
            assertThrows(AmalgamException.class, () -> suite.taskModelDir("eurosat"));
        }
    }

    @Test
    @Tag("slow") // evaluates a CLIP suite repeatedly
    void limitTakesTheSameStratifiedSubsetOnEveryRun() {
        ClipTaskOptions o = options(tmp.resolve("cache-c")).withLimit(10, 4).withTasks(List.of("eurosat")).withCorruptions(List.of("gaussian_noise"), 5);
        double first;
        try (ClipTaskSuite suite = new ClipTaskSuite(o)) {
            first = suite.evaluateAll().id().get("eurosat");
        }
        try (ClipTaskSuite suite = new ClipTaskSuite(o)) {
            EvaluationSuite.Scores s = suite.evaluateAll();
            assertEquals(first, s.id().get("eurosat"));
            var data = ImageFolderReader.read(root.resolve("eurosat/test"), null, null, "eurosat/test");
            int[] idx = Splits.subsample(data, 10, 0).parentIndices();
            TinyClipTasks.Split sp = testSplits.get("eurosat");
            List<RgbImage> images = new ArrayList<>();
            int[] labels = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                images.add(sp.images().get(idx[i]));
                labels[i] = sp.labels()[idx[i]];
            }
            assertAccuracy("eurosat limit 10", refPre, "eurosat", images, labels, null, idx, s.id().get("eurosat"));
            // Corruption seeds follow the image's index in the full split, not in the subset.
            assertAccuracy("eurosat limit 10 noise", refPre, "eurosat", images, labels, "gaussian_noise", 5, idx,
                    s.ood().get("eurosat/gaussian_noise"));
        }
    }

    @Test
    void headsAreCachedAndAChangedTemplateRebuildsOnlyThatHead() {
        Path cache = tmp.resolve("cache-d");
        ZeroShotHead first;
        try (ClipTaskSuite suite = new ClipTaskSuite(options(cache))) {
            assertEquals(2, suite.headsBuilt());
            first = suite.head("eurosat");
            double[][] want = refPre.heads.get("eurosat");
            for (int c = 0; c < want.length; c++) {
                for (int d = 0; d < want[c].length; d++) {
                    assertEquals(want[c][d], first.classWeights()[c][d], 1e-5, "eurosat head [" + c + "][" + d + "]");
                }
            }
            assertEquals(1 / 0.07, first.scale(), 1e-3);
        }
        try (ClipTaskSuite suite = new ClipTaskSuite(options(cache))) {
            assertEquals(0, suite.headsBuilt());
            assertTrue(java.util.Arrays.deepEquals(first.classWeights(), suite.head("eurosat").classWeights()));
        }
        Path changed = TinyClipTasks.catalog(tmp.resolve("catalog-changed"),
                List.of("a satellite photo of {}", "changed template words {}"));
        try (ClipTaskSuite suite = new ClipTaskSuite(options(cache).withCatalog(changed))) {
            assertEquals(1, suite.headsBuilt());
            assertFalse(java.util.Arrays.deepEquals(first.classWeights(), suite.head("eurosat").classWeights()));
        }
    }

    @Test
    void cleanFeaturesOfThePretrainedModelAreCachedOnlyForIt() {
        Path cache = tmp.resolve("cache-f");
        ClipTaskOptions o = options(cache).withCorruptions(List.of(), SEVERITY);
        EvaluationSuite.Scores first;
        try (ClipTaskSuite suite = new ClipTaskSuite(o)) {
            first = suite.evaluateAll();
            assertEquals(0, suite.featureCacheHits());
        }
        try (ClipTaskSuite suite = new ClipTaskSuite(o)) {
            EvaluationSuite.Scores again = suite.pretrainedScores();
            assertEquals(3, suite.featureCacheHits()); // mnist, eurosat, eurosat/ood
            assertEquals(first, again);
            try (Checkpoint c = Checkpoints.open(ft)) {
                suite.setWeights(c);
            }
            EvaluationSuite.Scores tuned = suite.evaluate("mnist");
            assertEquals(3, suite.featureCacheHits());
            TinyClipTasks.Split sp = testSplits.get("mnist");
            assertAccuracy("ft mnist after cache", refFt, "mnist", sp.images(), sp.labels(), null,
                    range(sp.labels().length), tuned.id().get("mnist"));
        }
    }

    @Test
    void unseenTasksAreScoredWithTheirPretrainedZeroShotHead() {
        ClipTaskOptions o = options(tmp.resolve("cache-g")).withTasks(List.of("mnist")).withCorruptions(List.of(), 1);
        try (ClipTaskSuite suite = new ClipTaskSuite(o)) {
            assertEquals(List.of("mnist"), suite.tasks());
            try (Checkpoint c = Checkpoints.open(ft)) {
                suite.setWeights(c);
            }
            EvaluationSuite.Scores s = suite.evaluateUnseen("eurosat");
            assertEquals(Map.of(), s.ood());
            TinyClipTasks.Split sp = testSplits.get("eurosat");
            assertAccuracy("unseen eurosat", refFt, "eurosat", sp.images(), sp.labels(), null, range(sp.labels().length),
                    s.id().get("eurosat"));
            assertEquals(2, suite.headsBuilt());
            assertThrows(AmalgamException.class, () -> suite.evaluate("eurosat"));
        }
    }

    static void assertOneLineError(String mention, Runnable r) {
        AmalgamException e = assertThrows(AmalgamException.class, r::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(mention), e.getMessage());
    }

    @Test
    void badInputsFailWithOneLine() throws Exception {
        Path cache = tmp.resolve("cache-e");
        // A task of the suite without data.
        assertOneLineError("svhn", () -> new ClipTaskSuite(options(cache).withCatalog(null)
                .withTasks(List.of("svhn"))));
        // Built-in mnist has 10 classes; the folder has 3.
        assertOneLineError("3 classes but task mnist has 10", () -> new ClipTaskSuite(options(cache).withCatalog(null)
                .withTasks(List.of("mnist"))));
        // Not a CLIP checkpoint.
        Path bert = Files.createDirectories(tmp.resolve("bert"));
        Files.writeString(bert.resolve("config.json"), "{\"model_type\": \"bert\"}");
        assertOneLineError("not CLIP", () -> new ClipTaskSuite(new ClipTaskOptions(bert, Map.of(), root, "mini", null,
                catalog, List.of(), 1, 0, 4, cache, ai.djl.Device.cpu(), 0)));
        assertOneLineError("unknown corruption", () -> ClipTaskOptions.parseCorruptions("contrast,fog"));
        assertOneLineError("--severity", () -> options(cache).withCorruptions(CORRUPTIONS, 6));
    }
}
