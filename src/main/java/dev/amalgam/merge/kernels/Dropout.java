package dev.amalgam.merge.kernels;

import dev.amalgam.merge.ops.CounterRng;

/**
 * DARE's drop-and-rescale applied to chunks of task-vector values (docs/methods/merge-methods.md §5): element i of
 * task t is kept iff u(seed, tensor, t, i) ≥ p ({@link CounterRng}, so the mask is the one the
 * whole-array path draws), then divided by (1 − p) ({@code inverse}), multiplied by a per-task factor
 * ({@code l1}, from {@link #withFactors}) or left as is.
 */
public final class Dropout {
    public enum Rescale { INVERSE, FACTORS, NONE }

    private final CounterRng[] rngs;
    private final double[] p;
    private final Rescale rescale;
    private final float[] factors;

    private Dropout(CounterRng[] rngs, double[] p, Rescale rescale, float[] factors) {
        this.rngs = rngs;
        this.p = p;
        this.rescale = rescale;
        this.factors = factors;
    }

    /** @param rescale INVERSE or NONE (FACTORS comes from {@link #withFactors}) */
    public static Dropout of(long seed, String tensor, int tasks, double p, Rescale rescale) {
        double[] perTask = new double[tasks];
        java.util.Arrays.fill(perTask, p);
        return new Dropout(rngs(seed, tensor, tasks), perTask, rescale, null);
    }

    /** A drop probability per task (MergeKit's per-model density), no rescale. */
    public static Dropout perTask(long seed, String tensor, double[] p) {
        return new Dropout(rngs(seed, tensor, p.length), p.clone(), Rescale.NONE, null);
    }

    private static CounterRng[] rngs(long seed, String tensor, int tasks) {
        CounterRng[] rngs = new CounterRng[tasks];
        for (int t = 0; t < tasks; t++) {
            rngs[t] = new CounterRng(seed, tensor, t);
        }
        return rngs;
    }

    /** The same mask, with kept values multiplied by factors[t] instead. */
    public Dropout withFactors(float[] perTask) {
        return new Dropout(rngs, p, Rescale.FACTORS, perTask.clone());
    }

    /** The same mask with no rescaling (for norms of the masked vectors). */
    public Dropout unscaled() {
        return new Dropout(rngs, p, Rescale.NONE, null);
    }

    /** Drops (and rescales) x[0..len) = elements [start, start + len) of task t, in place. */
    void apply(int t, float[] x, long start, int len) {
        rngs[t].dropInPlace(x, start, len, p[t]);
        switch (rescale) {
            case INVERSE:
                float divisor = (float) (1.0 - p[t]);
                for (int j = 0; j < len; j++) {
                    x[j] = x[j] / divisor;
                }
                break;
            case FACTORS: {
                float f = factors[t];
                for (int j = 0; j < len; j++) {
                    x[j] = x[j] * f;
                }
                break;
            }
            default:
                break;
        }
    }
}
