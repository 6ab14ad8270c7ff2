package dev.amalgam.eval.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.train.Example;
import dev.amalgam.eval.datasets.ImageExample;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.eval.transforms.ClipPreprocess;
import dev.amalgam.eval.image.FloatImage;
import dev.amalgam.eval.image.RgbImage;
import dev.amalgam.eval.transforms.corruption.Corruptions;
import dev.amalgam.model.clip.ClipModel;

import java.util.stream.IntStream;

/**
 * Top-1 predictions of a CLIP image tower with a zero-shot head: each selected image is (optionally)
 * corrupted, preprocessed ({@link ClipPreprocess}, in parallel), batched through
 * {@link ClipModel#imageFeatures}, and scored by the head (cosine × scale, argmax). Corruption
 * randomness is seeded by the image's index in the full split, so {@code --limit} and batching do
 * not change how a given image is corrupted.
 */
final class ClipImageScorer {
    private final ClipModel model;
    private final ClipPreprocess preprocess;
    private final int batchSize;
    private final long seed;

    ClipImageScorer(ClipModel model, int batchSize, long seed) {
        this.model = model;
        this.preprocess = new ClipPreprocess(model.config().imageSize());
        this.batchSize = batchSize;
        this.seed = seed;
    }

    int imageSize() {
        return preprocess.size();
    }

    /** Predicted labels of {@code data}'s examples at {@code indices} ({@code corruption} null: clean). */
    int[] predict(Dataset<? extends Example> data, int[] indices, ZeroShotHead head, String corruption, int severity) {
        return classify(features(data, indices, corruption, severity), head);
    }

    /** Argmax of the head's logits per feature row. */
    static int[] classify(float[][] features, ZeroShotHead head) {
        int[] pred = new int[features.length];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != head.dim()) {
                throw new AmalgamException("image features have " + features[i].length + " dims but the zero-shot head "
                        + head.dim() + " (vision and text towers of different models?)");
            }
            pred[i] = argmax(head.logits(features[i]));
        }
        return pred;
    }

    /** Projected, unnormalised image features [indices.length][dim]. */
    float[][] features(Dataset<? extends Example> data, int[] indices, String corruption, int severity) {
        int side = preprocess.size();
        int per = 3 * side * side;
        float[][] out = new float[indices.length][];
        try (dev.amalgam.report.Progress progress = dev.amalgam.report.Progress.start(
                "eval " + data.name() + (corruption == null ? "" : " " + corruption), indices.length)) {
            features(data, indices, corruption, severity, out, progress);
        }
        return out;
    }

    private void features(Dataset<? extends Example> data, int[] indices, String corruption, int severity, float[][] out,
                          dev.amalgam.report.Progress progress) {
        int side = preprocess.size();
        int per = 3 * side * side;
        for (int from = 0; from < indices.length; from += batchSize) {
            int n = Math.min(batchSize, indices.length - from);
            float[] buf = new float[n * per];
            int start = from;
            IntStream.range(0, n).parallel().forEach(i -> {
                int idx = indices[start + i];
                Example ex = data.get(idx);
                if (!(ex instanceof ImageExample im)) {
                    throw new AmalgamException(data.name() + ": not an image dataset");
                }
                RgbImage rgb = RgbImage.of(im.image());
                if (corruption != null) {
                    rgb = Corruptions.apply(corruption, rgb, severity, seed, idx);
                }
                FloatImage f = preprocess.apply(rgb);
                System.arraycopy(f.data(), 0, buf, i * per, per);
            });
            try (NDManager m = model.manager().newSubManager()) {
                NDArray f = model.imageFeatures(m.create(buf, new Shape(n, 3, side, side)));
                int dim = (int) f.getShape().get(1);
                float[] flat = f.toFloatArray();
                for (int i = 0; i < n; i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
            progress.step(n);
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
