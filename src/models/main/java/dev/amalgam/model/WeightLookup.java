package dev.amalgam.model;

import ai.djl.ndarray.NDArray;

/**
 * Resolves a Hugging Face parameter name to the array a forward pass should use. The blocks' own
 * parameters are one lookup; computed (e.g. merged, differentiable) weights are another.
 */
@FunctionalInterface
public interface WeightLookup {
    NDArray get(String name);
}
