package dev.amalgam.merge.lwptv;

import dev.amalgam.merge.TensorStep;

/**
 * A task × layer saliency score for LwPTV, accumulated while tensors stream by. Low saliency means
 * the task's update in that layer is redundant and may be pruned (the layer keeps θ_0 for that task).
 *
 * <p>The executor calls {@link #observe} for every float tensor in every pass, then
 * {@link #endPass}; after the last pass {@link #scores()} returns s[task][layer]. Layers are given
 * as dense indices assigned by the caller ({@code layer}).
 */
public interface SaliencyScore {

    /** Name used in recipes and reports ("energy", "topk_share", "redundancy"). */
    String name();

    /** One-line description with hyperparameters. */
    String describe();

    /** Number of streaming passes the score needs (≥ 1). */
    default int passes() {
        return 1;
    }

    void observe(int pass, TensorStep step, int layer);

    /** Forgets everything observed (a new run starts). */
    void reset();

    default void endPass(int pass) {
    }

    /** s[t][l]; layers never observed have NaN. */
    double[][] scores(int layerCount);
}
