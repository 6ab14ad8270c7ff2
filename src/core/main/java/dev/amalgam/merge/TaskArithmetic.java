package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.ops.TaskReductions;


/**
 * Task Arithmetic (docs/methods/merge-methods.md §2) with a per-task {@code weights} list: θ = θ_0 + λ Σ_t w_t τ_t,
 * default λ = 1.0 (MergeKit's and the paper's library default; the CLIP 8-task papers use 0.3 and say
 * so). Reached through the engine when {@code weights} is given; otherwise {@code task_arithmetic} is
 * MergeKit's (per-model {@code weight}).
 */
public final class TaskArithmetic implements MergeMethod {
    static final ParamDef LAMBDA = ParamDef.global("lambda", ParamDef.Type.NUMBER, 1.0, "scales the summed task vectors");
    static final ParamDef WEIGHTS = ParamDef.depending("weights", ParamDef.Type.NUMBERS, "all 1", "per-task weights w_t, a list in task order");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(LAMBDA, WEIGHTS);

    private final double lambda;
    private final double[] weights;

    public TaskArithmetic(double lambda, double[] weights) {
        this.lambda = lambda;
        this.weights = weights;
    }

    public static TaskArithmetic fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new TaskArithmetic(p.number(LAMBDA), ParamLists.doubles(p, WEIGHTS.name()));
    }

    @Override
    public String name() {
        return "task_arithmetic";
    }

    @Override
    public String describe() {
        return "task_arithmetic(lambda=" + lambda + ", weights=" + ParamLists.format(weights) + ")";
    }

    /** Σ_t w_t τ_t of stacked task vectors [T, ...] (shared with DARE, Breadcrumbs and Model Stock). */
    static NDArray weightedSum(TensorStep step, NDArray stacked, double[] weights, String method) {
        ParamLists.checkPerTask(method, "weights", weights, (int) stacked.getShape().get(0), step.name());
        return TaskReductions.weightedSum(stacked, weights);
    }

    @Override
    public NDArray merge(TensorStep step) {
        return weightedSum(step, step.stackedTaskVectors(), weights, name()).muli((float) lambda).addi(step.base());
    }
}
