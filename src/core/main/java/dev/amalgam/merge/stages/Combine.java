package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.merge.ops.MergeFunction;
import dev.amalgam.merge.ops.StepMasks;
import dev.amalgam.merge.ops.TaskReductions;

/**
 * How trimmed (and weighted) task-vector values x_t of one element become the merged delta
 * (docs/methods/merge-methods.md §2–3), elementwise:
 * <ul>
 *   <li>{@code sum}: Σ_t x_t (Task Arithmetic and its sparsified forms);</li>
 *   <li>TIES: s = sign(Σ_t x_t), a zero sum takes {@code zeroSign}; σ = +1 if s &gt; 0 else −1;
 *   dis-sum Σ_t [x_tσ &gt; 0] x_t, dis-mean the same over Σ_t [x_tσ &gt; 0] w_t (1 when below 1e-8),
 *   dis-max s · max(0, max_t x_tσ).</li>
 * </ul>
 * Two forms of the same formulas side by side: the chunk form the fused kernels run on Java arrays
 * ({@link #apply(float[][], int, int, float[], float[], float[])}) and the whole-array form on a stacked
 * [T, ...] array on any device ({@link #apply(NDArray)}).
 */
public final class Combine {
    private static final float DIVISOR_EPS = 1e-8f;

    private final MergeFunction fn;
    private final double[] weightValues;
    private final float[] weights;
    private final float zeroSign;
    /** Whether every dis-mean weight is finite (the vectorised form needs w·0 = 0). */
    private final boolean finiteWeights;

    private Combine(MergeFunction fn, double[] weights, float zeroSign) {
        this.fn = fn;
        this.weightValues = weights;
        this.weights = weights == null ? null : toFloats(weights);
        this.zeroSign = zeroSign;
        boolean finite = true;
        for (int t = 0; weights != null && t < weights.length; t++) {
            finite &= Float.isFinite(this.weights[t]);
        }
        this.finiteWeights = finite;
    }

    /** Σ_t x_t. */
    public static Combine sum() {
        return new Combine(null, null, 0f);
    }

    /**
     * TIES election and disjoint merge; weights (null = all 1) are the ones already in x, for dis-mean.
     * {@code zeroSign} is the sign given to entries whose summed mass is exactly 0: the global majority
     * sign for the original TIES, +1 for MergeKit's "sum" consensus (Σ ≥ 0 → +1); 0 reproduces the
     * original's behaviour when the majority itself is 0 (keep negatives; dis-max gives 0).
     */
    public static Combine ties(MergeFunction fn, double[] weights, float zeroSign) {
        return new Combine(fn, weights, zeroSign);
    }

    // ---- whole-array form ----

