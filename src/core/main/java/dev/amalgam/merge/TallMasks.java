package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.stages.TallStage;
import dev.amalgam.merge.stages.TrimCombineKernel;
import dev.amalgam.merge.ops.MergeFunction;
import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Locale;

/**
 * TALL masks (docs/methods/merge-methods.md §7), compression mode: τ_MTL = Σ_t τ_t ({@code mtl=ta}, default) or global
 * TIES with K = {@code ties_k} (20) and dis-sum, λ = 1 ({@code mtl=ties}); m_t = |τ_t| > λ_t |τ_MTL − τ_t|
 * (strict, the original formula; FusionBench's θ_0-mixing variant is not reproduced). Task t's model is
 * θ_t = θ_0 + m_t ⊙ τ_MTL (scale 1). λ_t defaults to 0.6 (FusionBench's fixed, data-free choice); a
 * per-task list is accepted.
 *
 * <p>{@link #merge} (no task identity) returns the mean of the T per-task models,
 * θ_0 + (1/T) Σ_t m_t ⊙ τ_MTL (Amalgam's choice).
 */
public final class TallMasks implements TaskModulated {
    static final ParamDef LAMBDA = ParamDef.global("lambda", ParamDef.Type.NUMBERS, 0.6, "mask threshold λ_t: one number, or one per task");
    static final ParamDef MTL = ParamDef.global("mtl", ParamDef.Type.TEXT, "ta", "the multi-task vector: ta (sum) or ties");
    static final ParamDef TIES_K = ParamDef.global("ties_k", ParamDef.Type.NUMBER, 20.0, "with mtl=ties: TIES percent kept");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(LAMBDA, MTL, TIES_K);

    private final double[] lambdas;
    private final double lambda;
    private final Ties ties;
    private int taskCount = -1;

    public TallMasks(double lambda, double[] lambdas, Ties ties) {
        this.lambda = lambda;
        this.lambdas = lambdas;
        this.ties = ties;
    }

    public static TallMasks fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new TallMasks(scalarLambda(p), listLambda(p), mtlTies(p));
    }

    static double scalarLambda(MethodParams p) {
        double[] l = ParamLists.doubles(p, LAMBDA.name());
        return l != null && l.length == 1 ? l[0] : ((Number) LAMBDA.fallback()).doubleValue();
    }

    static double[] listLambda(MethodParams p) {
        double[] l = ParamLists.doubles(p, LAMBDA.name());
        return l != null && l.length > 1 ? l : null;
    }

    /** The TIES used for τ_MTL, or null for the TA sum. */
    static Ties mtlTies(MethodParams p) {
        switch (p.text(MTL).trim().toLowerCase(Locale.ROOT)) {
            case "ta": case "task_arithmetic": case "sum":
                if (p.has(TIES_K.name())) {
                    throw new AmalgamException(p.method() + ": 'ties_k' applies only with mtl=ties");
                }
                return null;
            case "ties":
                return new Ties(Ties.Scope.GLOBAL, p.number(TIES_K), MergeFunction.DIS_SUM, 1.0, null);
            default:
                throw new AmalgamException(p.method() + ": parameter 'mtl' must be ta or ties, got '" + p.getString("mtl", "") + "'");
        }
    }

    static String describeMtl(Ties ties) {
        return ties == null ? "ta-sum" : ties.describe();
    }

    static String describeLambda(double lambda, double[] lambdas) {
        return lambdas == null ? Double.toString(lambda) : ParamLists.format(lambdas);
    }

    @Override
    public String name() {
        return "tall_masks";
    }

    @Override
    public String describe() {
        return "tall_masks(lambda=" + describeLambda(lambda, lambdas) + ", mtl=" + describeMtl(ties)
                + ", task model = θ_0 + m_t⊙τ_MTL, merge() = mean of task models)";
    }

    @Override
    public java.util.List<StatisticPass> statisticPasses() {
        return ties == null ? java.util.List.of() : StatisticPass.wrap(ties.statisticPasses(), "tall_masks/", s -> {
            taskCount = s.taskCount();
            return s;
        });
    }

    /** The fused τ_MTL–masks–votes pass of this step, or null when it has no kernel views. */
    static TallStage kernel(TensorStep step, Ties ties, double lambda, double[] lambdas, String method) {
        if (step.views() == null) {
            return null;
        }
        ParamLists.checkPerTask(method, "lambda", lambdas, step.taskCount(), step.name());
        TrimCombineKernel mtl = null;
        if (ties != null) {
            ties.checkMergeable();
            mtl = ties.kernel(step, null);
            if (mtl == null) {
                return null;
            }
        }
        return new TallStage(mtl, perTask(step.taskCount(), lambda, lambdas));
    }

    /** τ_MTL for this tensor. */
    static NDArray multiTask(TensorStep step, Ties ties) {
        return ties != null ? ties.delta(step) : step.stackedTaskVectors().sum(new int[]{0});
    }

    /** Masks m_t = |τ_t| > λ_t |τ_MTL − τ_t| as 0/1 F32, stacked [T, ...] (the stage's whole-array form). */
    static NDArray stackedMasks(TensorStep step, NDArray mtl, double lambda, double[] lambdas, String method) {
        ParamLists.checkPerTask(method, "lambda", lambdas, step.taskCount(), step.name());
        return TallStage.masks(step.stackedTaskVectors(), mtl, perTask(step.taskCount(), lambda, lambdas));
    }

    private static double[] perTask(int tasks, double lambda, double[] lambdas) {
        if (lambdas != null) {
            return lambdas;
        }
        double[] l = new double[tasks];
        Arrays.fill(l, lambda);
        return l;
    }

    /** The rows of a stacked [T, ...] array. */
    static NDArray[] rows(NDArray stacked) {
        NDArray[] out = new NDArray[(int) stacked.getShape().get(0)];
        for (int t = 0; t < out.length; t++) {
            out[t] = stacked.get(t);
        }
        return out;
    }

    @Override
    public Modulation modulate(TensorStep step) {
        taskCount = step.taskCount();
        TallStage k = kernel(step, ties, lambda, lambdas, name());
        if (k != null) {
            NDArray[] r = k.modulation(step.views(), step.manager(), step.base().getShape());
            return new Modulation(r[0], Arrays.copyOfRange(r, 1, r.length));
        }
        NDArray mtl = multiTask(step, ties);
        return new Modulation(mtl, rows(stackedMasks(step, mtl, lambda, lambdas, name()).toType(DataType.BOOLEAN, false)));
    }

    /** All 1 (TALL evaluates the per-task models at coefficient 1); length T once a tensor was seen. */
    @Override
    public double[] taskScales() {
        if (taskCount < 0) {
            throw new IllegalStateException("tall_masks: taskScales() before any tensor was seen");
        }
        double[] s = new double[taskCount];
        Arrays.fill(s, 1.0);
        return s;
    }

    @Override
    public NDArray merge(TensorStep step) {
        taskCount = step.taskCount();
        TallStage k = kernel(step, ties, lambda, lambdas, name());
        if (k != null) {
            return k.mergeMean(step.views(), step.manager(), step.base().getShape());
        }
        NDArray mtl = multiTask(step, ties);
        NDArray votes = TallStage.votes(stackedMasks(step, mtl, lambda, lambdas, name()));
        // (1/T) Σ_t m_t ⊙ τ_MTL = τ_MTL ⊙ (Σ_t m_t) / T
        return votes.muli(mtl).divi((float) Math.max(1, taskCount)).addi(step.base());
    }
}
