package dev.amalgam.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Model inputs of one mini-batch and its integer class labels {@code (batch,)}. */
public record LabeledBatch(NDList inputs, NDArray labels) {
    public long size() {
        return labels.getShape().get(0);
    }
}
