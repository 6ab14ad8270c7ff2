package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.ops.TaskReductions;


/**
 * Weight averaging / model soup / MergeKit {@code linear} (docs/methods/merge-methods.md §8): θ = Σ_t w_t θ_t / Σ_t w_t
 * on the raw fine-tuned weights. Without weights this is the plain mean (1/T) Σ_t θ_t; with
 * normalize=false it is Σ_t w_t θ_t. θ_0 is not part of the average.
 */
public final class WeightAverage implements MergeMethod {
    static final ParamDef WEIGHTS = ParamDef.depending("weights", ParamDef.Type.NUMBERS, "all 1", "per-task weights w_t, a list in task order");
    static final ParamDef NORMALIZE = ParamDef.global("normalize", ParamDef.Type.BOOLEAN, true, "divide by Σ w_t");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(WEIGHTS, NORMALIZE);

    private final double[] weights;
    private final boolean normalize;
    private final String name;

    public WeightAverage(String name, double[] weights, boolean normalize) {
        this.name = name;
        this.weights = weights;
        this.normalize = normalize;
    }

    public static WeightAverage fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new WeightAverage(p.method(), ParamLists.doubles(p, WEIGHTS.name()), p.bool(NORMALIZE));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return name + "(weights=" + ParamLists.format(weights) + ", normalize=" + normalize + ")";
    }

    @Override
    public NDArray merge(TensorStep step) {
        int tasks = step.taskCount();
        ParamLists.checkPerTask(name, "weights", weights, tasks, step.name());
        double total = 0;
        for (int t = 0; t < tasks; t++) {
            total += ParamLists.at(weights, t, 1.0);
        }
        if (normalize && Math.abs(total) < 1e-12) {
            throw new AmalgamException(name + ": weights sum to 0, cannot normalize (tensor " + step.name() + ")");
        }
        double scale = normalize ? 1.0 / total : 1.0;
        if (tasks == 0) {
            return step.base().duplicate();
        }
        // Σ_t c_t θ_t = (Σ_t c_t) θ_0 + Σ_t c_t τ_t with c_t = w_t·scale: one reduction over the stacked τ.
        double[] c = new double[tasks];
        double cSum = 0;
        for (int t = 0; t < tasks; t++) {
            c[t] = ParamLists.at(weights, t, 1.0) * scale;
            cSum += c[t];
        }
        NDArray delta = TaskReductions.weightedSum(step.stackedTaskVectors(), c);
        return normalize ? delta.addi(step.base()) : delta.addi(step.base().mul((float) cSum));
    }
}
