package dev.amalgam.merge.kernels;

import dev.amalgam.merge.ops.MergeFunction;

/**
 * How trimmed (and weighted) task-vector values x_t of one element become the merged delta
 * (docs/methods/merge-methods.md §2–3), elementwise:
 * <ul>
 *   <li>{@code sum}: Σ_t x_t (Task Arithmetic and its sparsified forms);</li>
 *   <li>TIES: s = sign(Σ_t x_t), a zero sum takes {@code zeroSign}; σ = +1 if s &gt; 0 else −1;
 *   dis-sum Σ_t [x_tσ &gt; 0] x_t, dis-mean the same over Σ_t [x_tσ &gt; 0] w_t (1 when below 1e-8),
 *   dis-max s · max(0, max_t x_tσ).</li>
 * </ul>
 * The same element formulas as {@link dev.amalgam.merge.ops.TiesCombine} (the whole-array form).
 */
public final class Combine {
    private static final float DIVISOR_EPS = 1e-8f;

    private final MergeFunction fn;
    private final float[] weights;
    private final float zeroSign;

    private Combine(MergeFunction fn, float[] weights, float zeroSign) {
        this.fn = fn;
        this.weights = weights;
        this.zeroSign = zeroSign;
    }

    /** Σ_t x_t. */
    public static Combine sum() {
        return new Combine(null, null, 0f);
    }

    /** TIES election and disjoint merge; weights (null = all 1) are the ones already in x, for dis-mean. */
    public static Combine ties(MergeFunction fn, double[] weights, float zeroSign) {
        return new Combine(fn, weights == null ? null : toFloats(weights), zeroSign);
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * delta[j] for j in [0, len) from x[t][j]; {@code sum} and {@code sel} are scratch of at least len
     * floats. Loops run over elements innermost with mask arithmetic ({@link Bits}) instead of branches.
     */
    void apply(float[][] x, int tasks, int len, float[] sum, float[] sel, float[] delta) {
        sumTasks(x, tasks, len, sum);
        if (fn == null) {
            System.arraycopy(sum, 0, delta, 0, len);
            return;
        }
        // σ = +1 where Σ > 0, or Σ = 0 and the zero sign is +1; else −1.
        int zeroPositive = zeroSign > 0f ? -1 : 0;
        for (int j = 0; j < len; j++) {
            sel[j] = Bits.plusMinusOne(Bits.positive(sum[j]) | (Bits.zero(sum[j]) & zeroPositive));
        }
        java.util.Arrays.fill(delta, 0, len, 0f);
        switch (fn) {
            case DIS_SUM:
                for (int t = 0; t < tasks; t++) {
                    float[] xt = x[t];
                    for (int j = 0; j < len; j++) {
                        delta[j] += Bits.keep(xt[j], Bits.positive(xt[j] * sel[j]));
                    }
                }
                break;
            case DIS_MEAN: {
                float[] den = sum;
                java.util.Arrays.fill(den, 0, len, 0f);
                for (int t = 0; t < tasks; t++) {
                    float[] xt = x[t];
                    float w = weights == null ? 1f : weights[t];
                    for (int j = 0; j < len; j++) {
                        int agree = Bits.positive(xt[j] * sel[j]);
                        delta[j] += Bits.keep(xt[j], agree);
                        den[j] += Bits.keep(w, agree);
                    }
                }
                for (int j = 0; j < len; j++) {
                    delta[j] = delta[j] / (Math.abs(den[j]) < DIVISOR_EPS ? 1f : den[j]);
                }
                break;
            }
            case DIS_MAX: {
                for (int t = 0; t < tasks; t++) {
                    float[] xt = x[t];
                    for (int j = 0; j < len; j++) {
                        delta[j] = Math.max(delta[j], xt[j] * sel[j]);
                    }
                }
                for (int j = 0; j < len; j++) {
                    float s = Math.signum(sum[j]);
                    delta[j] = delta[j] * (s == 0f ? zeroSign : s);
                }
                break;
            }
            default:
                throw new IllegalStateException(fn.toString());
        }
    }

    /** sum[j] = Σ_t x_t[j] for j in [0, len), tasks summed in order (the sum every kernel elects on). */
    static void sumTasks(float[][] x, int tasks, int len, float[] sum) {
        java.util.Arrays.fill(sum, 0, len, 0f);
        for (int t = 0; t < tasks; t++) {
            float[] xt = x[t];
            for (int j = 0; j < len; j++) {
                sum[j] += xt[j];
            }
        }
    }

    /** Σ_j sign(Σ_t x_t[j]) over [0, len): the TIES majority-sign statistic (no zero fallback). */
    static long signSum(float[][] x, int tasks, int len, float[] sum) {
        sumTasks(x, tasks, len, sum);
        long total = 0;
        for (int j = 0; j < len; j++) {
            total += Bits.positive(sum[j]) - Bits.positive(-sum[j]);
        }
        return -total;
    }
}
