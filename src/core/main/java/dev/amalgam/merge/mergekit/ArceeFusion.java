package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import java.util.Arrays;
import java.util.List;

/**
 * MergeKit {@code arcee_fusion}: keeps the other model's change only where it matters. Importance =
 * |θ_1 − θ_0| · KL(softmax(θ_1) ‖ softmax(θ_0)) with the softmax and KL taken along the last dimension
 * (1e-8 added to both distributions) and broadcast over the row; the change is kept where importance ≥
 * median + 1.5·IQR, quantiles read from the sorted importances at index int(q·(n − 1)). MergeKit
 * estimates the quantiles from a random sample of 10⁶ entries on larger tensors; Amalgam always uses
 * every entry (exact, and reproducible). Without {@code out_dtype} the output is float32 whatever
 * {@code dtype} says, as in MergeKit (its float mask promotes the result).
 * Math: docs/methods/mergekit-methods.md §6.
 */
public final class ArceeFusion extends MergeKitMethod {

    public ArceeFusion(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "arcee_fusion";
    }

    /** MergeKit's float mask promotes the result to float32, which it then saves as such. */
    @Override
    public dev.amalgam.io.DType forcedOutputDtype() {
        return dev.amalgam.io.DType.F32;
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of();
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of();
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        float[] only = baseUnlessOneOther(in);
        if (only != null) {
            return only;
        }
        int n = in.n();
        int cols = Math.max(1, in.cols());
        float[] base = in.base();
        float[] model = in.model(0);
        float[] delta = in.deltas()[0];
        double[] importance = new double[n];
        for (int r = 0; r < n / cols; r++) {
            int from = r * cols;
            double[] pm = softmax(model, from, cols);
            double[] qm = softmax(base, from, cols);
            double kl = 0;
            for (int j = 0; j < cols; j++) {
                double pp = pm[j] + 1e-8;
                double qq = qm[j] + 1e-8;
                kl += pp * Math.log(pp / qq);
            }
            for (int j = 0; j < cols; j++) {
                importance[from + j] = Math.abs((double) model[from + j] - base[from + j]) * kl;
            }
        }
        // In double: the threshold can equal an importance exactly, and float rounding would then decide.
        double[] sorted = importance.clone();
        Arrays.sort(sorted);
        double median = sorted[(int) (0.5f * (n - 1))];
        double q1 = sorted[(int) (0.25f * (n - 1))];
        double q3 = sorted[(int) (0.75f * (n - 1))];
        double threshold = median + 1.5 * (q3 - q1);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = importance[i] >= threshold ? base[i] + delta[i] : base[i];
        }
        return out;
    }

    private static double[] softmax(float[] x, int from, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
            max = Math.max(max, x[from + j]);
        }
        double[] e = new double[len];
        double s = 0;
        for (int j = 0; j < len; j++) {
            e[j] = Math.exp(x[from + j] - max);
            s += e[j];
        }
        for (int j = 0; j < len; j++) {
            e[j] /= s;
        }
        return e;
    }
}
