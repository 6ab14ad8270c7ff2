package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.ops.StepMasks;

import java.nio.FloatBuffer;

/**
 * Which entries of each task vector survive a magnitude trim: entry i of task t, lying in segment
 * s = i / segment (a row of the tensor, or the whole tensor), is kept iff
 * lo[t][s] ≤ |τ_t[i]| and, when hi is given, |τ_t[i]| &lt; hi[t][s]. A NaN bound keeps nothing.
 * Thresholds come from exact rank selections (TIES top-k, Breadcrumbs bands), so the trim of a
 * kernel equals the mask the whole-array path builds.
 *
 * <p>Two forms side by side: the chunk form the fused kernels run ({@link #apply(int, float[], int, int)})
 * and the whole-array form on any device (the static {@code band}/{@code keep…} methods below, thresholds
 * from topK — never percentile, which fails above 16M elements — or the same radix select). Whole-array
 * rank semantics are threshold based: an entry tied with a boundary value is treated like that value.
 */
public final class MagnitudeTrim {
    private final float[][] lo;
    private final float[][] hi;
    private final int segment;

    /**
     * @param lo      lower bounds [T][segments] (inclusive)
     * @param hi      upper bounds [T][segments] (exclusive), or null for none
     * @param segment elements per segment (n for one bound per task)
     */
    public MagnitudeTrim(float[][] lo, float[][] hi, int segment) {
        if (segment <= 0) {
            throw new IllegalArgumentException("segment must be positive");
        }
        this.lo = lo;
        this.hi = hi;
        this.segment = segment;
    }

    /** One inclusive lower bound per task over the whole tensor (TIES global or per-tensor top-k). */
    public static MagnitudeTrim atLeast(float[] perTask, int n) {
        float[][] lo = new float[perTask.length][];
        for (int t = 0; t < lo.length; t++) {
            lo[t] = new float[]{perTask[t]};
        }
        return new MagnitudeTrim(lo, null, Math.max(1, n));
    }

    /**
     * The same trim in float operations the JIT vectorises, for a kernel that checks its result: equal to
     * {@link #apply} wherever the output is not NaN, except that a trimmed negative entry becomes −0
     * instead of +0 (no sum, TIES combine or L1 norm can tell). Where x holds a NaN, or an infinity that
     * meets an upper bound, the output holds a NaN and the caller redoes the chunk with {@link #apply}.
     * Returns false, having changed nothing, when a bound of task t is negative or NaN-valued in a way
     * this form does not reproduce.
     */
    boolean applyUnlessNaN(int t, float[] x, int start, int len) {
        int sFirst = start / segment;
        int sLast = (start + len - 1) / segment;
        for (int s = sFirst; s <= sLast; s++) {
            int l = Float.floatToRawIntBits(lo[t][s]);
            int h = hi == null ? -1 : Float.floatToRawIntBits(hi[t][s]);
            if (l < 0 || l > Bits.INF || (hi != null && h < 0)) {
                return false;
            }
        }
        int j = 0;
        while (j < len) {
            int s = (start + j) / segment;
            int end = Math.min(len, (s + 1) * segment - start);
            // |x| ≥ lo ⇔ |x| − nextDown(lo) > 0: a difference of distinct floats is never 0 and keeps its sign.
            float below = Math.nextDown(lo[t][s]);
            int h = hi == null ? Bits.INF + 1 : Float.floatToRawIntBits(hi[t][s]);
            if (h > Bits.INF) { // a NaN upper bound: every non-NaN magnitude is below it
                for (; j < end; j++) {
                    float v = x[j];
                    x[j] = v * Bits.indicator(Math.max(Math.abs(v) - below, 0f));
                }
            } else {
                float upper = hi[t][s];
                for (; j < end; j++) {
                    float v = x[j];
                    float a = Math.abs(v);
                    x[j] = v * (Bits.indicator(Math.max(a - below, 0f)) * Bits.indicator(Math.max(upper - a, 0f)));
                }
            }
        }
        return true;
    }

    /** Sets x[j] = 0 for the trimmed entries of task t among elements [start, start + len). */
    void apply(int t, float[] x, int start, int len) {
        int j = 0;
        while (j < len) {
            int s = (start + j) / segment;
            int end = Math.min(len, (s + 1) * segment - start);
            int l = Float.floatToRawIntBits(lo[t][s]);
            if (hi == null) {
                for (; j < end; j++) {
                    int a = Float.floatToRawIntBits(x[j]) & Bits.ABS;
                    x[j] = Bits.keep(x[j], Bits.atLeast(a, l));
                }
            } else {
                int h = Float.floatToRawIntBits(hi[t][s]);
                for (; j < end; j++) {
                    int a = Float.floatToRawIntBits(x[j]) & Bits.ABS;
                    x[j] = Bits.keep(x[j], Bits.atLeast(a, l) & Bits.greater(h, a));
                }
            }
        }
    }

    // ---- whole-array form ----

