package dev.amalgam.demo.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.eval.datasets.synthetic.GrayImages;
import dev.amalgam.eval.datasets.synthetic.Pixels;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.TinyClip;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.train.clip.VisionFineTuner;
import dev.amalgam.train.clip.ZeroShot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multi-task vision fine-tune on two small shape tasks (filled, outlined) with different frozen
 * heads. The reference is plain Java: the image features of each example on its own, normalised,
 * each task's scaled head, softmax cross-entropy in doubles.
 */
class VisionMultiTaskTest {

    private static ClipModel model(NDManager m) {
        WordTokenizer tok = WordTokenizer.fromTexts(List.of("a b c"));
        return new TinyClip(28, 7, 32, 1, 32, 1, 2, 16, WordTokenizer.MAX_LENGTH, tok.vocabSize()).initialise(4, m);
    }

    private static ZeroShotHead randomHead(long seed, int classes, int dim, float scale) {
        Random r = new Random(seed);
        float[][] w = new float[classes][dim];
        for (float[] row : w) {
            double n = 0;
            for (int d = 0; d < dim; d++) {
                row[d] = (float) r.nextGaussian();
                n += row[d] * row[d];
            }
            for (int d = 0; d < dim; d++) {
                row[d] /= (float) Math.sqrt(n);
            }
        }
        return new ZeroShotHead(w, scale);
    }

    @Test
    void lossIsEachExamplesCrossEntropyUnderItsOwnHeadAndTrainingLowersBoth() {
        System.setProperty("java.awt.headless", "true");
        List<GrayImages> sets = List.of(TaskData.shapes(false, 20, new Random(1)), TaskData.shapes(true, 12, new Random(2)));
        List<ZeroShotHead> heads = List.of(randomHead(5, 10, 16, 20f), randomHead(6, 10, 16, 20f));
        int[] offset = {0, 20, 32};
        try (NDManager m = NDManager.newBaseManager(); ClipModel model = model(m)) {
            int[] batch = {1, 4, 7, 19, 20, 25, 31}; // sorted union indices: 4 of task 0, 3 of task 1
            float got;
            try (NDManager s = m.newSubManager()) {
                List<NDArray> w = new ArrayList<>();
                heads.forEach(h -> w.add(ZeroShot.scaledWeights(h, s)));
                got = VisionFineTuner.multiTaskLoss(model, heads, sets, w, offset, batch, s).getFloat();
            }
            double want = 0;
            for (int i : batch) {
                int t = i < offset[1] ? 0 : 1;
                want += crossEntropy(model, sets.get(t), i - offset[t], heads.get(t), m);
            }
            assertEquals(want / batch.length, got, 1e-4);

            double[] before = {taskLoss(model, sets.get(0), heads.get(0), m), taskLoss(model, sets.get(1), heads.get(1), m)};
            float[] losses = VisionFineTuner.trainMultiTask(model, heads, sets,
                    new VisionFineTuner.Settings(15, 32, 3e-3f, 0.0f, 0.1, 9));
            assertEquals(15, losses.length);
            for (int t = 0; t < 2; t++) {
                double after = taskLoss(model, sets.get(t), heads.get(t), m);
                assertTrue(after < before[t] - 0.1, "task " + t + ": loss " + before[t] + " -> " + after);
            }
        }
    }

    private static double taskLoss(ClipModel model, GrayImages set, ZeroShotHead head, NDManager m) {
        double sum = 0;
        for (int i = 0; i < set.count(); i++) {
            sum += crossEntropy(model, set, i, head, m);
        }
        return sum / set.count();
    }

    /** Cross-entropy of one image under a head, from its features alone (doubles). */
    private static double crossEntropy(ClipModel model, GrayImages set, int index, ZeroShotHead head, NDManager m) {
        float[] f;
        try (NDManager s = m.newSubManager()) {
            f = model.imageFeatures(Pixels.array(Pixels.nchw(set, new int[] {index}), set.side(), s)).toFloatArray();
        }
        double norm = 0;
        for (float v : f) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        float[][] w = head.classWeights();
        double[] z = new double[w.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            for (int d = 0; d < f.length; d++) {
                z[c] += head.scale() * w[c][d] * f[d] / norm;
            }
            max = Math.max(max, z[c]);
        }
        double e = 0;
        for (double v : z) {
            e += Math.exp(v - max);
        }
        return max + Math.log(e) - z[set.labels()[index]];
    }
}
