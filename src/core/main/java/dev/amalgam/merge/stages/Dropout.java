package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.ops.CounterRng;
import dev.amalgam.merge.ops.TaskReductions;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * DARE's drop-and-rescale applied to chunks of task-vector values (docs/methods/merge-methods.md §5): element i of
 * task t is kept iff u(seed, tensor, t, i) ≥ p ({@link CounterRng}, so the mask is the one the
 * whole-array path draws), then divided by (1 − p) ({@code inverse}), multiplied by a per-task factor
 * ({@code l1}, from {@link #withFactors}) or left as is.
 *
 * <p>Two forms side by side: the chunk form the fused kernels run ({@link #apply(int, float[], long, int)})
 * and the whole-array form on a stacked [T, ...] array on any device ({@link #apply(NDArray)}); both
 * draw the same mask.
 */
public final class Dropout {
    public enum Rescale { INVERSE, FACTORS, NONE }

    private final CounterRng[] rngs;
    private final double[] p;
    private final Rescale rescale;
    private final float[] factors;
    /** The keep-masks drawn once as bits ([task][word]), or null to draw while applying. */
    private final long[][] bits;

    private Dropout(CounterRng[] rngs, double[] p, Rescale rescale, float[] factors) {
        this(rngs, p, rescale, factors, null);
    }

    private Dropout(CounterRng[] rngs, double[] p, Rescale rescale, float[] factors, long[][] bits) {
        this.rngs = rngs;
        this.p = p;
        this.rescale = rescale;
        this.factors = factors;
        this.bits = bits;
    }

    /**
     * The same drop with every task's keep-mask over n elements drawn now, as bits (n/8 bytes a task), so
     * that several passes over one tensor (an L1 norm, then the merge) draw the generator once.
     */
    public Dropout drawn(int n) {
        int words = (n + 63) >>> 6;
        long[][] b = new long[rngs.length][words];
        int chunks = (n + ChunkedPass.CHUNK - 1) / ChunkedPass.CHUNK;
        IntStream.range(0, rngs.length * chunks).parallel().forEach(job -> {
            int t = job / chunks;
            int start = (job % chunks) * ChunkedPass.CHUNK;
            rngs[t].keepBits(b[t], start, Math.min(ChunkedPass.CHUNK, n - start), p[t]);
        });
        return new Dropout(rngs, p, rescale, factors, b);
    }

    /**
     * {@link #drawn(int)} over the rows of {@code v}, reading each row in the same pass to fill
     * l1[t] = {Σ|τ_t|, Σ|kept τ_t|} in F64, summed in index order (the L1 norms of MergeKit's rescale,
     * as the staged form sums them). Tasks run in parallel.
     */
    public Dropout drawn(StepViews v, double[][] l1) {
        int n = v.n();
        int words = (n + 63) >>> 6;
        long[][] b = new long[rngs.length][words];
        IntStream.range(0, rngs.length).parallel().forEach(t -> {
            float[] chunk = new float[ChunkedPass.CHUNK];
            double[] sums = new double[2];
            for (int start = 0; start < n; start += ChunkedPass.CHUNK) {
                int len = Math.min(ChunkedPass.CHUNK, n - start);
                v.rows()[t].get(start, chunk, 0, len);
                rngs[t].keepBitsAndL1(b[t], start, chunk, len, p[t], sums);
            }
            l1[t] = sums;
        });
        return new Dropout(rngs, p, rescale, factors, b);
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
        return new Dropout(rngs, p, Rescale.FACTORS, perTask.clone(), bits);
    }

    /** The same mask with no rescaling (for norms of the masked vectors). */
    public Dropout unscaled() {
        return new Dropout(rngs, p, Rescale.NONE, null, bits);
    }

    // ---- whole-array form ----

    /**
     * The dropped (and rescaled) task vectors of a stacked [T, ...] array, as a new array on its device.
     * The keep-masks are drawn on the heap (tasks in parallel: each element is a pure function of
     * (seed, tensor, task, index)) and uploaded once.
     */
    public NDArray apply(NDArray stacked) {
        int tasks = rngs.length;
        long n = tasks == 0 ? 0 : stacked.getShape().size() / tasks;
        if (n * tasks > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("more than 2^31 elements over all tasks");
        }
        float[] keep = new float[(int) (n * tasks)];
        IntStream.range(0, tasks).parallel().forEach(t -> rngs[t].keepMask(
                FloatBuffer.wrap(keep, (int) (t * n), (int) n).slice(), p[t]));
        NDArray masked = stacked.getManager().create(keep, stacked.getShape()).muli(stacked);
        switch (rescale) {
            case INVERSE: {
                float[] divisors = new float[tasks];
                for (int t = 0; t < tasks; t++) {
                    divisors[t] = (float) (1.0 - p[t]);
                }
                return masked.divi(TaskReductions.perTask(masked, divisors));
            }
            case FACTORS:
                return masked.muli(TaskReductions.perTask(masked, factors));
            default:
                return masked;
        }
    }

    // ---- chunk form ----

    /** Drops (and rescales) x[0..len) = elements [start, start + len) of task t, in place. */
    void apply(int t, float[] x, long start, int len) {
        if (bits == null) {
            rngs[t].dropInPlace(x, start, len, p[t]);
        } else {
            long[] w = bits[t];
            for (int j = 0; j < len; j++) {
                long i = start + j;
                int keep = (int) ((w[(int) (i >>> 6)] >>> (i & 63)) & 1L);
                x[j] = Float.intBitsToFloat(Float.floatToRawIntBits(x[j]) & -keep);
            }
        }
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
