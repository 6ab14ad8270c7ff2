package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.stages.BracketSelect;
import dev.amalgam.merge.stages.RankSelect;
import dev.amalgam.merge.stages.StepViews;

import java.nio.FloatBuffer;

/**
 * Keeps the entries of a vector whose rank by magnitude lies in a band — the selection under MergeKit's
 * magnitude (top-k), magnitude_outliers (Breadcrumbs) and SCE sparsifiers. Ranks are ascending by |x|
 * and stable (equal magnitudes rank by index), so exactly {@code to − from} entries are kept; MergeKit's
 * sort order among exactly equal magnitudes is unspecified, so only such ties can differ from it.
 * Two O(n) selections and one pass; no sort.
 */
final class RankBand {
    private RankBand() {
    }

    /** Zeroes the entries of x (from .. from+n) whose ascending magnitude rank is outside [lo, hi). */
    static void keep(float[] x, int from, int n, long lo, long hi) {
        keep(x, from, n, lo, hi, false);
    }

    /**
     * The k largest magnitudes, equal ones taken in index order (a stable descending sort, which is
     * how MergeKit's argsort/topk order ties on CPU in practice).
     */
    static void keepLargest(float[] x, int from, int n, long k) {
        keep(x, from, n, n - k, n, true);
    }

    /** As {@link #keep}, with equal magnitudes ranked in reverse index order when {@code reverseTies}. */
    static void keep(float[] x, int from, int n, long lo, long hi, boolean reverseTies) {
        if (lo <= 0 && hi >= n) {
            return;
        }
        if (lo >= hi) {
            java.util.Arrays.fill(x, from, from + n, 0f);
            return;
        }
        int[] edges = edges(x, from, n, lo, hi);
        int vLo = edges[0];
        int vHi = edges[1];
        long lessLo = 0;
        long lessHi = 0;
        for (int i = from; i < from + n; i++) {
            int v = Float.floatToRawIntBits(x[i]) & 0x7fffffff;
            if (v < vLo) {
                lessLo++;
            }
            if (v < vHi) {
                lessHi++;
            }
        }
        long seenLo = 0;
        long seenHi = 0;
        for (int step = 0; step < n; step++) {
            int i = from + (reverseTies ? n - 1 - step : step);
            int v = Float.floatToRawIntBits(x[i]) & 0x7fffffff;
            boolean keep;
            if (v < vLo || v > vHi) {
                keep = false;
            } else if (v > vLo && v < vHi) {
                keep = true;
            } else {
                // Equal to a band edge: its stable rank is (entries below) + (equal entries before it).
                long rank = v == vLo ? lessLo + seenLo : lessHi + seenHi;
                if (v == vLo) {
                    seenLo++;
                }
                if (v == vHi && vHi != vLo) {
                    seenHi++;
                }
                keep = rank >= lo && rank < hi;
            }
            if (!keep) {
                x[i] = 0f;
            }
        }
    }

    /**
     * The |x| bit patterns at ascending ranks lo and hi − 1: the radix select of the fused kernels on long
     * vectors (no copies), a quickselect on shorter ones or when a NaN is present.
     */
    private static int[] edges(float[] x, int from, int n, long lo, long hi) {
        if (n >= RankSelect.RADIX_MIN_PUBLIC) {
            StepViews v = new StepViews(n, null, new FloatBuffer[]{FloatBuffer.wrap(x, from, n).slice()});
            // RankSelect ranks are 1-based from the largest: ascending rank a is descending rank n − a.
            float[][][] r = RankSelect.magnitudes(v, n, n - lo, n - hi + 1);
            if (r != null) {
                return new int[]{Float.floatToRawIntBits(r[0][0][0]) & 0x7fffffff, Float.floatToRawIntBits(r[1][0][0]) & 0x7fffffff};
            }
        }
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.floatToRawIntBits(x[from + i]) & 0x7fffffff;
        }
        int vLo = (int) selectLong(a, (int) lo);
        int vHi = (int) selectLong(a, (int) (hi - 1));
        return new int[]{vLo, vHi};
    }

    /**
     * A mask of the k largest of non-negative doubles, equal values taken in index order (SCE's variance
     * selection, kept in double so that values equal in exact arithmetic stay equal).
     */
    static boolean[] largest(double[] v, long k) {
        int n = v.length;
        boolean[] keep = new boolean[n];
        if (k <= 0) {
            return keep;
        }
        if (k >= n) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
            bits[i] = Double.doubleToRawLongBits(Math.abs(v[i]));
        }
        long[] work = bits.clone();
        long cut = selectLong(work, (int) (n - k));
        long above = 0;
        for (long b : bits) {
            if (b > cut) {
                above++;
            }
        }
        long equalKept = k - above;
        for (int i = 0; i < n; i++) {
            if (bits[i] > cut) {
                keep[i] = true;
            } else if (bits[i] == cut && equalKept > 0) {
                keep[i] = true;
                equalKept--;
            }
        }
        return keep;
    }

    /** The k-th smallest value (0-based) of a, which is reordered. */
    private static long selectLong(long[] a, int k) {
        return BracketSelect.selectLong(a, a.length, k);
    }

}
