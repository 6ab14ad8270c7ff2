package dev.amalgam.train;

import ai.djl.ndarray.NDArray;

import java.util.List;

/** Clipping of gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} does it. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales every gradient in place by {@code maxNorm / (norm + 1e-6)} when that factor is below 1,
     * where {@code norm} is the L2 norm of all gradients concatenated. Returns the norm before clipping.
     * A non-positive {@code maxNorm} only measures.
     */
    public static double clipGlobalNorm(List<NDArray> gradients, double maxNorm) {
        double sumSquares = 0;
        for (NDArray g : gradients) {
            try (NDArray sq = g.square(); NDArray s = sq.sum()) {
                sumSquares += s.getFloat();
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (maxNorm > 0) {
            double factor = maxNorm / (norm + 1e-6);
            if (factor < 1) {
                for (NDArray g : gradients) {
                    g.muli((float) factor);
                }
            }
        }
        return norm;
    }
}