    /**
     * F32 0/1 mask of x's shape viewed as rows along the last axis ([rows, cols]): 1 where the row
     * rank of |x| (0 = largest) lies in [skipTop, skipTop + keep). {@code rowWise=false} treats the
     * flattened tensor as one row.
     */
    public static NDArray band(NDArray x, boolean rowWise, long skipTop, long keep) {
        Shape shape = x.getShape();
        long n = shape.size();
        long cols = rowWise && shape.dimension() > 0 ? shape.get(shape.dimension() - 1) : n;
        if (keep <= 0 || cols == 0 || skipTop >= cols) {
            return x.zerosLike();
        }
        long hiRank = Math.min(cols, skipTop + keep);
        long rows = n / cols;
        NDArray abs = x.abs().reshape(rows, cols);
        NDArray[] bounds = cols >= RADIX_MIN_COLS && StepViews.fits(n) ? radixBounds(x, rows, cols, skipTop, hiRank) : null;
        if (bounds == null) {
            NDArray values = abs.topK((int) hiRank, 1, true, true).get(0);
            bounds = new NDArray[]{values.get(new NDIndex(":, " + (hiRank - 1))).expandDims(1),
                    skipTop > 0 ? values.get(new NDIndex(":, " + (skipTop - 1))).expandDims(1) : null};
        }
        NDArray mask = abs.gte(bounds[0]);
        if (skipTop > 0) {
            mask = mask.logicalAnd(abs.lt(bounds[1]));
        }
        return mask.toType(DataType.FLOAT32, false).reshape(shape);
    }

    /** Rows at least this long get their rank thresholds from a radix select instead of a top-k sort. */
    static final long RADIX_MIN_COLS = 1 << 16;

    /**
     * {hiRank-th largest |x|, skipTop-th largest |x| or null} per row as [rows, 1] arrays, by an exact
     * selection over x's bit patterns ({@link RankSelect}); null when x holds a NaN.
     */
    private static NDArray[] radixBounds(NDArray x, long rows, long cols, long skipTop, long hiRank) {
        StepViews view = new StepViews((int) (rows * cols), null, new FloatBuffer[]{StepViews.floats(x)});
        float[][][] t = skipTop > 0 ? RankSelect.magnitudes(view, (int) cols, hiRank, skipTop)
                : RankSelect.magnitudes(view, (int) cols, hiRank);
        if (t == null) {
            return null;
        }
        NDManager m = x.getManager();
        return new NDArray[]{m.create(t[0][0]).reshape(rows, 1), skipTop > 0 ? m.create(t[1][0]).reshape(rows, 1) : null};
    }

    /**
     * MergeKit's exact-count band on any device: x with every entry zeroed (+0) whose stable ascending
     * rank by |x| over the flattened tensor lies outside [lo, hi); equal magnitudes rank by index, or by
     * reverse index with {@code reverseTies} (top-k keeps the first of equal magnitudes). The chunk
     * form's ranks, from sorted integer keys: (index of |x| among the distinct magnitudes)·n + tie rank.
     */
    public static NDArray keepRankBand(NDArray x, long lo, long hi, boolean reverseTies) {
        long n = x.getShape().size();
        if (lo <= 0 && hi >= n) {
            return x;
        }
        if (lo >= hi) {
            return x.zerosLike();
        }
        NDManager m = x.getManager();
        NDArray flat = x.reshape(n);
        NDArray inverse = flat.abs().unique(null, true, true, false).get(1).toType(DataType.INT64, false);
        NDArray index = m.arange(0, n, 1, DataType.INT64);
        NDArray tie = reverseTies ? index.neg().addi(n - 1) : index;
        NDArray key = inverse.reshape(n).mul(n).addi(tie);
        NDArray sorted = key.sort();
        long keyLo = sorted.get(lo).getLong();
        long keyHi = sorted.get(hi - 1).getLong();
        NDArray keep = key.gte(keyLo).logicalAnd(key.lte(keyHi));
        return ai.djl.ndarray.NDArrays.where(keep, flat, flat.zerosLike()).reshape(x.getShape());
    }

    /** x ⊙ [|x| ≥ threshold]. */
    public static NDArray keepAtLeast(NDArray x, float threshold) {
        return x.mul(x.abs().gte(threshold).toType(DataType.FLOAT32, false));
    }

    /** x ⊙ [|x| ≥ thresholds], thresholds broadcasting against x (e.g. one per row of a stacked [T, ...]). */
    public static NDArray keepAtLeast(NDArray x, NDArray thresholds) {
        return StepMasks.nonNegativeInPlace(x.abs().subi(thresholds)).muli(x);
    }

    /** {@link #keepTopFraction} applied to each row x[t] of a stacked [T, ...] array, in one top-k. */
    public static NDArray keepTopFractionPerRow(NDArray stacked, double density) {
        if (density >= 1.0) {
            return stacked;
        }
        Shape shape = stacked.getShape();
        long rows = shape.get(0);
        long n = rows == 0 ? 0 : shape.size() / rows;
        NDArray flat = stacked.reshape(rows, n);
        return band(flat, true, 0, (long) (density * n)).muli(flat).reshape(shape);
    }

    /** MergeKit per-tensor magnitude trim: keep the top int(density·n) entries by |x| (density ≥ 1: x). */
    public static NDArray keepTopFraction(NDArray x, double density) {
        if (density >= 1.0) {
            return x;
        }
        long n = x.getShape().size();
        long k = (long) (density * n);
        return x.mul(band(x, false, 0, k));
    }
}
