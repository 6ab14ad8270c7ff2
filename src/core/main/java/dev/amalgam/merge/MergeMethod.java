package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;

/**
 * A data-free merge method. The executor streams tensors through it one {@link TensorStep} at a time.
 *
 * <p>Methods with global statistics (TIES global top-k threshold, EMR rescalers, LwPTV saliency)
 * declare named {@link StatisticPass}es: the executor first streams every tensor through each pass,
 * then streams them again through {@link #merge(TensorStep)}. {@link #statisticPasses()} starts a run:
 * it returns fresh passes and clears whatever an earlier run computed, so an instance carries nothing
 * from one run into the next. Tensor order is the sorted tensor-name order in every pass.
 */
public interface MergeMethod {

    /** Short name used in recipes and reports, e.g. "ties". */
    String name();

    /** A one-line description of the configured method including its hyperparameters. */
    String describe();

    /**
     * Runs once per run before any tensor is merged, with every input in view: data-aware methods make their
     * forward passes over task data here. Nothing by default.
     */
    default void prepare(MergeInputs in) {
    }

    /** The passes of a new run, in order (none for per-tensor methods). */
    default java.util.List<StatisticPass> statisticPasses() {
        return java.util.List.of();
    }

    /**
     * Returns the merged tensor θ (F32, on the step's manager) for this step. For methods that
     * produce per-task models ({@link TaskModulated}) this is the model the method would use without
     * task identity (documented per method).
     */
    NDArray merge(TensorStep step);
}
