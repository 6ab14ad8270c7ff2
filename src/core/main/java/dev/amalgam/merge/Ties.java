package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.stages.Combine;
import dev.amalgam.merge.stages.Dropout;
import dev.amalgam.merge.stages.MagnitudeTrim;
import dev.amalgam.merge.stages.RankSelect;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.stages.TrimCombineKernel;
import dev.amalgam.merge.ops.MergeFunction;
import dev.amalgam.merge.ops.TaskReductions;


import java.util.Locale;

/**
 * TIES-Merging (docs/methods/merge-methods.md §3): trim, elect sign, disjoint merge; θ = θ_0 + λ·τ_m.
 *
 * <p><b>scope=global</b> (paper, FusionBench, EMR repo): per task keep |v_t| ≥ thr_t where thr_t is
 * the (kKeep+1)-th largest |τ_t| over the whole model, kKeep = int(d·K/100); K = 100 keeps v_t
 * unchanged. Zero summed mass takes the global majority sign sign(Σ_all s). Three statistic passes
 * with bounded memory: an exact radix select of thr_t (high then low 16 bits of the float pattern),
 * then the majority-sign sum.
 *
 * <p><b>scope=tensor</b> (MergeKit {@code ties}): per tensor keep the top int(density·n) by |τ|, sign
 * +1 where Σ_t w_t τ̂_t ≥ 0 else −1 (MergeKit's "sum" consensus, i.e. no global fallback), no
 * statistic pass. MergeKit's own defaults are merge=dis-mean (normalize) and lambda=1. Entries tied
 * with the k-th largest |τ| are all kept (MergeKit keeps exactly k, choosing among ties arbitrarily);
 * int(density·n) = 0 zeroes the tensor (MergeKit refuses instead).
 *
 * <p>Optional per-model {@code weights} w_t multiply the trimmed vectors before election (MergeKit);
 * dis-mean then divides by Σ w_t over the agreeing models. Defaults (CLIP ViT 8 tasks, EMR repo /
 * FusionBench): scope=global, k=20, merge=dis-sum, lambda=0.3.
 */
public final class Ties implements MergeMethod {
    static final ParamDef SCOPE = ParamDef.global("scope", ParamDef.Type.TEXT, "global", "global: one top-k threshold per task over the whole model; tensor: top-k per tensor");
    static final ParamDef K = ParamDef.global("k", ParamDef.Type.NUMBER, 20.0, "percent of entries kept per task (give k or density)");
    static final ParamDef DENSITY = ParamDef.depending("density", ParamDef.Type.NUMBER, "k/100", "fraction of entries kept per task (k/100)");
    static final ParamDef MERGE = ParamDef.global("merge", ParamDef.Type.TEXT, "dis-sum", "disjoint merge: dis-sum, dis-mean or dis-max");
    static final ParamDef LAMBDA = ParamDef.global("lambda", ParamDef.Type.NUMBER, 0.3, "scales the merged task vector");
    static final ParamDef WEIGHTS = ParamDef.depending("weights", ParamDef.Type.NUMBERS, "all 1", "per-task weights applied after the trim");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(SCOPE, K, DENSITY, MERGE, LAMBDA, WEIGHTS);

    public enum Scope { GLOBAL, TENSOR }

    private final Scope scope;
    private final double keepFraction;
    private final MergeFunction mergeFunction;
    private final double lambda;
    private final double[] weights;

    private GlobalMagnitudeRank rank = new GlobalMagnitudeRank("ties");
    private float[] thresholds;
    private boolean keepAll;
    private long signSum;
    private float majoritySign;
    private int passesDone;

    public Ties(Scope scope, double kPercent, MergeFunction mergeFunction, double lambda, double[] weights) {
        if (!(kPercent > 0 && kPercent <= 100)) {
            throw new AmalgamException("ties: parameter 'k' must be in (0, 100], got " + kPercent);
        }
        this.scope = scope;
        this.keepFraction = kPercent / 100.0;
        this.mergeFunction = mergeFunction;
        this.lambda = lambda;
        this.weights = weights;
    }

