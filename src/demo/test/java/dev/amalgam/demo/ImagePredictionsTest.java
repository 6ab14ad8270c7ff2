package dev.amalgam.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.eval.datasets.synthetic.ImageSet;
import dev.amalgam.model.clip.TinyClip;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.train.clip.ZeroShot;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.report.Outcomes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image suite's per-example outcomes against the logits themselves (argmax per image, computed here) and against
 * {@code ZeroShot.accuracy}, on more images than one batch.
 */
class ImagePredictionsTest {

    @Test
    void outcomesAreTheArgmaxOfTheLogitsAndAverageToTheAccuracy() {
        WordTokenizer tok = WordTokenizer.fromTexts(List.of("a photo of a circle square star"));
        try (NDManager m = NDManager.newBaseManager();
             ClipModel model = new TinyClip(28, 7, 16, 1, 16, 1, 2, 8, WordTokenizer.MAX_LENGTH, tok.vocabSize())
                     .initialise(3, m)) {
            Random rng = new Random(5);
            for (String name : model.parameterNames()) { // init std 0.02 gives near-uniform logits: spread them
                NDArray p = model.parameter(name);
                if (p.getShape().dimension() == 2) {
                    float[] v = new float[(int) p.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (0.3 * rng.nextGaussian());
                    }
                    try (NDArray a = m.create(v, p.getShape())) {
                        model.setParameter(name, a);
                    }
                }
            }
            ZeroShotHead head = ZeroShot.head(model, tok, List.of("circle", "square", "star"), List.of("a photo of a {}"));
            int n = 300;
            float[] px = new float[n * 3 * 28 * 28];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) rng.nextGaussian();
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 3;
            }
            ImageSet set = new ImageSet("test", 28, px, labels);
            Outcomes o = ImagePredictions.outcomes(model, head, set, "shapes/test");
            float[] logits;
            try (NDManager s = m.newSubManager()) {
                logits = ZeroShot.logits(model, set.pixels(0, n, s), ZeroShot.scaledWeights(head, s)).toFloatArray();
            }
            int right = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    best = logits[i * 3 + c] > logits[i * 3 + best] ? c : best;
                }
                assertEquals(best == labels[i] ? 1 : 0, o.hits()[i], "image " + i);
                right += o.hits()[i];
            }
            assertTrue(right > 0 && right < n, "a test that can tell right from wrong: " + right);
            assertEquals(ZeroShot.accuracy(model, head, px, labels, 28), o.mean(), 1e-12);
            assertEquals(Outcomes.fingerprint("shapes/test", labels), o.examples());
        }
    }
}
