package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;

/**
 * A data-free merge method. The executor streams tensors through it one {@link TensorStep} at a time.
 *
 * <p>Methods with global statistics (TIES global top-k threshold, EMR rescalers, LwPTV saliency)
 * declare {@link #statisticPasses()} &gt; 0: the executor first streams every tensor through
 * {@link #observe(int, TensorStep)} for each pass (calling {@link #endPass(int)} after each), then
 * streams them again through {@link #merge(TensorStep)}. Methods must not keep NDArrays of a step
 * past the call (its manager is closed); keep Java primitives (counts, histograms, sums) instead.
 * Tensor order is the sorted tensor-name order in every pass.
 */
public interface MergeMethod {

    /** Short name used in recipes and reports, e.g. "ties". */
    String name();

    /** A one-line description of the configured method including its hyperparameters. */
    String describe();

    default int statisticPasses() {
        return 0;
    }

    default void observe(int pass, TensorStep step) {
    }

    default void endPass(int pass) {
    }

    /**
     * Returns the merged tensor θ (F32, on the step's manager) for this step. For methods that
     * produce per-task models ({@link TaskModulated}) this is the model the method would use without
     * task identity (documented per method).
     */
    NDArray merge(TensorStep step);
}
