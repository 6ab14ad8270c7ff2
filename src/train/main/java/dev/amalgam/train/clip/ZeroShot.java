package dev.amalgam.train.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.model.heads.TextEmbedder;
import dev.amalgam.model.heads.ZeroShotHead;

import java.util.List;

/**
 * Zero-shot heads, logits and accuracy of a CLIP model. The head is {@link ZeroShotHead} (the CLIP /
 * FusionBench protocol: per class, embed every filled template with the text tower, normalise each,
 * average, normalise; logits = exp(logit_scale)·w_c·f/|f|).
 */
public final class ZeroShot {
    /** Images per forward pass when scoring a whole set. */
    public static final int BATCH = 250;

    private ZeroShot() {
    }

    /** Text tower + projection of {@code model} as an embedder (gradients off). */
    public static TextEmbedder embedder(ClipModel model, WordTokenizer tok) {
        return texts -> {
            try (NDManager m = model.manager().newSubManager()) {
                long[] ids = new long[texts.size() * WordTokenizer.MAX_LENGTH];
                long[] mask = new long[ids.length];
                for (int i = 0; i < texts.size(); i++) {
                    long[] e = tok.encode(texts.get(i));
                    System.arraycopy(e, 0, ids, i * WordTokenizer.MAX_LENGTH, e.length);
                    System.arraycopy(WordTokenizer.mask(e), 0, mask, i * WordTokenizer.MAX_LENGTH, e.length);
                }
                Shape s = new Shape(texts.size(), WordTokenizer.MAX_LENGTH);
                float[] f = model.textFeatures(m.create(ids, s), m.create(mask, s)).toFloatArray();
                int d = f.length / texts.size();
                float[][] out = new float[texts.size()][d];
                for (int i = 0; i < texts.size(); i++) {
                    System.arraycopy(f, i * d, out[i], 0, d);
                }
                return out;
            }
        };
    }

    /** The zero-shot head of {@code classes} from {@code textModel}'s text tower and {@code logit_scale}. */
    public static ZeroShotHead head(ClipModel textModel, WordTokenizer tok, List<String> classes, List<String> templates) {
        return ZeroShotHead.build(embedder(textModel, tok), classes, templates,
                textModel.parameter("logit_scale").getFloat());
    }

    /** The head as one array [classes, dim], rows scaled by exp(logit_scale). */
    public static NDArray scaledWeights(ZeroShotHead head, NDManager m) {
        float[][] w = head.classWeights();
        float[] flat = new float[w.length * w[0].length];
        for (int c = 0; c < w.length; c++) {
            for (int d = 0; d < w[c].length; d++) {
                flat[c * w[c].length + d] = w[c][d] * head.scale();
            }
        }
        return m.create(flat, new Shape(w.length, w[0].length));
    }

    /** Normalised NCHW floats as an array [B, 3, side, side] in {@code m}. */
    public static NDArray pixels(float[] nchw, int side, NDManager m) {
        return m.create(nchw, new Shape(nchw.length / (3L * side * side), 3, side, side));
    }

    /** Logits [B, classes] of images [B, 3, S, S] with {@code vision}'s image tower. */
    public static NDArray logits(ClipModel vision, NDArray pixels, NDArray scaledHead) {
        NDArray f = ContrastivePretrainer.unit(vision.imageFeatures(pixels));
        return f.matMul(scaledHead.transpose());
    }

    /** Top-1 accuracy of {@code vision} + {@code head} on normalised NCHW images. */
    public static double accuracy(ClipModel vision, ZeroShotHead head, float[] nchw, int[] labels, int side) {
        int[] pred = predictions(vision, head, nchw, labels.length, side);
        int correct = 0;
        for (int i = 0; i < pred.length; i++) {
            if (pred[i] == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
    }

    /** The class of highest logit for each of the {@code n} normalised NCHW images, {@link #BATCH} at a time. */
    public static int[] predictions(ClipModel vision, ZeroShotHead head, float[] nchw, int n, int side) {
        int per = 3 * side * side;
        int[] out = new int[n];
        try (NDManager m = vision.manager().newSubManager()) {
            NDArray w = scaledWeights(head, m);
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                try (NDManager step = m.newSubManager()) {
                    float[] part = java.util.Arrays.copyOfRange(nchw, from * per, to * per);
                    long[] pred = logits(vision, pixels(part, side, step), w).argMax(1)
                            .toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                    for (int i = 0; i < pred.length; i++) {
                        out[from + i] = (int) pred[i];
                    }
                }
            }
        }
        return out;
    }
}
