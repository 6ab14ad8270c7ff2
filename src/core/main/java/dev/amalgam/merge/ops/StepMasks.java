package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;

/**
 * 0/1 F32 comparison masks built from float ops (sign of the difference) instead of a boolean array
 * and a conversion, which cost several times more per element in libtorch on CPU. Exact for finite
 * values: a correctly rounded a − b is 0 only when a = b and otherwise has the sign of a − b.
 */
public final class StepMasks {
    private StepMasks() {
    }

    /** [d > 0] as 0/1 F32, overwriting d (which must be a fresh array the caller owns). */
    public static NDArray positiveInPlace(NDArray d) {
        return d.signi().maximum(0f);
    }

    /** [d ≥ 0] as 0/1 F32, overwriting d (which must be a fresh array the caller owns). */
    public static NDArray nonNegativeInPlace(NDArray d) {
        return d.signi().addi(1f).minimum(1f);
    }
}
