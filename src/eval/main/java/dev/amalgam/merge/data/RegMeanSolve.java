package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.List;

/**
 * RegMean's closed form for one linear layer (docs/methods/data-aware.md §1): with each task's Gram
 * matrix G_t off-diagonals scaled by α, W = ((Σ_t G'_t)⁻¹ Σ_t G'_t W_tᵀ)ᵀ for PyTorch [out, in] weights.
 */
final class RegMeanSolve {
    private RegMeanSolve() {
    }

    /** G' = α·G + (1 − α)·diag(G): the diagonal kept, the rest scaled by α. */
    static NDArray reduceOffDiagonal(NDArray gram, double alpha) {
        NDManager m = gram.getManager();
        int n = (int) gram.getShape().get(0);
        try (NDArray eye = m.eye(n); NDArray scale = eye.mul((float) (1 - alpha)).addi((float) alpha)) {
            return gram.mul(scale);
        }
    }

    /**
     * The merged weight from the tasks' weights and (unscaled) Gram matrices: [out, in] weights, or
     * with {@code inOut} Conv1D weights [in, out], solved without the transposes (FusionBench's
     * {@code weight_transpose: false} for GPT-2).
     */
    static NDArray merge(List<NDArray> weights, List<NDArray> grams, double alpha, boolean inOut) {
        if (!inOut) {
            return merge(weights, grams, alpha);
        }
        List<NDArray> outIn = new java.util.ArrayList<>();
        for (NDArray w : weights) {
            outIn.add(w.transpose());
        }
        try (NDArray merged = merge(outIn, grams, alpha)) {
            outIn.forEach(NDArray::close);
            return merged.transpose().duplicate();
        }
    }

    /** The merged [out, in] weight from the tasks' weights and (unscaled) Gram matrices. */
    static NDArray merge(List<NDArray> weights, List<NDArray> grams, double alpha) {
        NDArray sumG = null;
        NDArray sumGW = null;
        for (int t = 0; t < weights.size(); t++) {
            NDArray g = reduceOffDiagonal(grams.get(t), alpha);
            NDArray gw = g.matMul(weights.get(t).transpose());
            if (sumG == null) {
                sumG = g;
                sumGW = gw;
            } else {
                sumG.addi(g);
                sumGW.addi(gw);
                g.close();
                gw.close();
            }
        }
        try (NDArray inv = sumG.inverse(); NDArray solved = inv.matMul(sumGW)) {
            sumG.close();
            sumGW.close();
            return solved.transpose().duplicate();
        }
    }
}
