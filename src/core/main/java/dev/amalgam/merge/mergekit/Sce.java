package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;

import java.util.List;

/**
 * MergeKit {@code sce} (Select, Calculate, Erase): keep the entries whose variance across the task
 * vectors is in the top {@code select_topk} fraction of the non-zero variances; weight each task by its
 * mean squared entry (normalised to sum 1, uniform when that sum is below 1e-6); erase entries whose
 * sign disagrees with the sign of the summed task vectors; the weighted mean of what is left (divisor
 * clamped at 1e-6) is added to θ_0.
 * Math: docs/methods/mergekit-methods.md §4.
 */
public final class Sce extends MergeKitMethod {
    static final ParamDef SELECT_TOPK = ParamDef.global("select_topk", ParamDef.Type.NUMBER, 1.0,
            "fraction of entries (by variance across tasks) kept");
    static final ParamDef INT8_MASK = ParamDef.global("int8_mask", ParamDef.Type.BOOLEAN, false,
            "store masks as int8 in MergeKit (memory only: no effect on results)");

    private static final int CHUNK = 1 << 14;

    /** Fixed chunks of [0, n) in parallel; every chunk's work is independent of the others'. */
    private static java.util.stream.IntStream chunks(int n) {
        return java.util.stream.IntStream.range(0, (n + CHUNK - 1) / CHUNK).parallel();
    }

    public Sce(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "sce";
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(INT8_MASK, SELECT_TOPK);
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of();
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        int tasks = in.tasks();
        if (tasks == 0) {
            return in.base();
        }
        p.global(INT8_MASK);
        int n = in.n();
        float[][] d = in.deltas();
        double density = p.number(SELECT_TOPK);
        if (density <= 0) {
            throw new AmalgamException("sce: select_topk " + density + " must be > 0 (MergeKit returns a tensor of the wrong "
                    + "shape there; tensor " + in.name() + ")");
        }
        if (density < 1) {
            double[] var = new double[n];
            long nonzero = chunks(n).mapToLong(c -> {
                long nz = 0;
                for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                    double mean = 0;
                    for (float[] x : d) {
                        mean += x[i];
                    }
                    mean /= tasks;
                    double v = 0;
                    for (float[] x : d) {
                        v += (x[i] - mean) * (x[i] - mean);
                    }
                    var[i] = v / tasks;
                    nz += var[i] != 0 ? 1 : 0;
                }
                return nz;
            }).sum();
            // MergeKit multiplies a count tensor by a Python float: float32 arithmetic.
            boolean[] keep = RankBand.largest(var, (long) ((float) nonzero * (float) density));
            chunks(n).forEach(c -> {
                for (float[] x : d) {
                    for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                        if (!keep[i]) {
                            x[i] = 0;
                        }
                    }
                }
            });
        }
        // Σ x² per task in double: per fixed chunk, then the chunks in order (the same sum on any thread count).
        int chunkCount = (n + CHUNK - 1) / CHUNK;
        double[][] partial = new double[chunkCount][tasks];
        chunks(n).forEach(c -> {
            for (int t = 0; t < tasks; t++) {
                double s = 0;
                for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                    s += (double) d[t][i] * d[t][i];
                }
                partial[c][t] = s;
            }
        });
        double[] w = new double[tasks];
        double wSum = 0;
        for (int t = 0; t < tasks; t++) {
            double s = 0;
            for (double[] part : partial) {
                s += part[t];
            }
            w[t] = s / n;
            wSum += w[t];
        }
        for (int t = 0; t < tasks; t++) {
            w[t] = Math.abs(wSum) < 1e-6 ? 1.0 / tasks : w[t] / wSum;
        }
        float[] base = in.base();
        float[] out = new float[n];
        chunks(n).forEach(c -> {
            for (int i = c * CHUNK; i < Math.min(n, (c + 1) * CHUNK); i++) {
                float sum = 0;
                for (float[] x : d) {
                    sum += x[i];
                }
                float majority = sum >= 0 ? 1f : -1f;
                double num = 0;
                double den = 0;
                for (int t = 0; t < tasks; t++) {
                    if (Math.signum(d[t][i]) == majority) {
                        num += d[t][i] * w[t];
                        den += w[t];
                    }
                }
                out[i] = (float) (base[i] + num / Math.max(den, 1e-6));
            }
        });
        return out;
    }
}
