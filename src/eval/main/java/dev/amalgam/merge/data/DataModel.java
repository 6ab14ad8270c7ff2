package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.amalgam.model.WeightLookup;

/**
 * The forward pass a data-aware merge runs: one architecture with each task's classification head
 * (or a decoder's own next-token head), reading every weight through a {@link WeightLookup} (so the
 * weights can be a fine-tune's, a partially merged model's, or W₀ + Σ λ_t τ_t inside the autograd graph).
 */
public interface DataModel {
    /** What the forward pass is, for messages (e.g. "CLIP vision tower + zero-shot heads"). */
    String describe();

    /**
     * Logits [rows, classes] of {@code task}'s head for {@code inputs}, differentiable in the looked-up
     * weights: one row per example, or per real token of a decoder (padding dropped).
     */
    NDArray logits(WeightLookup weights, String task, NDList inputs);

    /** The forward pass RegMean taps: {@link #logits}, or only the layers before a head this task lacks. */
    default void forward(WeightLookup weights, String task, NDList inputs) {
        logits(weights, task, inputs);
    }

    /** Why {@code task} has no predictive distribution (Fisher, AdaMerging need one), or null when it has. */
    default String noLogits(String task) {
        return null;
    }

    /** Which rows of every linear input are real examples: [rows] of 0/1 floats, or null when all are. */
    default NDArray rowMask(NDList inputs) {
        return null;
    }

    /** True for a linear weight the model also reads otherwise (a tied token embedding): RegMean averages it. */
    default boolean sharedWeight(String tensor) {
        return false;
    }
}
