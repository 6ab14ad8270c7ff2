package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;

/**
 * Methods whose output is a shared vector plus per-task masks and scalars (EMR, TALL masks in
 * compression mode): task t's model is θ_t = θ_0 + scale_t · (mask_t ⊙ shared).
 */
public interface TaskModulated extends MergeMethod {

    /** Per-tensor modulation: the shared delta (F32) and one boolean mask per task. */
    record Modulation(NDArray shared, NDArray[] masks) {
    }

    Modulation modulate(TensorStep step);

    /** Per-task scalars; valid after the statistic passes. */
    double[] taskScales();
}
