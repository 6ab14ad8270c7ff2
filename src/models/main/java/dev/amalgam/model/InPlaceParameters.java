package dev.amalgam.model;

import ai.djl.ndarray.NDArray;

import java.util.List;

/**
 * A loaded model whose parameters can be overwritten in place, by Hugging Face name, without
 * rebuilding it: merge sweeps and per-task reconstruction (EMR, TALL masks) write new tensors and run
 * the next forward pass directly.
 */
public interface InPlaceParameters {

    /** Hugging Face names of the model's own parameters, in declaration order (tied ones once). */
    List<String> parameterNames();

    /** The live parameter array (do not close it). */
    NDArray parameter(String name);

    /**
     * Copies {@code value} into the parameter's existing storage (converting the dtype if needed).
     * Must be called outside a gradient collector. The caller keeps ownership of {@code value}.
     */
    void setParameter(String name, NDArray value);

    /** Remembers the current values of all parameters (replacing an earlier snapshot). */
    void snapshot();

    /** Writes the snapshot values back in place; an IllegalStateException if no snapshot was taken. */
    void restore();
}
