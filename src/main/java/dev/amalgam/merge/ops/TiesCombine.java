package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/**
 * TIES sign election and disjoint merge of already trimmed (and weighted) task vectors of one tensor
 * (docs/methods/merge-methods.md §3.1 steps 3–4). Shared by TIES, DARE+TIES and Breadcrumbs+TIES.
 */
public final class TiesCombine {
    private static final float DIVISOR_EPS = 1e-8f;

    private TiesCombine() {
    }

    /** Stacks T tensors of one shape into [T, ...]. */
    public static NDArray stack(List<NDArray> xs) {
        return NDArrays.stack(new NDList(xs), 0);
    }

    /** The elected sign s = sign(Σ_t v̂_t) before the zero fallback, shape of one tensor. */
    public static NDArray rawSign(NDArray stacked) {
        return stacked.sum(new int[]{0}).sign();
    }

    /** Σ over entries of sign values (positives minus negatives), exact in 64-bit. */
    public static long signSum(NDArray sign) {
        long pos = sign.gt(0).toType(DataType.INT64, false).sum().getLong();
        long neg = sign.lt(0).toType(DataType.INT64, false).sum().getLong();
        return pos - neg;
    }

    /**
     * Disjoint merge.
     *
     * @param stacked  [T, ...] trimmed, weighted task vectors
     * @param weights  per-task weights already applied to {@code stacked} (null = all 1), used by dis-mean
     * @param zeroSign the sign given to entries whose summed mass is exactly 0: the global majority sign
     *                 for the original TIES, +1 for MergeKit's "sum" consensus (Σ ≥ 0 → +1). A zero
     *                 here reproduces the original's behaviour when the majority itself is 0 (keep
     *                 negatives; dis-max gives 0).
     */
    public static NDArray merge(NDArray stacked, double[] weights, MergeFunction fn, float zeroSign) {
        NDArray s = rawSign(stacked);
        if (zeroSign != 0f) {
            s = s.add(s.eq(0).toType(DataType.FLOAT32, false).mul(zeroSign));
        }
        NDArray selSign = s.gt(0).toType(DataType.FLOAT32, false).mul(2f).sub(1f);
        // aligned = τ̂_t·σ (σ = ±1, exact); an entry is selected iff aligned > 0, and then
        // |sel_t| = aligned and sel_t = aligned·σ, so max(aligned, 0)·σ is sel_t without a mask array.
        NDArray aligned = stacked.mul(selSign);
        switch (fn) {
            case DIS_SUM:
                return aligned.maximum(0f).muli(selSign).sum(new int[]{0});
            case DIS_MEAN: {
                NDArray keep = StepMasks.positiveInPlace(aligned);
                NDArray den = weights == null ? keep.sum(new int[]{0}) : TaskReductions.weightedSum(keep, weights);
                NDArray small = den.abs().lt(DIVISOR_EPS).toType(DataType.FLOAT32, false);
                den = den.mul(small.neg().add(1f)).add(small);
                return keep.muli(stacked).sum(new int[]{0}).div(den);
            }
            case DIS_MAX:
                return TaskReductions.max(aligned).maximum(0f).mul(s);
            default:
                throw new IllegalStateException(fn.toString());
        }
    }
}
