package dev.amalgam.merge.kernels;

import dev.amalgam.merge.ops.MergeFunction;

/**
 * How trimmed (and weighted) task-vector values x_t of one element become the merged delta
 * (merge-methods.md §2–3), elementwise:
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

    /** delta[j] for j in [0, len) from x[t][j]; {@code sum} is scratch of at least len floats. */
    void apply(float[][] x, int tasks, int len, float[] sum, float[] delta) {
        java.util.Arrays.fill(sum, 0, len, 0f);
        for (int t = 0; t < tasks; t++) {
            float[] xt = x[t];
            for (int j = 0; j < len; j++) {
                sum[j] += xt[j];
            }
        }
        if (fn == null) {
            System.arraycopy(sum, 0, delta, 0, len);
            return;
        }
        for (int j = 0; j < len; j++) {
            float s = Math.signum(sum[j]);
            if (s == 0f) {
                s = zeroSign;
            }
            float sel = s > 0f ? 1f : -1f;
            switch (fn) {
                case DIS_SUM: {
                    float acc = 0f;
                    for (int t = 0; t < tasks; t++) {
                        float v = x[t][j];
                        acc += v * sel > 0f ? v : 0f;
                    }
                    delta[j] = acc;
                    break;
                }
                case DIS_MEAN: {
                    float acc = 0f;
                    float den = 0f;
                    for (int t = 0; t < tasks; t++) {
                        float v = x[t][j];
                        if (v * sel > 0f) {
                            acc += v;
                            den += weights == null ? 1f : weights[t];
                        }
                    }
                    delta[j] = acc / (Math.abs(den) < DIVISOR_EPS ? 1f : den);
                    break;
                }
                case DIS_MAX: {
                    float best = 0f;
                    for (int t = 0; t < tasks; t++) {
                        best = Math.max(best, x[t][j] * sel);
                    }
                    delta[j] = best * s;
                    break;
                }
                default:
                    throw new IllegalStateException(fn.toString());
            }
        }
    }

    /** Σ_j sign(Σ_t x_t[j]) over [0, len): the TIES majority-sign statistic (no zero fallback). */
    static long signSum(float[][] x, int tasks, int len, float[] sum) {
        java.util.Arrays.fill(sum, 0, len, 0f);
        for (int t = 0; t < tasks; t++) {
            float[] xt = x[t];
            for (int j = 0; j < len; j++) {
                sum[j] += xt[j];
            }
        }
        long total = 0;
        for (int j = 0; j < len; j++) {
            total += sum[j] > 0f ? 1 : sum[j] < 0f ? -1 : 0;
        }
        return total;
    }
}
