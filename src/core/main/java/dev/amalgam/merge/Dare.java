package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.stages.Combine;
import dev.amalgam.merge.stages.Dropout;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.stages.TrimCombineKernel;
import dev.amalgam.merge.ops.CounterRng;
import dev.amalgam.merge.ops.MergeFunction;
import dev.amalgam.merge.ops.TaskReductions;


import java.util.Locale;

/**
 * DARE, Drop And REscale (docs/methods/merge-methods.md §5): τ̃_t = τ_t ⊙ m_t · r, m_t ~ Bernoulli(1 − p), then Task
 * Arithmetic (θ_0 + λ Σ w_t τ̃_t) or TIES on the τ̃_t.
 *
 * <p>Rescale r: {@code inverse} = 1/(1 − p) (FusionBench, MergeLM; default), {@code l1} = ‖τ‖₁/‖τ ⊙ m‖₁
 * (MergeKit-style norm matching, skipped when either norm is below 1e-7), {@code none}.
 *
 * <p>The mask is drawn from {@link CounterRng}: element i of tensor n for task t is kept iff
 * u(seed, n, t, i) ≥ p. It depends only on (seed, tensor name, task index, element index), never on
 * tensor order, threads or device, so a seed reproduces the merge byte for byte (DJL's RNG is not used).
 *
 * <p>Names: {@code dare} and {@code dare_linear} combine with TA (λ default 0.3, FusionBench DARE+TA);
 * {@code dare_ties} combines with TIES (λ default 0.5, k 20, dis-sum, global scope: FusionBench
 * DARE+TIES); {@code combine=ta|ties} overrides. {@code density} (MergeKit) = 1 − p.
 */
public final class Dare implements MergeMethod {
    static final ParamDef P = ParamDef.global("p", ParamDef.Type.NUMBER, 0.5, "drop probability (give p or density)");
    static final ParamDef DENSITY = ParamDef.depending("density", ParamDef.Type.NUMBER, "1 − p", "keep probability, MergeKit's name (1 − p)");
    static final ParamDef RESCALE = ParamDef.global("rescale", ParamDef.Type.TEXT, "inverse", "inverse: ÷(1 − p); l1: restore each task's L1 norm; none");
    static final ParamDef SEED = ParamDef.global("seed", ParamDef.Type.INTEGER, 0L, "seed of the counter-based drop masks");
    static final ParamDef LAMBDA = ParamDef.depending("lambda", ParamDef.Type.NUMBER, "0.3 (ta) / 0.5 (ties)", "scales the merged task vector");
    static final ParamDef COMBINE = ParamDef.depending("combine", ParamDef.Type.TEXT, "ties for dare_ties, else ta", "ta (weighted sum) or ties (TIES on the dropped vectors)");
    static final ParamDef WEIGHTS = ParamDef.depending("weights", ParamDef.Type.NUMBERS, "all 1", "per-task weights w_t, a list in task order");
    static final ParamDef SCOPE = ParamDef.global("scope", ParamDef.Type.TEXT, "global", "with combine=ties: TIES scope (global or tensor)");
    static final ParamDef K = ParamDef.global("k", ParamDef.Type.NUMBER, 20.0, "with combine=ties: TIES percent kept");
    static final ParamDef MERGE = ParamDef.global("merge", ParamDef.Type.TEXT, "dis-sum", "with combine=ties: dis-sum, dis-mean or dis-max");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(P, DENSITY, RESCALE, SEED, LAMBDA, COMBINE, WEIGHTS,
            SCOPE, K, MERGE);

    public enum Rescale { INVERSE, L1, NONE }

    private static final double L1_EPS = 1e-7;

    private final String name;
    private final double p;
    private final Rescale rescale;
    private final long seed;
    private final double lambda;
    private final double[] weights;
    private final Ties ties;

