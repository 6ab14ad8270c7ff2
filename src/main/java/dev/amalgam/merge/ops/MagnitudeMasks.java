package dev.amalgam.merge.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import dev.amalgam.merge.kernels.RankSelect;
import dev.amalgam.merge.kernels.StepViews;

import java.nio.FloatBuffer;

/**
 * Magnitude rank masks built with topK thresholds (never percentile: it fails above 16M elements).
 * Rank semantics are threshold based: an entry tied with a boundary value is treated like that value,
 * so with ties a band may hold a few more or fewer entries than the nominal count (reference code
 * picks among ties arbitrarily).
 */
public final class MagnitudeMasks {
    private MagnitudeMasks() {
    }

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
