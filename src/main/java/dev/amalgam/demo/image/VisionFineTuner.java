package dev.amalgam.demo.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.amalgam.eval.heads.ZeroShotHead;
import dev.amalgam.model.clip.ClipModel;

import java.util.Random;

/**
 * The task-vectors recipe: fine-tune only the vision tower (every {@code vision_model.*} tensor and
 * {@code visual_projection}) against the task's fixed zero-shot head, with cross-entropy.
 * Text tower and {@code logit_scale} stay exactly as pretrained.
 */
public final class VisionFineTuner {
    public record Settings(int steps, int batch, float lr, float weightDecay, double warmupRatio, long seed) {
        public static Settings standard() {
            return new Settings(150, 64, 5e-4f, 0.1f, 0.1, 23);
        }
    }

    private VisionFineTuner() {
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
                    return logits.logSoftmax(1).mul(oneHot).sum().neg().div(idx.length);
                });
            }
        }
        return losses;
    }
}
