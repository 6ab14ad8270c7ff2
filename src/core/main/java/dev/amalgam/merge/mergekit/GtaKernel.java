package dev.amalgam.merge.mergekit;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.merge.stages.BracketSelect;
import dev.amalgam.merge.stages.Combine;
import dev.amalgam.merge.stages.Dropout;
import dev.amalgam.merge.stages.MagnitudeTrim;
import dev.amalgam.merge.stages.RankSelect;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.stages.TrimCombineKernel;
import dev.amalgam.merge.ops.MergeFunction;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Generalized task arithmetic on the engine's fused trim–elect–merge kernel ({@link TrimCombineKernel}):
 * the sparsifier becomes the kernel's drop (random) or magnitude trim (top-k, outlier band), the L1
 * rescale its per-task factors, the sign consensus its TIES combine. The same math as the staged float
 * path of {@link GeneralizedTaskArithmetic} (same draws, same element formulas, same order of float
 * operations), in one read of the task vectors and one write of the output.
 *
 * <p>Exact-count selections: a magnitude threshold keeps every entry equal to it, while MergeKit keeps
 * a fixed count. Before the kernel runs, the surplus entries equal to a band edge (named by the one-pass
 * {@link BracketSelect}, or counted after the radix select) are zeroed in the step's own task vectors,
 * in the order of the staged path's stable ranks, so the threshold trim keeps the same entries.
 */
final class GtaKernel {
    private GtaKernel() {
    }

    /** The resolved settings of one tensor. */
    record Settings(String method, double[] weights, double[] density, double[] gamma, double[] epsilon, boolean rescale,
                    boolean normalize, double lambda, long seed) {
    }

    /**
     * θ for this step, or null when the staged path has to run it: no kernel views, a count
     * consensus, normalisation without consensus, non-positive weights under dis-mean, a selection that
     * keeps nothing (the staged path reports it) or a NaN in a task vector.
     */
    static NDArray merge(GeneralizedTaskArithmetic.Variant variant, TensorStep step, Settings s) {
        StepViews v = step.views();
        GeneralizedTaskArithmetic.Consensus consensus = variant.consensus();
        if (v == null || stagedOnly(variant, s)) {
            return null;
        }
        int tasks = v.tasks();
        Dropout drop = null;
        MagnitudeTrim trim = null;
        float[] l1Factors = null;
        double[] l1Before = null;
        Sparsifier sp = variant.sparsifier();
        if (sp == Sparsifier.RANDOM) {
            double[] p = new double[tasks];
            for (int t = 0; t < tasks; t++) {
                p[t] = s.density()[t] >= 1 ? 0 : 1 - s.density()[t];
            }
            drop = Dropout.perTask(s.seed(), step.name(), p);
            if (s.rescale()) {
                // One pass draws the masks (replayed by the merge) and takes both L1 norms.
                double[][] norms = new double[tasks][];
                drop = drop.drawn(v, norms);
                l1Factors = factors(norms, s.density(), null);
            }
        } else if (sp == Sparsifier.MAGNITUDE || sp == Sparsifier.MAGNITUDE_OUTLIERS) {
            long[][] bands = bands(sp, s, v.n(), tasks);
            if (bands == null) {
                return null;
            }
            l1Before = new double[tasks];
            trim = trim(v, bands, l1Before, s.rescale());
            if (trim == null) {
                return null;
            }
        }
        float[] dellaFactors = null;
        if (sp == Sparsifier.DELLA_MAGPRUNE) {
            dellaFactors = della(step, v, s);
        }
        Combine combine = consensus == null ? Combine.sum()
                : Combine.ties(s.normalize() ? MergeFunction.DIS_MEAN : MergeFunction.DIS_SUM, s.weights(), 1f);
        TrimCombineKernel kernel = new TrimCombineKernel(drop, trim, s.weights(), combine);
        if (dellaFactors != null) {
            kernel = kernel.withFactors(dellaFactors);
        } else if (l1Factors != null) {
            kernel = kernel.withFactors(l1Factors);
        } else if (s.rescale() && sp != null) {
            kernel = kernel.withFactors(l1Factors(v, drop, trim, s.density(), l1Before));
        }
        return kernel.merge(v, step.manager(), step.base().getShape(), (float) s.lambda(), true);
    }