    /** delta from the stacked [T, ...] trimmed and weighted task vectors. */
    public NDArray apply(NDArray stacked) {
        if (fn == null) {
            return stacked.sum(new int[]{0});
        }
        NDArray s = rawSign(stacked);
        if (zeroSign != 0f) {
            s = s.add(s.eq(0).toType(DataType.FLOAT32, false).mul(zeroSign));
        }
        NDArray selSign = s.gt(0).toType(DataType.FLOAT32, false).mul(2f).sub(1f);
        // aligned = x_t·σ (σ = ±1, exact); an entry is selected iff aligned > 0, and then
        // |sel_t| = aligned and sel_t = aligned·σ, so max(aligned, 0)·σ is sel_t without a mask array.
        NDArray aligned = stacked.mul(selSign);
        switch (fn) {
            case DIS_SUM:
                return aligned.maximum(0f).muli(selSign).sum(new int[]{0});
            case DIS_MEAN: {
                NDArray keep = StepMasks.positiveInPlace(aligned);
                NDArray den = weightValues == null ? keep.sum(new int[]{0}) : TaskReductions.weightedSum(keep, weightValues);
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

    /**
     * delta from the trimmed and weighted task vectors x[t] (whole arrays, any device) with the chunk
     * form's float operations in the chunk form's order (tasks summed one by one from +0, the same
     * guards), so the result is bit-identical to it; {@link #apply(NDArray)} sums with libtorch
     * reductions instead.
     */
    public NDArray applyInOrder(NDArray[] x) {
        NDArray sum = x[0].zerosLike();
        for (NDArray xt : x) {
            sum = sum.add(xt);
        }
        if (fn == null) {
            return sum;
        }
        if (fn == MergeFunction.DIS_MAX) {
            throw new IllegalArgumentException("dis-max has no in-order whole-array form");
        }
        NDArray zero = sum.zerosLike();
        NDArray positive = zeroSign > 0f ? sum.gte(0f) : sum.gt(0f);
        NDArray sel = ai.djl.ndarray.NDArrays.where(positive, zero.add(1f), zero.sub(1f));
        NDArray delta = zero;
        NDArray den = zero;
        for (int t = 0; t < x.length; t++) {
            NDArray agree = x[t].mul(sel).gt(0f);
            delta = delta.add(ai.djl.ndarray.NDArrays.where(agree, x[t], zero));
            if (fn == MergeFunction.DIS_MEAN) {
                den = den.add(ai.djl.ndarray.NDArrays.where(agree, zero.add(weights == null ? 1f : weights[t]), zero));
            }
        }
        if (fn == MergeFunction.DIS_SUM) {
            return delta;
        }
        return delta.div(ai.djl.ndarray.NDArrays.where(den.abs().lt(DIVISOR_EPS), zero.add(1f), den));
    }

    /** The elected sign sign(Σ_t x_t) before the zero fallback, shape of one tensor. */
    public static NDArray rawSign(NDArray stacked) {
        return stacked.sum(new int[]{0}).sign();
    }

    /** Σ over entries of sign values (positives minus negatives), exact in 64-bit. */
    public static long signSum(NDArray sign) {
        long pos = sign.gt(0).toType(DataType.INT64, false).sum().getLong();
        long neg = sign.lt(0).toType(DataType.INT64, false).sum().getLong();
        return pos - neg;
    }

    // ---- chunk form ----

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
        applySummed(x, tasks, len, sum, sel, delta);
    }

    /** {@link #apply} with sum[0..len) already holding {@link #sumTasks}' result (overwritten). */
    void applySummed(float[][] x, int tasks, int len, float[] sum, float[] sel, float[] delta) {
        if (fn == null) {
            System.arraycopy(sum, 0, delta, 0, len);
            return;
        }
        if ((fn == MergeFunction.DIS_SUM || fn == MergeFunction.DIS_MEAN) && finiteWeights && !Bits.anyNaN(sum, len)) {
            disjointNoNaN(x, tasks, len, sum, sel, delta);
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
                divideByGuarded(delta, den, len);
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

    /**
     * Dis-sum and dis-mean when no x_t[j] is NaN (a NaN in any x_t makes Σ NaN), in float operations
     * the JIT vectorises; bit-identical to the mask form above. With σ = ±1, a = x_t·σ is exact, so
     * max(a, 0)·σ is x_t where a &gt; 0 and ±0 elsewhere; the accumulators start at +0 and a finite sum
     * is never −0, so adding −0 instead of +0 changes no bit. [a &gt; 0] is {@link Bits#indicator}; with
     * finite weights, w·[a &gt; 0] is w or ±0.
     */
    private void disjointNoNaN(float[][] x, int tasks, int len, float[] sum, float[] sel, float[] delta) {
        if (zeroSign > 0f) {
            for (int j = 0; j < len; j++) {
                sel[j] = 1f - 2f * Bits.indicator(Math.max(-sum[j], 0f)); // −1 only where Σ < 0
            }
        } else {
            for (int j = 0; j < len; j++) {
                sel[j] = 2f * Bits.indicator(Math.max(sum[j], 0f)) - 1f; // +1 only where Σ > 0
            }
        }
        java.util.Arrays.fill(delta, 0, len, 0f);
        if (fn == MergeFunction.DIS_SUM) {
            for (int t = 0; t < tasks; t++) {
                float[] xt = x[t];
                for (int j = 0; j < len; j++) {
                    float s = sel[j];
                    delta[j] += Math.max(xt[j] * s, 0f) * s;
                }
            }
            return;
        }
        float[] den = sum;
        java.util.Arrays.fill(den, 0, len, 0f);
        for (int t = 0; t < tasks; t++) {
            float[] xt = x[t];
            float w = weights == null ? 1f : weights[t];
            for (int j = 0; j < len; j++) {
                float s = sel[j];
                float a = Math.max(xt[j] * s, 0f);
                delta[j] += a * s;
                den[j] += w * Bits.indicator(a);
            }
        }
        // den is non-NaN here (w finite): den·g + (1 − g) with g = [|den| ≥ 1e-8] is den or exactly 1.
        float belowEps = Math.nextDown(DIVISOR_EPS);
        for (int j = 0; j < len; j++) {
            float g = Bits.indicator(Math.max(Math.abs(den[j]) - belowEps, 0f));
            delta[j] = delta[j] / (den[j] * g + (1f - g));
        }
    }

    /** delta[j] / den[j], with 1 for a divisor below 1e-8 in magnitude. */
    private static void divideByGuarded(float[] delta, float[] den, int len) {
        for (int j = 0; j < len; j++) {
            delta[j] = delta[j] / (Math.abs(den[j]) < DIVISOR_EPS ? 1f : den[j]);
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
