package dev.amalgam.demo.image;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.eval.datasets.synthetic.Pixels;
import dev.amalgam.model.Tokenizers;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.TinyClip;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.train.clip.ZeroShot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZeroShotHeadTest {
    private static final List<String> CLASSES = List.of("circle", "square", "star");
    private static final List<String> TEMPLATES = List.of("a photo of a {}", "a drawing of a {}", "a {} shape");

    private static WordTokenizer tokenizer() {
        return WordTokenizer.fromTexts(List.of("a photo of a drawing circle square star shape"));
    }

    /** A tiny random CLIP whose text embeddings differ by class (init std 0.02 is too uniform to test). */
    private static ClipModel randomClip(NDManager m, WordTokenizer tok) {
        TinyClip arch = new TinyClip(28, 7, 16, 1, 16, 1, 2, 8, WordTokenizer.MAX_LENGTH, tok.vocabSize());
        ClipModel model = arch.initialise(3, m);
        Random rng = new Random(4);
        for (String name : model.parameterNames()) {
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
        try (NDArray s = m.create(1.7f)) {
            model.setParameter("logit_scale", s);
        }
        return model;
    }

    /** Head weights and logits against a plain-double computation from per-prompt text features. */
    @Test
    void headMatchesIndependentComputation() {
        WordTokenizer tok = tokenizer();
        try (NDManager m = NDManager.newBaseManager(); ClipModel model = randomClip(m, tok)) {
            ZeroShotHead head = ZeroShot.head(model, tok, CLASSES, TEMPLATES);
            double scale = Math.exp(1.7);
            assertEquals(scale, head.scale(), 1e-5);
            double[][] want = new double[CLASSES.size()][];
            for (int c = 0; c < CLASSES.size(); c++) {
                double[] sum = null;
                for (String t : TEMPLATES) {
                    double[] e = textFeature(model, tok, t.replace("{}", CLASSES.get(c)), m);
                    double n = norm(e);
                    if (sum == null) {
                        sum = new double[e.length];
                    }
                    for (int d = 0; d < e.length; d++) {
                        sum[d] += e[d] / n / TEMPLATES.size();
                    }
                }
                double n = norm(sum);
                for (int d = 0; d < sum.length; d++) {
                    sum[d] /= n;
                }
                want[c] = sum;
                for (int d = 0; d < sum.length; d++) {
                    assertEquals(sum[d], head.classWeights()[c][d], 1e-5, "class " + c + " dim " + d);
                }
            }
            // Logits of random images: scale · <w_c, f/|f|>, and the argmax accuracy.
            Random rng = new Random(8);
            int b = 6;
            float[] px = new float[b * 3 * 28 * 28];
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) rng.nextGaussian();
            }
            int[] labels = {0, 1, 2, 0, 1, 2};
            try (NDManager s = m.newSubManager()) {
                float[] feats = model.imageFeatures(Pixels.array(px, 28, s)).toFloatArray();
                float[] logits = ZeroShot.logits(model, Pixels.array(px, 28, s), ZeroShot.scaledWeights(head, s))
                        .toFloatArray();
                int dim = feats.length / b;
                int correct = 0;
                for (int i = 0; i < b; i++) {
                    double[] f = new double[dim];
                    for (int d = 0; d < dim; d++) {
                        f[d] = feats[i * dim + d];
                    }
                    double n = norm(f);
                    int best = 0;
                    double bestLogit = -1e9;
                    for (int c = 0; c < CLASSES.size(); c++) {
                        double l = 0;
                        for (int d = 0; d < dim; d++) {
                            l += want[c][d] * f[d] / n;
                        }
                        l *= scale;
                        assertEquals(l, logits[i * CLASSES.size() + c], 1e-4);
                        if (l > bestLogit) {
                            bestLogit = l;
                            best = c;
                        }
                    }
                    correct += best == labels[i] ? 1 : 0;
                }
                assertEquals((double) correct / b, ZeroShot.accuracy(model, head, px, labels, 28), 1e-12);
            }
        }
    }

    /** The written tokenizer.json, run by Hugging Face's own tokenizers library, gives our ids. */
    @Test
    void tokenizerJsonMatchesJavaTokenizer(@TempDir Path dir) throws Exception {
        WordTokenizer tok = WordTokenizer.fromTexts(PretrainMix.vocabularyTexts());
        Files.writeString(dir.resolve("tokenizer.json"), tok.tokenizerJson().toString());
        try (HuggingFaceTokenizer hf = Tokenizers.open(dir, Map.of("addSpecialTokens", "true", "padding", "max_length",
                "truncation", "true", "maxLength", Integer.toString(WordTokenizer.MAX_LENGTH)))) {
            for (String text : List.of("a photo of a Ankle boot", "the letter Q in dejavu serif bold",
                    "a rendered digit 7", "a photo of a unicorn", "T-shirt/top")) {
                Encoding e = hf.encode(text);
                long[] ids = tok.encode(text);
                assertArrayEquals(ids, e.getIds(), text);
                assertArrayEquals(WordTokenizer.mask(ids), e.getAttentionMask(), text);
            }
        }
        long[] ids = tok.encode("a photo of a unicorn");
        assertEquals(WordTokenizer.BOS_ID, ids[0]);
        assertEquals(WordTokenizer.UNK_ID, ids[5]);
        assertEquals(WordTokenizer.EOS_ID, ids[6]);
        assertEquals(WordTokenizer.PAD_ID, ids[7]);
        WordTokenizer back = WordTokenizer.fromJson(tok.tokenizerJson(), "round trip");
        assertEquals(tok.tokens(), back.tokens());
    }

    private static double[] textFeature(ClipModel model, WordTokenizer tok, String text, NDManager m) {
        try (NDManager s = m.newSubManager()) {
            long[] ids = tok.encode(text);
            Shape sh = new Shape(1, ids.length);
            float[] f = model.textFeatures(s.create(ids, sh), s.create(WordTokenizer.mask(ids), sh)).toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            assertTrue(norm(d) > 0);
            return d;
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
