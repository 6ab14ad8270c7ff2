package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.linalg.Concurrent;
import dev.amalgam.merge.linalg.GramSvd;
import dev.amalgam.merge.linalg.LowRank;
import dev.amalgam.merge.linalg.Svd;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * TSV-M, Task Singular Vectors Merge (Gargiulo et al., CVPR 2025; docs/methods/merge-methods.md §12). Per 2-D
 * tensor [m, n] with r = min(m, n) and k = int(r / T): the top-k singular triplets of every τ_t are
 * concatenated into U [m, r], S [r], Vh [r, n] (blocks t·k … (t+1)·k, the rest zero), U and Vh are
 * replaced by their orthogonal polar factors, and Δ = U⊥ · diag(S) · V⊥ᵀ. Other tensors, and keys
 * matching {@code exclude_keys} (default {@code text_projection}, as in the original), use
 * mean_t τ_t. θ = θ_0 + α · Δ.
 *
 * <p>When r &lt; T, k = 0 and Δ = 0 for that tensor: it keeps θ_0 (the original would do the same).
 */
public final class Tsvm implements MergeMethod {
    public static final String NAME = "tsv_m";
    static final String DEFAULT_EXCLUDE = "text_projection";
    static final ParamDef ALPHA = ParamDef.global("alpha", ParamDef.Type.NUMBER, 1.0, "scales the merged task vector");
    static final ParamDef EXCLUDE_KEYS = ParamDef.global("exclude_keys", ParamDef.Type.TEXT, DEFAULT_EXCLUDE, "regex of tensors left to plain averaging");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(ALPHA, EXCLUDE_KEYS);

    private final double alpha;
    private final Pattern exclude;

    public Tsvm(double alpha, Pattern exclude) {
        this.alpha = alpha;
        this.exclude = exclude;
    }

    /** Defaults: α = 1.0 (FusionBench TaskSingularVectorMerging.yaml), exclude_keys "text_projection". */
    public static Tsvm fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new Tsvm(p.number(ALPHA), SvdMethodSupport.excludePattern(NAME, p.text(EXCLUDE_KEYS)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "TSV-M alpha=%s exclude_keys=%s", alpha, SvdMethodSupport.excludeLabel(exclude));
    }

    @Override
    public NDArray merge(TensorStep step) {
        return SvdMethodSupport.mergeDelta(step, exclude, alpha, Tsvm::delta);
    }

    private static NDArray delta(TensorStep step) {
        long m = step.base().getShape().get(0);
        long n = step.base().getShape().get(1);
        int r = (int) Math.min(m, n);
        int tasks = step.taskCount();
        int k = r / tasks;
        if (k == 0) {
            return step.base().zerosLike();
        }
        NDList us = new NDList();
        NDList ss = new NDList();
        NDList vhs = new NDList();
        List<Svd.Thin> tops = Concurrent.map(step.taskVectors(), tv -> {
            try (GramSvd g = GramSvd.of(tv)) {
                return g.top(k);
            }
        });
        for (Svd.Thin f : tops) {
            us.add(f.u());
            ss.add(f.s());
            vhs.add(f.vh());
        }
        int pad = r - tasks * k;
        if (pad > 0) {
            NDArray any = step.base();
            us.add(any.getManager().zeros(new Shape(m, pad)));
            ss.add(any.getManager().zeros(new Shape(pad)));
            vhs.add(any.getManager().zeros(new Shape(pad, n)));
        }
        return LowRank.orthogonalRecombine(NDArrays.concat(us, 1), NDArrays.concat(ss, 0), NDArrays.concat(vhs, 0));
    }
}
