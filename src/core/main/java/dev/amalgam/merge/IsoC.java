package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.linalg.Svd;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Iso-C, isotropic merging in the common subspace (Marczak et al., "No Task Left Behind";
 * docs/methods/merge-methods.md §13). Per 2-D tensor: M = Σ_t τ_t = U·diag(S)·Vh and Δ = mean(S) · U·Vh (the
 * spectrum flattened to its mean). Other tensors and {@code exclude_keys} matches: mean_t τ_t.
 * θ = θ_0 + α · Δ. An all-zero M gives Δ = 0.
 */
public final class IsoC implements MergeMethod {
    public static final String NAME = "iso_c";
    static final ParamDef ALPHA = ParamDef.global("alpha", ParamDef.Type.NUMBER, 1.0, "scales the merged task vector");
    static final ParamDef EXCLUDE_KEYS = ParamDef.global("exclude_keys", ParamDef.Type.TEXT, null, "regex of tensors left to plain averaging");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(ALPHA, EXCLUDE_KEYS);

    private final double alpha;
    private final Pattern exclude;

    public IsoC(double alpha, Pattern exclude) {
        this.alpha = alpha;
        this.exclude = exclude;
    }

    /** Defaults: α = 1.0 (FusionBench iso_c.yaml; its docs and results table use 1.5). */
    public static IsoC fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new IsoC(p.number(ALPHA), SvdMethodSupport.excludePattern(NAME, p.text(EXCLUDE_KEYS)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Iso-C alpha=%s exclude_keys=%s", alpha, SvdMethodSupport.excludeLabel(exclude));
    }

    @Override
    public NDArray merge(TensorStep step) {
        return SvdMethodSupport.mergeDelta(step, exclude, alpha, s -> {
            Svd.Thin f = Svd.thin(SvdMethodSupport.mean(s.taskVectors()).muli(s.taskCount()));
            return f.u().matMul(f.vh()).muli(f.s().mean());
        });
    }
}
