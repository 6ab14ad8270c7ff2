package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.amalgam.model.WeightLookup;

/**
 * The forward pass a data-aware merge runs: one architecture with each task's classification head,
 * reading every weight through a {@link WeightLookup} (so the weights can be a fine-tune's, a
 * partially merged model's, or W₀ + Σ λ_t τ_t inside the autograd graph).
 */
public interface DataModel {
    /** What the forward pass is, for messages (e.g. "CLIP vision tower + zero-shot heads"). */
    String describe();

    /** Logits [B, classes] of {@code task}'s head for {@code inputs}, differentiable in the looked-up weights. */
    NDArray logits(WeightLookup weights, String task, NDList inputs);
}
