package dev.amalgam.train.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.amalgam.model.Ops;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.train.EvalPoint;
import dev.amalgam.train.FineTuneListener;
import dev.amalgam.train.FineTuneResult;
import dev.amalgam.train.TrainedParameter;
import dev.amalgam.train.TrainingLoop;
import dev.amalgam.train.TrainingTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * The task-vectors recipe: fine-tune only the vision tower (every {@code vision_model.*} tensor and
 * {@code visual_projection}) against the task's fixed zero-shot head, with cross-entropy.
 * Text tower and {@code logit_scale} stay exactly as pretrained.
 */
public final class VisionFineTuner {
    public record Settings(int steps, int batch, float lr, float weightDecay, double warmupRatio, long seed) {
        public static Settings standard() {
            return new Settings(300, 64, 1e-3f, 0.1f, 0.1, 23);
        }
    }

    private VisionFineTuner() {
    }

    /**
     * The multi-task baseline of the task-vectors papers: one vision tower fine-tuned on every task at
     * once, each task against its own frozen zero-shot head. Each batch is drawn from the union of the
     * training sets (so tasks are mixed in proportion to their sizes) and its loss is the mean over the
     * batch of each example's cross-entropy under its own task's head. {@code s.steps()} updates, as
     * the caller chooses (the zoo gives it as many as all single-task fine-tunes together).
     */
    public static float[] trainMultiTask(ClipModel model, List<ZeroShotHead> heads, List<? extends LabeledImages> trains,
                                         Settings s) {
        if (heads.size() != trains.size() || heads.isEmpty()) {
            throw new IllegalArgumentException("one training set per head needed: " + heads.size() + " heads, "
                    + trains.size() + " sets");
        }
        int tasks = heads.size();
        int[] offset = new int[tasks + 1];
        for (int t = 0; t < tasks; t++) {
            offset[t + 1] = offset[t] + trains.get(t).count();
        }
        int n = offset[tasks];
        try (NDManager hm = model.manager().newSubManager()) {
            List<NDArray> w = new ArrayList<>();
            for (ZeroShotHead h : heads) {
                w.add(ZeroShot.scaledWeights(h, hm));
            }
            // Sorted batches: the examples of one task are contiguous, tasks in order.
            return IndexBatches.floats(run(model, new IndexBatches(n, s.batch(), new Random(s.seed()), true),
                    (batch, m) -> multiTaskLoss(model, heads, trains, w, offset, batch, m), null,
                    TrainingLoop.Settings.adamW(s.steps(), s.lr(), s.warmupRatio(), s.weightDecay()),
                    FineTuneListener.NONE).trainLosses());
        }
    }

    /** Mean over {@code batch} (sorted union indices) of each example's cross-entropy under its task's head. */
    public static NDArray multiTaskLoss(ClipModel model, List<ZeroShotHead> heads, List<? extends LabeledImages> trains, List<NDArray> w,
                                 int[] offset, int[] batch, NDManager m) {
        int side = trains.get(0).side();
        int per = 3 * side * side;
        float[] pixels = new float[batch.length * per];
        int[] from = new int[heads.size() + 1];
        int at = 0;
        for (int t = 0; t < heads.size(); t++) {
            from[t] = at;
            int end = at;
            while (end < batch.length && batch[end] < offset[t + 1]) {
                end++;
            }
            int[] local = new int[end - at];
            for (int i = 0; i < local.length; i++) {
                local[i] = batch[at + i] - offset[t];
            }
            System.arraycopy(trains.get(t).nchw(local), 0, pixels, at * per, local.length * per);
            at = end;
        }
        from[heads.size()] = at;
        NDArray features = ContrastivePretrainer.unit(model.imageFeatures(ZeroShot.pixels(pixels, side, m)));
        NDArray sum = null;
        for (int t = 0; t < heads.size(); t++) {
            if (from[t + 1] == from[t]) {
                continue;
            }
            int[] y = new int[from[t + 1] - from[t]];
            for (int i = 0; i < y.length; i++) {
                y[i] = trains.get(t).label(batch[from[t] + i] - offset[t]);
            }
            NDArray logits = features.get(from[t] + ":" + from[t + 1]).matMul(w.get(t).transpose());
            NDArray part = logits.logSoftmax(1).mul(m.create(y).oneHot(heads.get(t).numClasses())).sum();
            sum = sum == null ? part : sum.add(part);
        }
        return Ops.div(sum.neg(), batch.length);
    }

