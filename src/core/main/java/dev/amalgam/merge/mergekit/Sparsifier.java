package dev.amalgam.merge.mergekit;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.ops.CounterRng;
import dev.amalgam.merge.stages.RankedDrop;

import java.nio.FloatBuffer;

/**
 * The sparsification stage of generalized task arithmetic (docs/methods/mergekit-methods.md §1),
 * applied to one task vector in place, then the optional L1 rescale that restores the
 * vector's L1 norm (MergeKit's {@code rescale}). Random draws use Amalgam's counter-based generator
 * keyed by (seed, tensor, task): reproducible, the same distribution as MergeKit's torch.bernoulli, not
 * the same draws.
 */
public enum Sparsifier {
    /** Keep the int(density·n) largest |τ| (TIES). */
    MAGNITUDE,
    /** Keep each entry with probability density (DARE). */
    RANDOM,
    /** Drop the int(γ·n) largest, then the smallest, keeping int(density·n) (Breadcrumbs). */
    MAGNITUDE_OUTLIERS,
    /** Keep with a probability that rises with the magnitude rank within a row: density ± ε (DELLA). */
    DELLA_MAGPRUNE;

    /** Parameters of one task vector's sparsification. */
    record Setting(double density, double gamma, double epsilon, boolean rescale, long seed, int task) {
    }

    void apply(String method, String tensor, long[] shape, float[] x, Setting s) {
        if (s.density() >= 1) {
            return;
        }
        int n = x.length;
        if (this == RANDOM) {
            random(tensor, x, s);
            return;
        }
        if (this == DELLA_MAGPRUNE) {
            double[] l1 = della(method, tensor, shape, FloatBuffer.wrap(x), s.density(), s.epsilon(), s.seed(), s.task());
            if (s.rescale()) {
                rescale(x, l1[0], l1[1]);
            }
            return;
        }
        double l1Before = s.rescale() ? l1(x) : 0;
        switch (this) {
            case MAGNITUDE -> {
                long k = (long) (s.density() * n);
                if (k <= 0) {
                    throw new AmalgamException(method + ": density " + s.density() + " keeps no entry of tensor " + tensor
                            + " (" + n + " entries); MergeKit refuses this too");
                }
                RankBand.keepLargest(x, 0, n, k);
            }
            case MAGNITUDE_OUTLIERS -> {
                long target = (long) (s.density() * n);
                long top = (long) (s.gamma() * n);
                long bottom = n - target - top;
                if (bottom < 0) {
                    top += bottom;
                    bottom = 0;
                }
                // MergeKit keeps sorted[bottom : -top]; with top = 0 that slice is empty.
                RankBand.keep(x, 0, n, bottom, top == 0 ? bottom : n - top);
            }
            default -> throw new IllegalStateException();
        }
        if (s.rescale()) {
            rescale(x, l1Before, l1(x));
        }
    }

    /** DARE's drop with the L1 sums before and after taken in the same pass. */
    private static void random(String tensor, float[] x, Setting s) {
        // Kept with probability density: the generator's keep-mask for drop rate 1 − density.
        float[] keep = new CounterRng(s.seed(), tensor, s.task()).keepMask(x.length, 1.0 - s.density());
        double before = 0;
        double after = 0;
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            float kept = v * keep[i];
            before += Math.abs(v);
            after += Math.abs(kept);
            x[i] = kept;
        }
        if (s.rescale()) {
            rescale(x, before, after);
        }
    }

    /** MergeKit's RescaleNorm.l1: scale to the L1 norm before the drop, unless either norm is below 1e-7. */
    private static void rescale(float[] x, double before, double after) {
        if (before >= 1e-7 && after >= 1e-7) {
            float f = (float) (before / after);
            for (int i = 0; i < x.length; i++) {
                x[i] *= f;
            }
        }
    }

    /**
     * DELLA's MagPrune on x in place ({@link RankedDrop}): ranks along dimension 1 (a 1-D tensor is one
     * row), stable ascending by |x|; rank r of a row of len keeps its entry with probability
     * density − ε + 2ε·r/(len − 1), drawn from the counter generator at the entry's flat index. The
     * staged form passes a wrapped array, the fused kernel the step's own native memory. Returns
     * {‖x‖₁ before, after} summed in index order.
     */
    static double[] della(String method, String tensor, long[] shape, FloatBuffer x, double density, double eps, long seed,
                          int task) {
        int n = x.limit();
        if (density <= 0) {
            double before = l1(x);
            for (int i = 0; i < n; i++) {
                x.put(i, 0f);
            }
            return new double[]{before, 0};
        }
        int[] rows = dellaRows(method, tensor, shape, n, density, eps);
        return new RankedDrop(rows[1], density, eps).apply(x, rows[0], rows[2], new CounterRng(seed, tensor, task));
    }

    /**
     * {outer, len, inner}: the tensor as DELLA's rows along dimension 1 (a 1-D tensor is one row), after
     * the checks MergeKit's arithmetic implies (0 &lt; density ± ε &lt; 1, rows of at least 2 entries).
     */
    static int[] dellaRows(String method, String tensor, long[] shape, int n, double density, double eps) {
        if (density + eps >= 1 || density - eps <= 0) {
            throw new AmalgamException(method + ": epsilon " + eps + " must keep density ± epsilon inside (0, 1), density "
                    + density + " (tensor " + tensor + ")");
        }
        int[] rows = shape.length <= 1 ? new int[]{1, n, 1}
                : new int[]{(int) shape[0], (int) shape[1], n / Math.max(1, (int) (shape[0] * shape[1]))};
        if (rows[1] < 2) {
            throw new AmalgamException(method + ": tensor " + tensor + " has rows of " + rows[1]
                    + " entries along dimension 1; DELLA's rank normalisation divides by zero there (MergeKit fails too)");
        }
        return rows;
    }

    static double l1(FloatBuffer x) {
        double s = 0;
        for (int i = 0; i < x.limit(); i++) {
            s += Math.abs(x.get(i));
        }
        return s;
    }

    private static double l1(float[] x) {
        double s = 0;
        for (float v : x) {
            s += Math.abs(v);
        }
        return s;
    }
}
