package dev.amalgam.demo.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.model.heads.ZeroShotHead;
import dev.amalgam.model.Ops;
import dev.amalgam.model.clip.ClipModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

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
    public static float[] trainMultiTask(ClipModel model, List<ZeroShotHead> heads, List<GrayImages> trains,
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
        Random rng = new Random(s.seed());
        int[] order = TaskData.permutation(n, rng);
        int pos = 0;
        float[] losses = new float[s.steps()];
        int warm = (int) Math.ceil(s.warmupRatio() * s.steps());
        try (NDManager hm = model.manager().newSubManager();
             Optimisation opt = new Optimisation(model, VisionFineTuner::isVision, s.lr(), s.weightDecay(), warm,
                     s.steps())) {
            List<NDArray> w = new ArrayList<>();
            for (ZeroShotHead h : heads) {
                w.add(ZeroShot.scaledWeights(h, hm));
            }
            for (int step = 0; step < s.steps(); step++) {
                if (pos + s.batch() > n) {
                    order = TaskData.permutation(n, rng);
                    pos = 0;
                }
                int[] batch = Arrays.copyOfRange(order, pos, pos + s.batch());
                pos += s.batch();
                Arrays.sort(batch); // examples of one task are contiguous, tasks in order
                losses[step] = opt.step(m -> multiTaskLoss(model, heads, trains, w, offset, batch, m));
            }
        }
        return losses;
    }

    /** Mean over {@code batch} (sorted union indices) of each example's cross-entropy under its task's head. */
    static NDArray multiTaskLoss(ClipModel model, List<ZeroShotHead> heads, List<GrayImages> trains, List<NDArray> w,
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
            System.arraycopy(Pixels.nchw(trains.get(t), local), 0, pixels, at * per, local.length * per);
            at = end;
        }
        from[heads.size()] = at;
        NDArray features = ContrastivePretrainer.unit(model.imageFeatures(Pixels.array(pixels, side, m)));
        NDArray sum = null;
        for (int t = 0; t < heads.size(); t++) {
            if (from[t + 1] == from[t]) {
                continue;
            }
            int[] y = new int[from[t + 1] - from[t]];
            for (int i = 0; i < y.length; i++) {
                y[i] = trains.get(t).labels()[batch[from[t] + i] - offset[t]];
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

    /** Fine-tunes {@code model} in place; returns the per-step losses. */
    public static float[] train(ClipModel model, ZeroShotHead head, GrayImages train, Settings s) {
        Random rng = new Random(s.seed());
        int n = train.count();
        int[] order = TaskData.permutation(n, rng);
        int pos = 0;
        float[] losses = new float[s.steps()];
        int warm = (int) Math.ceil(s.warmupRatio() * s.steps());
        try (NDManager hm = model.manager().newSubManager();
             Optimisation opt = new Optimisation(model, VisionFineTuner::isVision, s.lr(), s.weightDecay(), warm,
                     s.steps())) {
            NDArray w = ZeroShot.scaledWeights(head, hm);
            for (int step = 0; step < s.steps(); step++) {
                if (pos + s.batch() > n) {
                    order = TaskData.permutation(n, rng);
                    pos = 0;
                }
                int[] idx = java.util.Arrays.copyOfRange(order, pos, pos + s.batch());
                pos += s.batch();
                losses[step] = opt.step(m -> {
                    NDArray logits = ZeroShot.logits(model, Pixels.array(Pixels.nchw(train, idx), train.side(), m), w);
                    int[] y = new int[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        y[i] = train.labels()[idx[i]];
                    }
                    NDArray oneHot = m.create(y).oneHot(head.numClasses());
                    return Ops.div(logits.logSoftmax(1).mul(oneHot).sum().neg(), idx.length);
                });
            }
        }
        return losses;
    }
}