    public static boolean isVision(String name) {
        return name.startsWith("vision_model.") || name.startsWith("visual_projection.");
    }

    /** Fine-tunes {@code model} in place (the zoo's recipe: no validation); returns the per-step losses. */
    public static float[] train(ClipModel model, ZeroShotHead head, LabeledImages train, Settings s) {
        return IndexBatches.floats(fit(model, head, train, null, s.batch(), s.seed(),
                TrainingLoop.Settings.adamW(s.steps(), s.lr(), s.warmupRatio(), s.weightDecay()),
                FineTuneListener.NONE).trainLosses());
    }

    /**
     * Fine-tunes the vision tower of {@code model} in place against the frozen {@code head}, in batches
     * of {@code batch} drawn from {@code train} (a seeded permutation per epoch, remainder dropped).
     * With {@code val} (may be null) the loop evaluates, stops early and keeps the best weights as
     * {@code settings} say.
     */
    public static FineTuneResult fit(ClipModel model, ZeroShotHead head, LabeledImages train, LabeledImages val,
                                     int batch, long seed, TrainingLoop.Settings settings, FineTuneListener listener) {
        try (NDManager hm = model.manager().newSubManager()) {
            NDArray w = ZeroShot.scaledWeights(head, hm);
            BiFunction<Integer, Integer, EvalPoint> validation = val == null ? null
                    : (step, epoch) -> evaluate(model, w, val, step, epoch);
            return run(model, new IndexBatches(train.count(), batch, new Random(seed), false),
                    (idx, m) -> crossEntropy(model, w, train, idx, m), validation, settings, listener);
        }
    }

    /** Mean cross-entropy of the examples {@code idx} under the scaled head {@code w}. */
    private static NDArray crossEntropy(ClipModel model, NDArray w, LabeledImages set, int[] idx, NDManager m) {
        NDArray logits = ZeroShot.logits(model, ZeroShot.pixels(set.nchw(idx), set.side(), m), w);
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            y[i] = set.label(idx[i]);
        }
        NDArray oneHot = m.create(y).oneHot((int) w.getShape().get(0));
        return Ops.div(logits.logSoftmax(1).mul(oneHot).sum().neg(), idx.length);
    }

    /** Accuracy and mean cross-entropy on every example of {@code val}, in batches of {@link ZeroShot#BATCH}. */
    private static EvalPoint evaluate(ClipModel model, NDArray w, LabeledImages val, int step, int epoch) {
        long correct = 0;
        double lossSum = 0;
        for (int from = 0; from < val.count(); from += ZeroShot.BATCH) {
            int[] idx = new int[Math.min(val.count(), from + ZeroShot.BATCH) - from];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            try (NDManager m = model.manager().newSubManager()) {
                NDArray logits = ZeroShot.logits(model, ZeroShot.pixels(val.nchw(idx), val.side(), m), w);
                long[] predicted = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
                for (int i = 0; i < idx.length; i++) {
                    if (predicted[i] == val.label(idx[i])) {
                        correct++;
                    }
                }
                lossSum += (double) crossEntropy(model, w, val, idx, m).getFloat() * idx.length;
            }
        }
        return new EvalPoint(step, epoch, (double) correct / val.count(), lossSum / val.count());
    }

    /** Trains the vision tower on {@code batches} with {@code loss}, on the shared training loop. */
    private static FineTuneResult run(ClipModel model, IndexBatches batches,
                                      BiFunction<int[], NDManager, NDArray> loss,
                                      BiFunction<Integer, Integer, EvalPoint> validation,
                                      TrainingLoop.Settings settings, FineTuneListener listener) {
        TrainingTask<int[]> task = new IndexBatchTask(batches, loss, validation, null);
        List<TrainedParameter> vision = new ArrayList<>();
        for (Parameter p : model.getParameters().values()) {
            if (isVision(p.getName())) {
                vision.add(TrainedParameter.plain(p));
            }
        }
        return TrainingLoop.run(task, vision, model, model.manager(), settings, listener);
    }
}
