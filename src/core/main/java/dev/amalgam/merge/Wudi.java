package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.ops.Adam;
import dev.amalgam.merge.ops.WudiObjective;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * WUDI merging, "Whoever Started the Interference Should End It" (Cheng et al., ICML 2025;
 * docs/methods/wudi.md), data-free. Per 2-D tensor not matched by {@code exclude_keys}: the merged
 * update M starts at Σ_t τ_t and takes {@code iter_num} Adam steps (learning rate {@code lr}) on
 * L(M) = Σ_t ‖(M − τ_t) τ_tᵀ‖²_F / ‖τ_t‖²_F ({@link WudiObjective}). Other tensors: mean_t τ_t.
 * θ = θ_0 + M. Defaults are FusionBench's (iter_num 400, lr 1e-5, no exclusions).
 *
 * <p>A task vector that is zero on a tensor (LwPTV pruned it, or the fine-tune left it alone) has no
 * term in L: its weight 1/‖τ‖² is undefined and its term is zero for every finite weight.
 */
public final class Wudi implements MergeMethod {
    public static final String NAME = "wudi";
    public static final int DEFAULT_ITER_NUM = 400;
    public static final double DEFAULT_LR = 1e-5;
    static final ParamDef ITER_NUM = ParamDef.global("iter_num", ParamDef.Type.INTEGER, DEFAULT_ITER_NUM, "Adam steps per matrix");
    static final ParamDef LR = ParamDef.global("lr", ParamDef.Type.NUMBER, DEFAULT_LR, "Adam learning rate");
    static final ParamDef EXCLUDE_KEYS = ParamDef.global("exclude_keys", ParamDef.Type.TEXT, null,
            "regex of matrices left to the mean of the task vectors");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(ITER_NUM, LR, EXCLUDE_KEYS);

    private final int iterations;
    private final double lr;
    private final Pattern exclude;

    public Wudi(int iterations, double lr, Pattern exclude) {
        if (iterations < 0) {
            throw new AmalgamException(NAME + ": parameter 'iter_num' must be >= 0, got " + iterations);
        }
        if (!(lr >= 0 && Double.isFinite(lr))) {
            throw new AmalgamException(NAME + ": parameter 'lr' must be a finite number >= 0, got " + lr);
        }
        this.iterations = iterations;
        this.lr = lr;
        this.exclude = exclude;
    }

    public static Wudi fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new Wudi(p.integer(ITER_NUM), p.number(LR), SvdMethodSupport.excludePattern(NAME, p.text(EXCLUDE_KEYS)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "WUDI iter_num=%d lr=%s exclude_keys=%s", iterations, lr,
                SvdMethodSupport.excludeLabel(exclude));
    }

    @Override
    public NDArray merge(TensorStep step) {
        return SvdMethodSupport.mergeDelta(step, exclude, 1.0, s -> mergedUpdate(s.stackedTaskVectors(), iterations, lr));
    }

    /** M after {@code iterations} Adam steps from Σ_t τ_t, for task vectors stacked as [T, out, in]. */
    public static NDArray mergedUpdate(NDArray stacked, int iterations, double lr) {
        NDArray start = stacked.sum(new int[]{0});
        if (iterations == 0) {
            return start;
        }
        NDArray displacement = start.zerosLike();
        try (WudiObjective objective = WudiObjective.of(stacked, start); Adam adam = new Adam(displacement, lr)) {
            for (int i = 0; i < iterations; i++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    adam.step(objective.gradient(displacement));
                }
            }
        }
        return start.addi(displacement);
    }
}
