package dev.amalgam.demo.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.eval.datasets.synthetic.FontCatalog;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.model.clip.ClipCheckpoints;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.TinyClip;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.registry.ModelRegistry;
import dev.amalgam.testutil.PackagedData;
import dev.amalgam.train.clip.ContrastivePretrainer;
import dev.amalgam.train.clip.VisionFineTuner;
import dev.amalgam.train.clip.ZeroShot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("slow") // CLIP pretraining and fine-tuning steps on real images
class ImageTrainingSmokeTest {

    @BeforeAll
    static void setup() {
        System.setProperty("java.awt.headless", "true");
        PackagedData.present(FashionManifest.dataDir().resolve("train-images-idx3-ubyte.gz"), "dataset-fashion-mnist");
        PackagedData.present(FontCatalog.TRAIN.get(7).path(), "Debian fonts");
    }

    private static TinyClip small(WordTokenizer tok) {
        return new TinyClip(28, 7, 32, 1, 32, 1, 2, 16, WordTokenizer.MAX_LENGTH, tok.vocabSize());
    }

    /**
     * A few contrastive steps lower the loss on a fixed batch; a seeded run repeats (up to the float
     * reduction order of libtorch's multi-threaded kernels, so not bitwise).
     */
    @Test
    void pretrainingLowersTheContrastiveLoss() {
        TaskData data = new TaskData(5, new TaskData.Sizes(10, 10, 10, 10));
        PretrainMix mix = PretrainMix.build(data, 5, new PretrainMix.Sizes(32, 32, 32, 32));
        WordTokenizer tok = WordTokenizer.fromTexts(PretrainMix.vocabularyTexts());
        long[][] ids = new long[mix.images().count()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tok.encode(mix.captions().get(i));
        }
        int[] probe = new int[32];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = i * 4;
        }
        ContrastivePretrainer.Settings s = new ContrastivePretrainer.Settings(12, 16, 3e-3f, 0.0f, 0.1, 1);
        float[] first;
        try (NDManager m = NDManager.newBaseManager(); ClipModel model = small(tok).initialise(1, m)) {
            float before = probeLoss(model, mix, ids, probe, m);
            first = ContrastivePretrainer.train(model, mix, tok, s, null);
            float after = probeLoss(model, mix, ids, probe, m);
            assertTrue(after < before - 0.05, "probe loss " + before + " -> " + after);
        }
        try (NDManager m = NDManager.newBaseManager(); ClipModel model = small(tok).initialise(1, m)) {
            float[] again = ContrastivePretrainer.train(model, mix, tok, s, null);
            for (int i = 0; i < first.length; i++) {
                assertEquals(first[i], again[i], 1e-3 * Math.abs(first[i]), "seeded run repeats, step " + i);
            }
        }
    }

    /**
     * Fine-tuning changes the vision tower only, lowers the task loss (full-batch steps, so every
     * step's loss is over the same 32 images), and the saved checkpoint reloads exactly.
     */
    @Test
    void fineTuningTouchesOnlyTheVisionTowerAndSavesHfLayout(@TempDir Path dir) {
        WordTokenizer tok = WordTokenizer.fromTexts(PretrainMix.vocabularyTexts());
        GrayImages train = TaskData.shapes(false, 32, new Random(2));
        try (NDManager m = NDManager.newBaseManager(); ClipModel model = small(tok).initialise(2, m)) {
            ZeroShotHead head = ZeroShot.head(model, tok, ImageTask.SHAPES.classNames(),
                    ImageTask.SHAPES.templates());
            Map<String, float[]> before = new HashMap<>();
            for (String n : model.parameterNames()) {
                before.put(n, model.parameter(n).toFloatArray());
            }
            float[] losses = VisionFineTuner.train(model, head, train, new VisionFineTuner.Settings(10, 32, 3e-3f, 0.1f, 0.1, 3));
            assertTrue(losses[losses.length - 1] < losses[0], "loss " + losses[0] + " -> " + losses[losses.length - 1]);
            for (String n : model.parameterNames()) {
                boolean same = java.util.Arrays.equals(before.get(n), model.parameter(n).toFloatArray());
                if (VisionFineTuner.isVision(n)) {
                    assertFalse(same, n + " should have been trained");
                } else {
                    assertTrue(same, n + " must stay frozen");
                }
            }
            Path out = dir.resolve("ft");
            ClipCheckpoints.save(model, small(tok).configJson(), tok, out, Map.of());
            assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
            assertTrue(Files.isRegularFile(out.resolve("tokenizer.json")));
            try (ClipModel back = (ClipModel) ModelRegistry.fromCheckpoint(out, m)) {
                assertEquals(model.parameterNames(), back.parameterNames());
                for (String n : model.parameterNames()) {
                    assertArrayEquals(model.parameter(n).toFloatArray(), back.parameter(n).toFloatArray(), n);
                }
            }
        }
    }

    private static float probeLoss(ClipModel model, PretrainMix mix, long[][] ids, int[] probe, NDManager m) {
        try (NDManager s = m.newSubManager()) {
            NDArray l = ContrastivePretrainer.loss(model, mix, ids, probe, s);
            return l.getFloat();
        }
    }
}
