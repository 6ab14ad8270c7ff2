package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.merge.ops.CounterRng;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * DELLA's MagPrune drop (docs/mergekit.md, "One engine for the task-arithmetic family"): each row along dimension 1 (a 1-D tensor is one row)
 * is ranked stably ascending by |x| (equal magnitudes by index), and the entry of rank r in a row of
 * len keeps with probability p_r = density − ε + 2ε·r/(len − 1), drawn from the counter generator at
 * the entry's flat index: kept iff bits53(i) &lt; ⌈p_r·2⁵³⌉.
 *
 * <p>Row form, without sorting the row: the keep thresholds rise with the rank, so an entry's draw
 * decides it from the rank range of its magnitude bucket alone (one histogram of 2048 buckets over
 * the row's range of magnitude bit patterns) unless the draw falls between the thresholds of the
 * bucket's lowest and highest rank. Only those few entries need their exact rank: the members of
 * their buckets are sorted by (magnitude, index). Zeros are left as they are (dropping a zero changes
 * nothing), but count in the ranks of the others.
 */
public final class RankedDrop {
    private static final int BUCKET_BITS = 11;

    private final int len;
    private final long[] keepBelow;
    private final float[] row;
    private final int[] keys;
    private final int[] digits;
    private final int[] count = new int[1 << BUCKET_BITS];
    private final int[] start = new int[1 << BUCKET_BITS];
    private final boolean[] flagged = new boolean[1 << BUCKET_BITS];
    private final long[] draws;
    private final int[] undecided;
    private final boolean[] pending;
    private long[] members;

    /** Scratch for rows of {@code len} ≥ 2 entries. */
    public RankedDrop(int len, double density, double eps) {
        this.len = len;
        keepBelow = thresholds(len, density, eps);
        row = new float[len];
        keys = new int[len];
        digits = new int[len];
        draws = new long[len];
        undecided = new int[len];
        pending = new boolean[len];
        members = new long[64];
    }

    /** ⌈p_r·2⁵³⌉ per rank r: uniform &lt; p_r with uniform = b·2⁻⁵³ is b &lt; ⌈p_r·2⁵³⌉ (scaling by 2⁵³ is exact). */
    public static long[] thresholds(int len, double density, double eps) {
        long[] t = new long[len];
        for (int r = 0; r < len; r++) {
            double p = (density - eps) + (double) r / (len - 1) * 2 * eps;
            t[r] = (long) Math.ceil(p * 0x1.0p53);
        }
        return t;
    }

    /**
     * Drops in place across x, viewed as [outer, len, inner] with rows along the middle axis; returns
     * {Σ|x| before, Σ|x| after} in F64, each summed in flat index order.
     */
    public double[] apply(FloatBuffer x, int outer, int inner, CounterRng rng) {
        int n = outer * len * inner;
        double before = inner == 1 ? 0 : l1(x, n);
        double after = 0;
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                if (inner == 1) {
                    x.get(base, row, 0, len);
                } else {
                    for (int j = 0; j < len; j++) {
                        row[j] = x.get(base + j * inner);
                    }
                }
                dropRow(base, inner, rng);
                if (inner == 1) {
                    x.put(base, row, 0, len);
                    // Both sums in one loop: two independent add chains instead of two loops of one.
                    for (int j = 0; j < len; j++) {
                        before += Float.intBitsToFloat(keys[j]);
                        after += Math.abs(row[j]);
                    }
                } else {
                    for (int j = 0; j < len; j++) {
                        x.put(base + j * inner, row[j]);
                    }
                }
            }
        }
        return new double[]{before, inner == 1 ? after : l1(x, n)};
    }

    private static double l1(FloatBuffer x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(x.get(i));
        }
        return s;
    }

    /** The drop of {@link #row} in place; entry j has flat index base + j·stride. */
    private void dropRow(int base, int stride, CounterRng rng) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        int zeros = 0;
        for (int j = 0; j < len; j++) {
            int k = Float.floatToRawIntBits(row[j]) & 0x7fffffff;
            keys[j] = k;
            if (k == 0) {
                zeros++;
            } else {
                min = Math.min(min, k);
                max = Math.max(max, k);
            }
        }
        if (zeros == len) {
            return; // keys hold the row's magnitudes, as the caller's sums expect
        }
        int shift = Math.max(0, 32 - Integer.numberOfLeadingZeros(max - min) - BUCKET_BITS);
        int buckets = ((max - min) >>> shift) + 1;
        Arrays.fill(count, 0, buckets, 0);
        for (int j = 0; j < len; j++) {
            int k = keys[j];
            int d = k == 0 ? -1 : (k - min) >>> shift;
            digits[j] = d;
            if (d >= 0) {
                count[d]++;
            }
        }
        int s = zeros;
        for (int d = 0; d < buckets; d++) {
            start[d] = s;
            s += count[d];
        }
        int open = 0;
        for (int j = 0; j < len; j++) {
            int d = digits[j];
            if (d < 0) {
                continue;
            }
            long b = rng.bits53(base + (long) j * stride);
            int lo = start[d];
            long keepLo = keepBelow[lo];
            long keepHi = keepBelow[lo + count[d] - 1];
            // Dropped whatever the rank within the bucket iff b ≥ keepHi; kept iff b < keepLo. Half the
            // entries go each way at random, so the drop is a mask, not a branch.
            int drop = (int) ((keepHi - 1 - b) >> 63);
            row[j] = Float.intBitsToFloat(Float.floatToRawIntBits(row[j]) & ~drop);
            if (((b - keepLo) | (keepHi - 1 - b)) >= 0) {
                draws[j] = b;
                pending[j] = true;
                undecided[open++] = j;
            }
        }
        if (open > 0) {
            decideByExactRank(open);
        }
    }

    /**
     * The undecided entries against their exact stable rank: every member of their buckets sorted by
     * (magnitude bits, index), which within a bucket is the rank order.
     */
    private void decideByExactRank(int open) {
        int size = 0;
        for (int u = 0; u < open; u++) {
            int d = digits[undecided[u]];
            if (!flagged[d]) {
                flagged[d] = true;
                size += count[d];
            }
        }
        if (members.length < size) {
            members = new long[Math.max(size, 2 * members.length)];
        }
        int m = 0;
        for (int j = 0; j < len; j++) {
            int d = digits[j];
            if (d >= 0 && flagged[d]) {
                members[m++] = ((long) keys[j] << 32) | j;
            }
        }
        Arrays.sort(members, 0, m);
        int previous = -1;
        int rank = 0;
        for (int p = 0; p < m; p++) {
            int j = (int) members[p];
            int d = digits[j];
            rank = d == previous ? rank + 1 : start[d];
            previous = d;
            if (pending[j] && draws[j] >= keepBelow[rank]) {
                row[j] = 0f;
            }
        }
        for (int u = 0; u < open; u++) {
            int j = undecided[u];
            pending[j] = false;
            flagged[digits[j]] = false;
        }
    }

    // ---- whole-array form ----

    /**
     * The drop of one tensor x, viewed as [outer, len, inner] with rows along the middle axis, as a new
     * array on x's device: the row form's ranks (from unique integer keys, (index of |x| among the
     * distinct magnitudes)·len + position in the row, so an unstable sort cannot reorder ties) and its
     * draws (made on the host from the same counters, uploaded once). Dropped entries become +0.
     */
    public static NDArray apply(NDArray x, int outer, int len, int inner, double density, double eps, CounterRng rng) {
        NDManager m = x.getManager();
        int n = outer * len * inner;
        long[] draws = new long[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> draws[i] = rng.bits53(i));
        NDArray rows = x.reshape(outer, len, inner).transpose(0, 2, 1);
        NDArray inverse = rows.abs().unique(null, true, true, false).get(1).toType(DataType.INT64, false)
                .reshape(outer, inner, len);
        NDArray key = inverse.mul(len).addi(m.arange(0, len, 1, DataType.INT64));
        NDArray rank = key.argSort(2).argSort(2);
        NDArray limit = m.create(thresholds(len, density, eps)).take(m, rank);
        NDArray keep = m.create(draws).reshape(outer, len, inner).transpose(0, 2, 1).lt(limit);
        NDArray dropped = NDArrays.where(keep, rows, rows.zerosLike());
        return dropped.transpose(0, 2, 1).reshape(x.getShape());
    }
}