    public Dare(String name, double p, Rescale rescale, long seed, double lambda, double[] weights, Ties ties) {
        if (!(p >= 0 && p < 1)) {
            throw new AmalgamException(name + ": drop probability 'p' must be in [0, 1), got " + p);
        }
        this.name = name;
        this.p = p;
        this.rescale = rescale;
        this.seed = seed;
        this.lambda = lambda;
        this.weights = weights;
        this.ties = ties;
    }

    public static Dare fromParams(MethodParams params) {
        params.checkKnown(PARAMS);
        String name = params.method();
        if (params.has("p") && params.has("density")) {
            throw new AmalgamException(name + ": give either 'p' (drop probability) or 'density' (1 − p), not both");
        }
        double p = params.has(DENSITY.name()) ? 1.0 - params.getDoubleIn(DENSITY.name(), 0.5, 0.0, 1.0)
                : params.number(P);
        String combine = params.getString(COMBINE.name(), name.equals("dare_ties") ? "ties" : "ta")
                .trim().toLowerCase(Locale.ROOT);
        boolean useTies;
        switch (combine) {
            case "ties": useTies = true; break;
            case "ta": case "task_arithmetic": case "linear": useTies = false; break;
            default: throw new AmalgamException(name + ": parameter 'combine' must be ta or ties, got '" + combine + "'");
        }
        if (!useTies && (params.has(SCOPE.name()) || params.has(K.name()) || params.has(MERGE.name()))) {
            throw new AmalgamException(name + ": 'scope', 'k' and 'merge' apply only with combine=ties");
        }
        Rescale rescale;
        switch (params.text(RESCALE).trim().toLowerCase(Locale.ROOT)) {
            case "inverse": case "true": rescale = Rescale.INVERSE; break;
            case "l1": rescale = Rescale.L1; break;
            case "none": case "false": rescale = Rescale.NONE; break;
            default: throw new AmalgamException(name + ": parameter 'rescale' must be inverse, l1 or none, got '"
                    + params.getString("rescale", "") + "'");
        }
        return buildWith(params, name, p, rescale, useTies);
    }

    private static Dare buildWith(MethodParams params, String name, double p, Rescale rescale, boolean useTies) {
        double lambda = params.number(LAMBDA, useTies ? 0.5 : 0.3);
        double[] weights = ParamLists.doubles(params, WEIGHTS.name());
        Ties ties = null;
        if (useTies) {
            Ties.Scope scope = Ties.parseScope(name, params.text(SCOPE));
            double k = params.number(K);
            ties = new Ties(scope, k, MergeFunction.parse(name, params.text(MERGE)), 1.0, weights);
        }
        return new Dare(name, p, rescale, params.getLong(SEED.name(), 0L), lambda, weights, ties);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return name + "(p=" + p + ", rescale=" + rescale.name().toLowerCase(Locale.ROOT) + ", seed=" + seed
                + ", lambda=" + lambda + ", combine=" + (ties == null ? "ta, weights=" + ParamLists.format(weights)
                : ties.describe()) + ")";
    }

    @Override
    public java.util.List<StatisticPass> statisticPasses() {
        if (ties == null) {
            return java.util.List.of();
        }
        java.util.List<StatisticPass> inner = ties.statisticPasses();
        java.util.List<StatisticPass> out = new java.util.ArrayList<>();
        for (int i = 0; i < inner.size(); i++) {
            int pass = i;
            StatisticPass p = inner.get(i);
            out.add(StatisticPass.of("dare/" + p.name(), s -> observe(pass, s, p), p::end));
        }
        return out;
    }

