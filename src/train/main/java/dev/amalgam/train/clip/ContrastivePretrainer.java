package dev.amalgam.train.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.amalgam.model.Ops;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.clip.WordTokenizer;
import dev.amalgam.train.FineTuneListener;
import dev.amalgam.train.TrainedParameter;
import dev.amalgam.train.TrainingLoop;
import dev.amalgam.train.TrainingTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * CLIP pretraining of both towers on image–caption pairs: symmetric InfoNCE with a learnable
 * {@code logit_scale} (clamped at ln 100 as in CLIP). A batch often holds several pairs of the same
 * (domain, class); those are all treated as positives (uniform soft targets over the matches, both
 * directions) instead of as false negatives.
 */
public final class ContrastivePretrainer {
    public static final double MAX_LOGIT_SCALE = Math.log(100);

    /** @param steps updates; @param batch pairs per update; @param lr peak learning rate */
    public record Settings(int steps, int batch, float lr, float weightDecay, double warmupRatio, long seed) {
        public static Settings standard() {
            return new Settings(2400, 64, 2e-3f, 0.1f, 0.05, 17);
        }
    }

    private ContrastivePretrainer() {
    }

    /** Trains {@code model} in place; returns the loss of every step. */
    public static float[] train(ClipModel model, CaptionedImages mix, WordTokenizer tok, Settings s,
                                IntConsumer onStep) {
        int n = mix.count();
        long[][] ids = new long[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = tok.encode(mix.caption(i));
        }
        IndexBatches batches = new IndexBatches(n, s.batch(), new Random(s.seed()), false);
        TrainingTask<int[]> task = new IndexBatchTask(batches, (idx, m) -> loss(model, mix, ids, idx, m), null,
                step -> {
                    clampLogitScale(model);
                    if (onStep != null) {
                        onStep.accept(step - 1);
                    }
                });
        List<TrainedParameter> all = new ArrayList<>();
        for (Parameter p : model.getParameters().values()) {
            all.add(TrainedParameter.plain(p));
        }
        return IndexBatches.floats(TrainingLoop.run(task, all, model, model.manager(),
                TrainingLoop.Settings.adamW(s.steps(), s.lr(), s.warmupRatio(), s.weightDecay()),
                FineTuneListener.NONE).trainLosses());
    }

    /** The symmetric multi-positive InfoNCE loss of the pairs {@code idx}. */
    public static NDArray loss(ClipModel model, CaptionedImages mix, long[][] ids, int[] idx, NDManager m) {
        int b = idx.length;
        NDArray pixels = ZeroShot.pixels(mix.nchw(idx), mix.side(), m);
        long[] flatIds = new long[b * WordTokenizer.MAX_LENGTH];
        long[] flatMask = new long[flatIds.length];
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[idx[i]], 0, flatIds, i * WordTokenizer.MAX_LENGTH, WordTokenizer.MAX_LENGTH);
            System.arraycopy(WordTokenizer.mask(ids[idx[i]]), 0, flatMask, i * WordTokenizer.MAX_LENGTH,
                    WordTokenizer.MAX_LENGTH);
        }
        Shape ts = new Shape(b, WordTokenizer.MAX_LENGTH);
        NDArray img = unit(model.imageFeatures(pixels));
        NDArray txt = unit(model.textFeatures(m.create(flatIds, ts), m.create(flatMask, ts)));
        NDArray scale = model.parameter("logit_scale").exp();
        scale.attach(m);
        NDArray logits = img.matMul(txt.transpose()).mul(scale);
        float[] target = new float[b * b];
        for (int i = 0; i < b; i++) {
            List<Integer> same = new ArrayList<>();
            for (int j = 0; j < b; j++) {
                if (mix.key(idx[i]) == mix.key(idx[j])) {
                    same.add(j);
                }
            }
            for (int j : same) {
                target[i * b + j] = 1f / same.size();
            }
        }
        // The positive relation is symmetric, so the text→image targets are the same matrix.
        NDArray t = m.create(target, new Shape(b, b));
        NDArray li = Ops.div(logits.logSoftmax(1).mul(t).sum().neg(), b);
        NDArray lt = Ops.div(logits.logSoftmax(0).mul(t).sum().neg(), b);
        return Ops.div(li.add(lt), 2);
    }

    public static NDArray unit(NDArray x) {
        return x.div(x.norm(new int[] {-1}, true));
    }

    private static void clampLogitScale(ClipModel model) {
        NDArray s = model.parameter("logit_scale");
        if (s.getFloat() > MAX_LOGIT_SCALE) {
            try (NDArray v = s.getManager().create((float) MAX_LOGIT_SCALE)) {
                model.setParameter("logit_scale", v);
            }
        }
    }
}