    public static Ties fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return fromParams(p, LAMBDA.name(), p.number(LAMBDA));
    }

    /** Reads the TIES keys of p (used by wrappers that share them); lambdaKey null = λ fixed to lambdaDefault. */
    static Ties fromParams(MethodParams p, String lambdaKey, double lambdaDefault) {
        Scope scope = parseScope(p.method(), p.text(SCOPE));
        if (p.has(K.name()) && p.has(DENSITY.name())) {
            throw new AmalgamException(p.method() + ": give either 'k' (percent) or 'density' (fraction), not both");
        }
        double k = p.has(DENSITY.name()) ? 100.0 * p.getDoubleIn(DENSITY.name(), 0.2, 0.0, 1.0) : p.number(K);
        if (!(k > 0 && k <= 100)) {
            throw new AmalgamException(p.method() + ": parameter 'k' must be in (0, 100], got " + k);
        }
        MergeFunction fn = MergeFunction.parse(p.method(), p.text(MERGE));
        double lambda = lambdaKey == null ? lambdaDefault : p.getDouble(lambdaKey, lambdaDefault);
        return new Ties(scope, k, fn, lambda, ParamLists.doubles(p, WEIGHTS.name()));
    }

    static Scope parseScope(String method, String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "global": return Scope.GLOBAL;
            case "tensor": case "per_tensor": case "per-tensor": return Scope.TENSOR;
            default: throw new AmalgamException(method + ": parameter 'scope' must be global or tensor, got '" + s + "'");
        }
    }

    @Override
    public String name() {
        return "ties";
    }

    @Override
    public String describe() {
        return "ties(scope=" + scope.name().toLowerCase(Locale.ROOT) + ", k=" + (keepFraction * 100) + "%, merge="
                + mergeFunction.label() + ", lambda=" + lambda + ", weights=" + ParamLists.format(weights)
                + (scope == Scope.GLOBAL ? ", zero-sign=global majority" : ", zero-sign=+1 (MergeKit sum consensus)") + ")";
    }

    public Scope scope() {
        return scope;
    }

    /** Global scope: the per-task |τ| thresholds (exact radix select, two passes) and the majority sign. */
    @Override
    public java.util.List<StatisticPass> statisticPasses() {
        rank = new GlobalMagnitudeRank("ties");
        thresholds = null;
        keepAll = false;
        signSum = 0;
        passesDone = 0;
        if (scope != Scope.GLOBAL) {
            return java.util.List.of();
        }
        return StatisticPass.indexed(java.util.List.of("ties: global |τ| threshold per task, high bits",
                "ties: global |τ| threshold per task, low bits", "ties: global majority sign"), this::observe, this::endPass);
    }

    void observe(TensorStep step, int pass) {
        observe(pass, step);
    }

    void observe(int pass, TensorStep step) {
        if (scope != Scope.GLOBAL) {
            return;
        }
        ParamLists.checkPerTask("ties", "weights", weights, step.taskCount(), step.name());
        if (pass == 0 || (pass == 1 && !keepAll)) {
            rank.observe(pass, step);
        } else if (pass == 2) {
            TrimCombineKernel k = kernel(step, null);
            signSum += k != null ? k.signSum(step.views())
                    : Combine.signSum(Combine.rawSign(trimmedWeighted(step)));
        }
    }

    void endPass(int pass) {
        if (scope != Scope.GLOBAL || !rank.started()) {
            passesDone = pass + 1;
            return;
        }
        if (pass == 0) {
            long d = rank.count();
            long kKeep = (long) (d * keepFraction);
            keepAll = kKeep >= d;
            // keep |τ_t| ≥ the (kKeep + 1)-th largest (the reference's kthvalue); K = 100 keeps all
            rank.endHighPass(count -> keepAll ? count + 1 : kKeep + 1);
        } else if (pass == 1) {
            thresholds = rank.endLowPass();
        } else if (pass == 2) {
            majoritySign = Long.signum(signSum);
        }
        passesDone = pass + 1;
    }

    /** Adds a tensor's contribution to the majority-sign sum (third global pass, computed by a caller's kernel). */
    void addSignSum(long sum) {
        signSum += sum;
    }

    /** Per-task global thresholds thr_t (valid after pass 2 in global scope; 0 when K = 100). */
    public float[] thresholds() {
        return thresholds == null ? null : thresholds.clone();
    }

    /** The global majority sign (valid after the third pass in global scope). */
    public float majoritySign() {
        return majoritySign;
    }

    /** Trimmed task vectors, times the per-model weights when given, stacked [T, ...]. */
    NDArray trimmedWeighted(TensorStep step) {
        ParamLists.checkPerTask("ties", "weights", weights, step.taskCount(), step.name());
        NDArray stacked = step.stackedTaskVectors();
        NDArray trimmed;
        if (scope == Scope.GLOBAL) {
            trimmed = keepAll ? stacked : MagnitudeTrim.keepAtLeast(stacked, TaskReductions.perTask(stacked, thresholds));
        } else {
            trimmed = MagnitudeTrim.keepTopFractionPerRow(stacked, keepFraction);
        }
        return weights == null ? trimmed : trimmed.mul(TaskReductions.perTask(stacked, weights));
    }

    /**
     * The fused trim–elect–merge of this step (after {@code drop} when given), or null when the step
     * has no kernel views, or a per-tensor selection meets a NaN or has to see dropped values.
     */
    TrimCombineKernel kernel(TensorStep step, Dropout drop) {
        StepViews v = step.views();
        if (v == null) {
            return null;
        }
        ParamLists.checkPerTask("ties", "weights", weights, step.taskCount(), step.name());
        MagnitudeTrim trim;
        if (scope == Scope.GLOBAL) {
            trim = keepAll || thresholds == null ? null : MagnitudeTrim.atLeast(thresholds, v.n());
        } else if (keepFraction >= 1.0) {
            trim = null;
        } else if (drop != null) {
            return null;
        } else {
            trim = topFraction(v);
            if (trim == null) {
                return null;
            }
        }
        return new TrimCombineKernel(drop, trim, weights, Combine.ties(mergeFunction, weights, zeroSign()));
    }

    /** Per task: keep the top int(keepFraction·n) by |τ_t| (none when that is 0); null on NaN. */
    private MagnitudeTrim topFraction(StepViews v) {
        int n = v.n();
        long k = (long) (keepFraction * n);
        float[] lo = new float[v.tasks()];
        if (k <= 0 || n == 0) {
            java.util.Arrays.fill(lo, Float.NaN);
            return MagnitudeTrim.atLeast(lo, n);
        }
        float[][][] bounds = RankSelect.magnitudes(v, n, Math.min(k, n));
        if (bounds == null) {
            return null;
        }
        for (int t = 0; t < lo.length; t++) {
            lo[t] = bounds[0][t][0];
        }
        return MagnitudeTrim.atLeast(lo, n);
    }

    private float zeroSign() {
        return scope == Scope.GLOBAL ? majoritySign : 1f;
    }

    void checkMergeable() {
        if (scope == Scope.GLOBAL && passesDone < 3) {
            throw new IllegalStateException("ties(global): merge before the statistic passes");
        }
    }

    /** The merged task vector τ_m (before λ). */
    public NDArray delta(TensorStep step) {
        checkMergeable();
        TrimCombineKernel k = kernel(step, null);
        if (k != null) {
            return k.merge(step.views(), step.manager(), step.base().getShape(), 1f, false);
        }
        return Combine.ties(mergeFunction, weights, zeroSign()).apply(trimmedWeighted(step));
    }

    @Override
    public NDArray merge(TensorStep step) {
        checkMergeable();
        TrimCombineKernel k = kernel(step, null);
        if (k != null) {
            return k.merge(step.views(), step.manager(), step.base().getShape(), (float) lambda, true);
        }
        return delta(step).muli((float) lambda).addi(step.base());
    }
}