    /** The drop-and-rescale of this step for the fused kernels (L1 factors need one reduction pass). */
    private Dropout dropout(TensorStep step) {
        Dropout.Rescale mode = rescale == Rescale.INVERSE ? Dropout.Rescale.INVERSE : Dropout.Rescale.NONE;
        Dropout d = Dropout.of(seed, step.name(), step.taskCount(), p, mode);
        if (rescale != Rescale.L1) {
            return d;
        }
        d = d.drawn(step.views().n()); // the L1 pass and the merge share one draw
        double[][] norms = new TrimCombineKernel(d, null, null, Combine.sum()).l1Norms(step.views());
        float[] factor = new float[norms.length];
        for (int t = 0; t < factor.length; t++) {
            factor[t] = norms[t][0] >= L1_EPS && norms[t][1] >= L1_EPS ? (float) (norms[t][0] / norms[t][1]) : 1f;
        }
        return d.withFactors(factor);
    }

    /** The step with τ̃_t in place of τ_t. */
    public TensorStep dropped(TensorStep step) {
        long n = step.base().getShape().size();
        int tasks = step.taskCount();
        StepViews v = step.views();
        if (v != null && n * tasks <= Integer.MAX_VALUE / Float.BYTES) {
            NDArray stacked = new TrimCombineKernel(dropout(step), null, null, Combine.sum())
                    .prepared(v, step.manager(), new Shape(tasks).addAll(step.base().getShape()));
            return new TensorStep(step.info(), step.group(), step.manager(), step.base(), stacked, step.taskNames());
        }
        if (n * tasks > Integer.MAX_VALUE) {
            throw new AmalgamException(name + ": tensor " + step.name() + " has more than 2^31 elements over all tasks");
        }
        NDArray stacked = step.stackedTaskVectors();
        Dropout.Rescale mode = rescale == Rescale.INVERSE ? Dropout.Rescale.INVERSE : Dropout.Rescale.NONE;
        NDArray masked = Dropout.of(seed, step.name(), tasks, p, mode).apply(stacked);
        if (rescale == Rescale.L1) {
            double[] before = l1PerTask(stacked, tasks);
            double[] after = l1PerTask(masked, tasks);
            float[] factor = new float[tasks];
            for (int t = 0; t < tasks; t++) {
                factor[t] = before[t] >= L1_EPS && after[t] >= L1_EPS ? (float) (before[t] / after[t]) : 1f;
            }
            masked = masked.muli(TaskReductions.perTask(masked, factor));
        }
        return new TensorStep(step.info(), step.group(), step.manager(), step.base(), masked, step.taskNames());
    }

    /** ‖x_t‖₁ of each row of a stacked [T, ...] array, summed in F64. */
    private static double[] l1PerTask(NDArray stacked, int tasks) {
        return stacked.abs().toType(DataType.FLOAT64, false).reshape(tasks, -1).sum(new int[]{1}).toDoubleArray();
    }

    private void observe(int pass, TensorStep step, StatisticPass tiesPass) {
        if (pass == 2 && step.views() != null) {
            // The majority-sign pass needs only the fused drop–trim–sign, not the dropped vectors.
            TrimCombineKernel k = ties.kernel(step, dropout(step));
            if (k != null) {
                ties.addSignSum(k.signSum(step.views()));
                return;
            }
        }
        tiesPass.observe(dropped(step));
    }

    @Override
    public NDArray merge(TensorStep step) {
        Shape shape = step.base().getShape();
        if (step.views() != null) {
            ParamLists.checkPerTask(name, "weights", weights, step.taskCount(), step.name());
            if (ties != null) {
                ties.checkMergeable();
            }
            // Per-tensor TIES must select on the dropped values: no fused path, so no dropout drawn here.
            boolean fused = ties == null || ties.scope() == Ties.Scope.GLOBAL;
            TrimCombineKernel k = !fused ? null : ties == null
                    ? new TrimCombineKernel(dropout(step), null, weights, Combine.sum())
                    : ties.kernel(step, dropout(step));
            if (k != null) {
                return k.merge(step.views(), step.manager(), shape, (float) lambda, true);
            }
        }
        TensorStep d = dropped(step);
        NDArray delta = ties != null ? ties.delta(d) : TaskArithmetic.weightedSum(d, d.stackedTaskVectors(), weights, name);
        return delta.muli((float) lambda).addi(step.base());
    }
}
