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
 * Iso-CTS, isotropic merging in the common and task-specific subspaces (Marczak et al.;
 * docs/methods/merge-methods.md §13). Per 2-D tensor [m, n], r = min(m, n), fraction f:
 * <pre>
 *   kc = int(r·f);  kc = r − round((r − kc)/T)·T;  d = (r − kc)/T      (round half to even, as Python)
 *   U, S, Vh = svd(Σ_t τ_t);  Uc = U[:, :kc]
 *   per task: W_t = τ_t − Uc·Ucᵀ·τ_t, its top-d triplets fill block t·d … (t+1)·d
 *   the common triplets (top kc of Σ τ_t) fill columns T·d … T·d + kc
 *   Δ = polar(U) · mean(S_all) · polar(Vh)
 * </pre>
 * Other tensors and {@code exclude_keys} matches: mean_t τ_t. θ = θ_0 + α · Δ.
 *
 * <p>For tiny matrices (r &lt; about 0.6·T at f = 0.8) the formula gives kc &lt; 0; then kc = 0 and
 * d = floor(r / T), and the unused tail of the spectrum is zero (the source does not cover it).
 */
public final class IsoCts implements MergeMethod {
    public static final String NAME = "iso_cts";
    static final ParamDef COMMON = ParamDef.global("common_space_fraction", ParamDef.Type.NUMBER, 0.8, "share of the rank given to the common subspace");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(IsoC.ALPHA, COMMON, IsoC.EXCLUDE_KEYS);

    private final double alpha;
    private final double commonFraction;
    private final Pattern exclude;

    public IsoCts(double alpha, double commonFraction, Pattern exclude) {
        this.alpha = alpha;
        this.commonFraction = commonFraction;
        this.exclude = exclude;
    }

    /** Defaults: α = 1.0, common_space_fraction 0.8 (FusionBench iso_cts.yaml; its table uses α 1.5). */
    public static IsoCts fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new IsoCts(p.number(IsoC.ALPHA), p.numberIn(COMMON, 0, 1),
                SvdMethodSupport.excludePattern(NAME, p.text(IsoC.EXCLUDE_KEYS)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Iso-CTS alpha=%s common_space_fraction=%s exclude_keys=%s", alpha, commonFraction,
                SvdMethodSupport.excludeLabel(exclude));
    }

    /** {kc, d}: the common-space size and the per-task size for rank r and T tasks. */
    static int[] split(int r, int tasks, double fraction) {
        int kc = (int) (r * fraction);
        kc = r - (int) Math.rint((double) (r - kc) / tasks) * tasks;
        if (kc < 0) {
            kc = 0;
        }
        return new int[]{kc, (r - kc) / tasks};
    }

    @Override
    public NDArray merge(TensorStep step) {
        return SvdMethodSupport.mergeDelta(step, exclude, alpha, this::delta);
    }

    private NDArray delta(TensorStep step) {
        long m = step.base().getShape().get(0);
        long n = step.base().getShape().get(1);
        int r = (int) Math.min(m, n);
        int tasks = step.taskCount();
        int[] kd = split(r, tasks, commonFraction);
        int kc = kd[0];
        int d = kd[1];
        NDArray sum = SvdMethodSupport.mean(step.taskVectors()).muli(tasks);
        Svd.Thin common = null;
        List<Svd.Thin> tops = List.of();
        if (m <= n) {
            // W_t = (I − Uc·Ucᵀ)·τ_t = Q·(Qᵀ·τ_t) with Q the other m − kc left singular vectors of Σ τ_t, so
            // the SVD of W_t is Q times the SVD of the small (m − kc) × n matrix Qᵀ·τ_t: the same
            // triplets from a Gram matrix of (m − kc)² instead of m². Needs Uc from the same
            // eigenbasis, i.e. no numerically zero singular value among the leading kc.
            try (GramSvd g = GramSvd.ofLeft(sum)) {
                if (g.gramTop(kc)) {
                    common = g.top(kc);
                    NDArray q = g.leftComplement(kc);
                    NDArray qT = q.transpose();
                    if (d > 0) {
                        tops = Concurrent.map(step.taskVectors(), tv -> {
                            try (NDArray a = qT.matMul(tv); GramSvd ga = GramSvd.of(a); Svd.Thin small = ga.top(d)) {
                                return new Svd.Thin(q.matMul(small.u()), small.s().duplicate(), small.vh().duplicate());
                            }
                        });
                    }
                }
            }
        }
        if (common == null) {
            try (GramSvd g = GramSvd.of(sum)) {
                common = g.top(kc);
            }
            NDArray uc = common.u();
            NDArray ucT = uc.transpose();
            if (d > 0) {
                tops = Concurrent.map(step.taskVectors(), tv -> {
                    // worker threads are outside the caller's NDScope: close the temporaries here
                    try (NDArray coeff = ucT.matMul(tv); NDArray proj = uc.matMul(coeff); NDArray w = tv.sub(proj);
                         GramSvd g = GramSvd.of(w)) {
                        return g.top(d);
                    }
                });
            }
        }
        NDArray uc = common.u();
        NDList us = new NDList();
        NDList ss = new NDList();
        NDList vhs = new NDList();
        for (Svd.Thin f : tops) {
            us.add(f.u());
            ss.add(f.s());
            vhs.add(f.vh());
        }
        us.add(uc);
        ss.add(common.s());
        vhs.add(common.vh());
        int pad = r - tasks * d - kc;
        if (pad > 0) {
            us.add(step.manager().zeros(new Shape(m, pad)));
            ss.add(step.manager().zeros(new Shape(pad)));
            vhs.add(step.manager().zeros(new Shape(pad, n)));
        }
        NDArray s = NDArrays.concat(ss, 0);
        NDArray flat = s.onesLike().muli(s.mean());
        return LowRank.orthogonalRecombine(NDArrays.concat(us, 1), flat, NDArrays.concat(vhs, 0));
    }
}
