package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.linalg.Concurrent;
import dev.amalgam.merge.linalg.GramSvd;
import dev.amalgam.merge.linalg.LowRank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * CART, Centered Arithmetic with Rank-reduced Task vectors (Choi et al., "Revisiting Weight
 * Averaging for Model Merging"; docs/methods/merge-methods.md §16):
 * <pre>
 *   θ_avg = θ_0 + mean_t τ_t;  D_t = θ_t − θ_avg = τ_t − mean_t τ_t
 *   low-rank key:  θ = θ_avg + λ · Σ_t SVD_k(D_t),  k = max(1, int(rank_ratio · min(m, n)))
 *   other keys:    θ = θ_avg
 * </pre>
 * rank_ratio 0 gives exactly θ_avg; rank_ratio 1 gives θ_avg again up to rounding (Σ_t D_t = 0).
 * With {@code stack_qkv} (default for the clip rule) separately stored q/k/v projections are
 * stacked row-wise into one [3d, d] matrix, decomposed once and split back, which reproduces CART
 * on the OpenCLIP {@code in_proj_weight} layout; this needs an executor honouring
 * {@link JointTensors}. {@code stack_qkv: false} is the per-matrix variant, a different algorithm.
 */
public final class Cart implements JointTensors {
    public static final String NAME = "cart";
    static final ParamDef RANK_RATIO = ParamDef.global("rank_ratio", ParamDef.Type.NUMBER, 0.12, "fraction of singular directions kept per matrix");
    static final ParamDef LAMBDA = ParamDef.global("lambda", ParamDef.Type.NUMBER, 2.0, "scales the low-rank task vectors (the prior)");
    static final ParamDef KEY_RULE = ParamDef.global("key_rule", ParamDef.Type.TEXT, "clip", "which tensors are decomposed: clip (CLIP ViT names) or lm (decoder names)");
    static final ParamDef STACK_QKV = ParamDef.depending("stack_qkv", ParamDef.Type.BOOLEAN, "true for key_rule clip", "decompose q, k and v together");
    static final ParamDef RANK_MODE = ParamDef.global("rank_mode", ParamDef.Type.TEXT, "fixed", "fixed: rank_ratio of the full rank; energy: of the spectrum's energy");
    static final ParamDef EXCLUDE_KEYS = ParamDef.global("exclude_keys", ParamDef.Type.TEXT, null, "regex of tensors left to plain averaging");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(RANK_RATIO, LAMBDA, KEY_RULE, STACK_QKV, RANK_MODE,
            EXCLUDE_KEYS);

    /** How k is chosen for each centred task vector. */
    public enum RankMode { FIXED, ENERGY }

    private final double rankRatio;
    private final double lambda;
    private final CartKeyRule rule;
    private final boolean stackQkv;
    private final RankMode rankMode;

    public Cart(double rankRatio, double lambda, CartKeyRule rule, boolean stackQkv, RankMode rankMode) {
        if (!(rankRatio >= 0 && rankRatio <= 1)) {
            throw new IllegalArgumentException("rank_ratio must be in [0, 1]: " + rankRatio);
        }
        this.rankRatio = rankRatio;
        this.lambda = lambda;
        this.rule = rule;
        this.stackQkv = stackQkv;
        this.rankMode = rankMode;
    }

    /** Defaults: the released 8-task ViT-B/32 config, rank_ratio 0.12 and λ (prior) 2.0. */
    public static Cart fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        CartKeyRule.Kind kind = CartKeyRule.parseKind(p.text(KEY_RULE));
        String mode = p.text(RANK_MODE).toLowerCase(Locale.ROOT);
        RankMode rankMode;
        if (mode.equals("fixed")) {
            rankMode = RankMode.FIXED;
        } else if (mode.equals("energy")) {
            rankMode = RankMode.ENERGY;
        } else {
            throw new AmalgamException("cart: parameter 'rank_mode' must be fixed or energy, got '" + mode + "'");
        }
        return new Cart(p.numberIn(RANK_RATIO, 0, 1), p.number(LAMBDA),
                new CartKeyRule(kind, SvdMethodSupport.excludePattern(NAME, p.text(EXCLUDE_KEYS))),
                p.bool(STACK_QKV, kind == CartKeyRule.Kind.CLIP), rankMode);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "CART rank_ratio=%s%s lambda=%s key_rule=%s stack_qkv=%s",
                rankRatio, rankMode == RankMode.ENERGY ? " (energy)" : "", lambda,
                rule.kind().name().toLowerCase(Locale.ROOT), stackQkv);
    }

    @Override
    public List<List<String>> jointGroups(Collection<String> names) {
        if (!stackQkv) {
            return List.of();
        }
        return CartKeyRule.qkvTriples(names);
    }

    @Override
    public NDArray merge(TensorStep step) {
        if (stackQkv && CartKeyRule.isSeparateQkv(step.name())) {
            throw new IllegalStateException("cart with stack_qkv must merge " + step.name()
                    + " jointly with its q/k/v partners (JointTensors.mergeJoint); the executor did not");
        }
        boolean lowRank = rule.isLowRank(step.name(), step.info().shape());
        return mergeMatrix(step.base(), step.taskVectors(), lowRank);
    }

    @Override
    public NDArray[] mergeJoint(List<TensorStep> steps) {
        int g = steps.size();
        for (TensorStep s : steps) {
            if (!rule.isLowRank(s.name(), s.info().shape())) {
                throw new AmalgamException("cart: " + s.name() + " is stacked with " + steps.get(0).name()
                        + " but is not a low-rank key (check exclude_keys, or set stack_qkv: false)");
            }
            if (s.base().getShape().get(1) != steps.get(0).base().getShape().get(1)) {
                throw new AmalgamException("cart: cannot stack " + s.name() + " " + s.base().getShape()
                        + " with " + steps.get(0).name() + " " + steps.get(0).base().getShape() + " (column counts differ)");
            }
        }
        int tasks = steps.get(0).taskCount();
        long[] rows = new long[g - 1];
        long acc = 0;
        for (int i = 0; i < g - 1; i++) {
            acc += steps.get(i).base().getShape().get(0);
            rows[i] = acc;
        }
        NDArray[] out = new NDArray[g];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDList bases = new NDList();
            steps.forEach(s -> bases.add(s.base()));
            List<NDArray> stackedTvs = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                NDList parts = new NDList();
                for (TensorStep s : steps) {
                    parts.add(s.taskVector(t));
                }
                stackedTvs.add(NDArrays.concat(parts, 0));
            }
            NDArray merged = mergeMatrix(NDArrays.concat(bases, 0), stackedTvs, true);
            NDList split = merged.split(rows, 0);
            for (int i = 0; i < g; i++) {
                // split gives views of merged; copy so each result owns its storage and manager.
                out[i] = split.get(i).duplicate();
                out[i].attach(steps.get(i).manager());
                NDScope.unregister(out[i]);
            }
            merged.close();
        }
        return out;
    }

    /** θ_avg, plus λ Σ_t SVD_k(τ_t − mean τ) when lowRank. Result on base's manager. */
    NDArray mergeMatrix(NDArray base, List<NDArray> taskVectors, boolean lowRank) {
        NDArray result;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray meanTv = SvdMethodSupport.mean(taskVectors);
            NDArray avg = base.add(meanTv);
            if (!lowRank || rankRatio == 0.0) {
                result = avg;
            } else {
                int dim = (int) Math.min(base.getShape().get(0), base.getShape().get(1));
                NDArray sum = base.zerosLike();
                List<NDArray> lowRanks = Concurrent.map(taskVectors, tv -> {
                    try (NDArray centred = tv.sub(meanTv); GramSvd f = GramSvd.of(centred)) {
                        return f.truncated(rank(f, dim));
                    }
                });
                for (NDArray l : lowRanks) {
                    sum.addi(l);
                    l.close();
                }
                result = avg.add(sum.muli(lambda));
            }
            NDScope.unregister(result);
        }
        return result;
    }

    private int rank(GramSvd f, int dim) {
        if (rankMode == RankMode.ENERGY) {
            return LowRank.energyRank(f.singularValues(), rankRatio);
        }
        int k = (int) (rankRatio * dim);
        return rule.kind() == CartKeyRule.Kind.CLIP ? Math.max(1, k) : k;
    }
}
