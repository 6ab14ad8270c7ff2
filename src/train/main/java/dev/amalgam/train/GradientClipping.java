package dev.amalgam.train;

import ai.djl.ndarray.NDArray;

import java.util.List;

/** Clipping of gradients by their global L2 norm, as {@code torch.nn.utils.clip_grad_norm_} does it. */
public final class GradientClipping {
    private GradientClipping() {
    }

    /** The L2 norm of each gradient. */
    public static double[] norms(List<NDArray> gradients) {
        double[] out = new double[gradients.size()];
        for (int i = 0; i < out.length; i++) {
            try (NDArray n = gradients.get(i).norm()) {
                out[i] = n.getFloat();
            }
        }
        return out;
    }

    /**
     * Scales every gradient in place by {@code maxNorm / (norm + 1e-6)} when that factor is below 1,
     * where {@code norm} is the L2 norm of all gradients concatenated. Returns the norm before clipping.
     * A non-positive {@code maxNorm} only measures.
     */
    public static double clipGlobalNorm(List<NDArray> gradients, double maxNorm) {
        return clipGlobalNorm(gradients, norms(gradients), maxNorm);
    }

    /** As {@link #clipGlobalNorm(List, double)} with the per-gradient norms already computed. */
    public static double clipGlobalNorm(List<NDArray> gradients, double[] norms, double maxNorm) {
        double sumSquares = 0;
        for (double n : norms) {
            sumSquares += n * n;
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
