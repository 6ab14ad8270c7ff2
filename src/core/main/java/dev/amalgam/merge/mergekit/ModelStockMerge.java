package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;

import java.util.List;

/**
 * MergeKit {@code model_stock}: θ = t·mean_t(θ_t) + (1 − t)·θ_0 with t = N·cos / (1 + (N − 1)·cos), where
 * cos is the mean pairwise cosine between the task vectors (norm products clamped at 1e-6, cosines at
 * [−1, 1]). Per tensor (flattened) by default; per row of the last dimension with {@code filter_wise}
 * (a 1-D tensor is one row).
 * Math: docs/methods/mergekit-methods.md §5.
 */
public final class ModelStockMerge extends MergeKitMethod {
    static final ParamDef FILTER_WISE = ParamDef.global("filter_wise", ParamDef.Type.BOOLEAN, false,
            "one interpolation factor per row instead of per tensor");

    public ModelStockMerge(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "model_stock";
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(FILTER_WISE);
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
        if (tasks < 2) {
            throw new AmalgamException("model_stock: needs base_model plus at least two models, got " + tasks
                    + " (tensor " + in.name() + ")");
        }
        boolean rows = p.bool(FILTER_WISE);
        int n = in.n();
        int len = rows ? (in.shape().length <= 1 ? n : in.cols()) : n;
        float[] base = in.base();
        float[][] d = in.deltas();
        float[] out = new float[n];
        for (int from = 0; from < n; from += Math.max(len, 1)) {
            double cosSum = 0;
            int pairs = 0;
            for (int i = 0; i < tasks; i++) {
                for (int j = i + 1; j < tasks; j++) {
                    double ni = Math.sqrt(SphericalMath.dot(d[i], d[i], from, len, 1));
                    double nj = Math.sqrt(SphericalMath.dot(d[j], d[j], from, len, 1));
                    double c = SphericalMath.dot(d[i], d[j], from, len, 1) / Math.max(ni * nj, 1e-6);
                    cosSum += Math.max(-1, Math.min(1, c));
                    pairs++;
                }
            }
            double cos = cosSum / pairs;
            double t = tasks * cos / (1 + (tasks - 1) * cos);
            for (int k = from; k < from + len; k++) {
                double avg = 0;
                for (int i = 0; i < tasks; i++) {
                    avg += base[k] + d[i][k];
                }
                avg /= tasks;
                out[k] = (float) (t * avg + (1 - t) * base[k]);
            }
            if (len == 0) {
                break;
            }
        }
        return out;
    }
}
