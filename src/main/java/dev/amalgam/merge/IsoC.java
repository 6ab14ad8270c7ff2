package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.linalg.Svd;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Iso-C, isotropic merging in the common subspace (Marczak et al., "No Task Left Behind";
 * docs/methods/merge-methods.md §13). Per 2-D tensor: M = Σ_t τ_t = U·diag(S)·Vh and Δ = mean(S) · U·Vh (the
 * spectrum flattened to its mean). Other tensors and {@code exclude_keys} matches: mean_t τ_t.
 * θ = θ_0 + α · Δ. An all-zero M gives Δ = 0.
 */
public final class IsoC implements MergeMethod {
    public static final String NAME = "iso_c";
    public static final Set<String> KEYS = Set.of("alpha", "exclude_keys");

    private final double alpha;
    private final Pattern exclude;

    public IsoC(double alpha, Pattern exclude) {
        this.alpha = alpha;
        this.exclude = exclude;
    }

    /** Defaults: α = 1.0 (FusionBench iso_c.yaml; its docs and results table use 1.5). */
    public static IsoC fromParams(MethodParams p) {
        p.checkKnown(KEYS);
        return new IsoC(p.getDouble("alpha", 1.0), SvdMethodSupport.excludePattern(NAME, p.getString("exclude_keys", null)));
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