    /**
     * Whether only the staged path computes this configuration: a count consensus, normalisation
     * without consensus, or a weight that is not clearly positive under dis-mean (its divisor guard
     * equals MergeKit's "0 → 1" only when every weight is).
     */
    static boolean stagedOnly(GeneralizedTaskArithmetic.Variant variant, Settings s) {
        GeneralizedTaskArithmetic.Consensus consensus = variant.consensus();
        if (consensus == GeneralizedTaskArithmetic.Consensus.COUNT || (consensus == null && s.normalize())) {
            return true;
        }
        if (consensus != null && s.normalize()) {
            for (double w : s.weights()) {
                if (!(w >= 1e-6)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * DELLA's magnitude-ranked drop, in place on each task vector (tasks in parallel), and the L1 rescale
     * factors (all 1 without rescale), norms summed in index order as the staged path sums them.
     */
    private static float[] della(TensorStep step, StepViews v, Settings s) {
        float[] f = new float[v.tasks()];
        Arrays.fill(f, 1f);
        IntStream.range(0, v.tasks()).parallel().forEach(t -> {
            if (s.density()[t] >= 1) {
                return;
            }
            double[] l1 = Sparsifier.della(s.method(), step.name(), step.info().shape(), v.rows()[t], s.density()[t],
                    s.epsilon()[t], s.seed(), t);
            if (s.rescale() && l1[0] >= 1e-7 && l1[1] >= 1e-7) {
                f[t] = (float) (l1[0] / l1[1]);
            }
        });
        return f;
    }

    /**
     * Per task the kept ascending-rank band [lo, hi) as the staged path computes it, {0, n} for a task
     * left whole (density ≥ 1), or null when a task's band is empty (the staged path zeroes or refuses).
     */
    static long[][] bands(Sparsifier sp, Settings s, int n, int tasks) {
        long[][] out = new long[tasks][];
        for (int t = 0; t < tasks; t++) {
            if (s.density()[t] >= 1) {
                out[t] = new long[]{0, n};
                continue;
            }
            if (sp == Sparsifier.MAGNITUDE) {
                long k = (long) (s.density()[t] * n);
                out[t] = new long[]{n - k, n};
            } else {
                long target = (long) (s.density()[t] * n);
                long top = (long) (s.gamma()[t] * n);
                long bottom = n - target - top;
                if (bottom < 0) {
                    top += bottom;
                    bottom = 0;
                }
                out[t] = new long[]{bottom, top == 0 ? bottom : n - top};
            }
            if (out[t][0] >= out[t][1]) {
                return null;
            }
        }
        return out;
    }

    /**
     * The threshold trim of the bands: edges from the one-pass bracket selection ({@link BracketSelect}),
     * or for short vectors and bracket misses the radix select; surplus edge ties zeroed in place.
     * Magnitude top-k ranks equal magnitudes in reverse index order (the first ones are kept), the
     * outlier band in index order, as {@link RankBand} does. With {@code wantL1} the bracket pass also
     * fills l1Before with each task's ‖τ‖₁ (index order, before the zeroing).
     */
    private static MagnitudeTrim trim(StepViews v, long[][] bands, double[] l1Before, boolean wantL1) {
        int n = v.n();
        int tasks = v.tasks();
        float[][] lo = new float[tasks][1];
        float[][] hi = new float[tasks][1];
        long[][][] edges = new long[tasks][][];
        BracketSelect.Band[] bracketed = new BracketSelect.Band[tasks];
        java.util.Arrays.fill(l1Before, Double.NaN);
        IntStream.range(0, tasks).parallel().forEach(t -> {
            if (bands[t][0] == 0 && bands[t][1] == n) {
                return; // whole
            }
            bracketed[t] = BracketSelect.band(v.rows()[t], n, bands[t][0], bands[t][1], bands[t][1] == n, wantL1);
            if (bracketed[t] == null) {
                edges[t] = radixEdges(v.rows()[t], n, bands[t]);
            }
        });
        for (int t = 0; t < tasks; t++) {
            boolean whole = bands[t][0] == 0 && bands[t][1] == n;
            if (!whole && bracketed[t] == null && edges[t] == null) {
                return null; // a NaN: before any task vector was changed
            }
            hi[t][0] = Float.intBitsToFloat(0x7f800001); // above +inf: no upper bound
            if (bracketed[t] != null) {
                BracketSelect.Band b = bracketed[t];
                lo[t][0] = Float.intBitsToFloat(b.loKey());
                if (b.hiKey() != Integer.MAX_VALUE) {
                    hi[t][0] = Float.intBitsToFloat(b.hiKey() + 1);
                }
            } else if (!whole) {
                lo[t][0] = Float.intBitsToFloat((int) edges[t][0][0]);
                hi[t][0] = Float.intBitsToFloat((int) edges[t][1][0] + 1);
            }
        }
        IntStream.range(0, tasks).parallel().forEach(t -> {
            BracketSelect.Band b = bracketed[t];
            if (b != null) {
                FloatBuffer row = v.rows()[t];
                for (int i : b.surplus()) {
                    row.put(i, 0f);
                }
                l1Before[t] = b.l1();
            }
        });
        IntStream.range(0, tasks).parallel().forEach(t -> {
            long[][] c = edges[t];
            if (c == null) {
                return;
            }
            int vLo = (int) c[0][0];
            int vHi = (int) c[1][0];
            long bandLo = bands[t][0];
            long bandHi = bands[t][1];
            if (c[0].length == 3) {
                // The selection's histograms tell whether equal magnitudes straddle an edge.
                long lessLo = n - c[0][1] - c[0][2];
                long lessHi = n - c[1][1] - c[1][2];
                boolean surplus = (vLo != 0 && lessLo < bandLo) || (vHi != 0 && lessHi + c[1][2] > bandHi);
                if (!surplus) {
                    return;
                }
            }
            l1Before[t] = zeroSurplusTies(v.rows()[t], n, bandLo, bandHi, vLo, vHi, bandHi == n);
        });
        return new MagnitudeTrim(lo, hi, Math.max(1, n));
    }

    /**
     * The edges of one task's band from the radix select (with the histogram counts where the vector is
     * long enough), or null on a NaN.
     */
    private static long[][] radixEdges(FloatBuffer row, int n, long[] band) {
        // RankSelect ranks are 1-based from the largest: ascending rank a is descending rank n − a.
        long rLo = n - band[0];
        if (band[1] == n) {
            // top-k: no upper edge to select (the largest entry bounds nothing)
            long[][] c = RankSelect.withCounts(row, n, rLo);
            if (c == null) {
                float[][][] q = RankSelect.magnitudes(new StepViews(n, null, new FloatBuffer[]{row}), n, rLo);
                c = q == null ? null : new long[][]{{Float.floatToRawIntBits(q[0][0][0])}};
            }
            return c == null ? null : new long[][]{c[0], c[0].length == 3
                    ? new long[]{0x7f800000L, 0, 0} : new long[]{0x7f800000L}};
        }
        long rHi = n - band[1] + 1;
        long[][] c = RankSelect.withCounts(row, n, rLo, rHi);
        if (c == null) {
            float[][][] q = RankSelect.magnitudes(new StepViews(n, null, new FloatBuffer[]{row}), n, rLo, rHi);
            if (q != null) {
                c = new long[][]{{Float.floatToRawIntBits(q[0][0][0])}, {Float.floatToRawIntBits(q[1][0][0])}};
            }
        }
        return c;
    }

    /**
     * Zeroes the entries equal to a band edge whose stable ascending rank falls outside [lo, hi), so that
     * vLo ≤ |x| ≤ vHi then keeps exactly hi − lo entries. With {@code reverseTies} equal magnitudes rank
     * in reverse index order. A zero edge needs nothing: zeros contribute nothing to any combine. Returns
     * ‖row‖₁ before the zeroing, summed in index order.
     */
    private static double zeroSurplusTies(FloatBuffer row, int n, long lo, long hi, int vLo, int vHi, boolean reverseTies) {
        long lessLo = 0;
        long lessHi = 0;
        long equalLo = 0;
        long equalHi = 0;
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            float x = row.get(i);
            l1 += Math.abs(x);
            int a = Float.floatToRawIntBits(x) & 0x7fffffff;
            lessLo += a < vLo ? 1 : 0;
            lessHi += a < vHi ? 1 : 0;
            equalLo += a == vLo ? 1 : 0;
            equalHi += a == vHi ? 1 : 0;
        }
        boolean loSurplus = vLo != 0 && lessLo < lo;
        boolean hiSurplus = vHi != 0 && lessHi + equalHi > hi;
        if (!loSurplus && !hiSurplus) {
            return l1;
        }
        long seenLo = 0;
        long seenHi = 0;
        for (int step = 0; step < n; step++) {
            int i = reverseTies ? n - 1 - step : step;
            int a = Float.floatToRawIntBits(row.get(i)) & 0x7fffffff;
            if (a != vLo && a != vHi) {
                continue;
            }
            long rank = a == vLo ? lessLo + seenLo : lessHi + seenHi;
            if (a == vLo) {
                seenLo++;
            }
            if (a == vHi && vHi != vLo) {
                seenHi++;
            }
            if (rank < lo || rank >= hi) {
                row.put(i, 0f);
            }
        }
        return l1;
    }

    /**
     * MergeKit's L1 rescale per task: ‖τ‖₁ / ‖sparsified τ‖₁, 1 when either is below 1e-7 or the task is
     * whole. {@code before}: the norms taken before an in-place tie zeroing, or null to take them here.
     */
    private static float[] l1Factors(StepViews v, Dropout drop, MagnitudeTrim trim, double[] density, double[] before) {
        return factors(new TrimCombineKernel(drop, trim, null, Combine.sum()).l1Norms(v), density, before);
    }

    /** The rescale factors from per-task norms {before, after}; {@code before} overrides the first where not NaN. */
    private static float[] factors(double[][] norms, double[] density, double[] before) {
        float[] f = new float[norms.length];
        Arrays.fill(f, 1f);
        for (int t = 0; t < f.length; t++) {
            double b = before != null && !Double.isNaN(before[t]) ? before[t] : norms[t][0];
            if (density[t] < 1 && b >= 1e-7 && norms[t][1] >= 1e-7) {
                f[t] = (float) (b / norms[t][1]);
            }
        }
        return f;
    }
}
