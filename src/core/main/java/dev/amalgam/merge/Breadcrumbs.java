package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.stages.Combine;
import dev.amalgam.merge.stages.MagnitudeTrim;
import dev.amalgam.merge.stages.RankSelect;
import dev.amalgam.merge.stages.StepViews;
import dev.amalgam.merge.stages.TrimCombineKernel;
import dev.amalgam.merge.ops.MergeFunction;
import dev.amalgam.merge.ops.TaskReductions;

import java.util.Locale;

/**
 * Model Breadcrumbs (docs/methods/merge-methods.md §6): drop the largest and the smallest entries of each τ_t, then
 * θ = θ_0 + α Σ_t w_t τ̃_t ({@code breadcrumbs}) or TIES election + disjoint merge of the τ̃_t scaled by α
 * ({@code breadcrumbs_ties}, MergeKit; sign +1 where Σ ≥ 0, merge default dis-mean = MergeKit normalize).
 *
 * <p>{@code variant=rows} (original, default): per row along the last dimension, remove the top
 * int(cols·γ) by |τ|, then keep the next int(cols·β); 0-d tensors unchanged. Defaults α=0.2, β=0.15,
 * γ=0.006 (the original search's initial point).
 *
 * <p>{@code variant=tensor} (MergeKit): per flattened tensor, keep int(density·n) entries after removing
 * the top int(γ·n) (when density + γ > 1 the top count shrinks to n − int(density·n)); density ≥ 1
 * leaves τ unchanged. γ = 0 keeps the top int(density·n) (MergeKit's empty-slice edge case is not
 * reproduced). No rescaling. Defaults density=0.9, γ=0.01 (MergeKit docs / code). β and density are
 * the same knob (keep fraction); give one.
 */
public final class Breadcrumbs implements MergeMethod {
    static final ParamDef VARIANT = ParamDef.global("variant", ParamDef.Type.TEXT, "rows", "rows: per-row bands (paper); tensor: one band per tensor");
    static final ParamDef ALPHA = ParamDef.global("alpha", ParamDef.Type.NUMBER, 0.2, "scales the merged task vector");
    static final ParamDef BETA = ParamDef.depending("beta", ParamDef.Type.NUMBER, "0.15 (rows) / 0.9 (tensor)", "fraction kept (give beta or density)");
    static final ParamDef DENSITY = ParamDef.depending("density", ParamDef.Type.NUMBER, "as beta", "MergeKit's name for beta");
    static final ParamDef GAMMA = ParamDef.depending("gamma", ParamDef.Type.NUMBER, "0.006 (rows) / 0.01 (tensor)", "fraction of largest magnitudes dropped");
    static final ParamDef WEIGHTS = ParamDef.depending("weights", ParamDef.Type.NUMBERS, "all 1", "per-task weights w_t, a list in task order");
    static final ParamDef MERGE = ParamDef.global("merge", ParamDef.Type.TEXT, "dis-mean", "breadcrumbs_ties only: dis-sum, dis-mean or dis-max");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(VARIANT, ALPHA, BETA, DENSITY, GAMMA, WEIGHTS, MERGE);

    private final String name;
    private final boolean rowWise;
    private final double alpha;
    private final double keep;
    private final double gamma;
    private final double[] weights;
    private final MergeFunction tiesMerge;

    public Breadcrumbs(String name, boolean rowWise, double alpha, double keep, double gamma, double[] weights,
                       MergeFunction tiesMerge) {
        this.name = name;
        this.rowWise = rowWise;
        this.alpha = alpha;
        this.keep = keep;
        this.gamma = gamma;
        this.weights = weights;
        this.tiesMerge = tiesMerge;
    }

    public static Breadcrumbs fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        String name = p.method();
        boolean rows;
        switch (p.text(VARIANT).trim().toLowerCase(Locale.ROOT)) {
            case "rows": case "original": rows = true; break;
            case "tensor": case "mergekit": rows = false; break;
            default: throw new AmalgamException(name + ": parameter 'variant' must be rows or tensor, got '"
                    + p.getString("variant", "") + "'");
        }
        if (p.has(BETA.name()) && p.has(DENSITY.name())) {
            throw new AmalgamException(name + ": give either 'beta' or 'density' (both are the keep fraction), not both");
        }
        String keepKey = p.has(DENSITY.name()) ? DENSITY.name() : BETA.name();
        double keep = p.getDoubleIn(keepKey, rows ? 0.15 : 0.9, 0.0, 1.0);
        double gamma = p.getDoubleIn(GAMMA.name(), rows ? 0.006 : 0.01, 0.0, 1.0);
        boolean ties = name.equals("breadcrumbs_ties");
        if (!ties && p.has(MERGE.name())) {
            throw new AmalgamException(name + ": 'merge' applies only to breadcrumbs_ties");
        }
        MergeFunction fn = ties ? MergeFunction.parse(name, p.text(MERGE)) : null;
        return new Breadcrumbs(name, rows, p.number(ALPHA), keep, gamma, ParamLists.doubles(p, WEIGHTS.name()), fn);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return name + "(variant=" + (rowWise ? "rows" : "tensor") + ", alpha=" + alpha + ", keep=" + keep + ", gamma="
                + gamma + ", weights=" + ParamLists.format(weights)
                + (tiesMerge == null ? "" : ", merge=" + tiesMerge.label() + ", zero-sign=+1") + ")";
    }

    /** τ̃ for one task vector. */
    public NDArray sparsify(NDArray tv) {
        return sparsifyRows(tv.expandDims(0)).squeeze(0);
    }

    /** τ̃_t for each row of stacked task vectors [T, ...], with one top-k over all tasks. */
    NDArray sparsifyRows(NDArray stacked) {
        long[] shape = stacked.getShape().getShape();
        if (rowWise) {
            if (shape.length == 1) {
                return stacked;
            }
            long cols = shape[shape.length - 1];
            return MagnitudeTrim.band(stacked, true, (long) (cols * gamma), (long) (cols * keep)).muli(stacked);
        }
        if (keep >= 1.0) {
            return stacked;
        }
        long tasks = shape[0];
        long n = tasks == 0 ? 0 : stacked.getShape().size() / tasks;
        long target = (long) (keep * n);
        long top = (long) (gamma * n);
        if (n - target - top < 0) {
            top = n - target;
        }
        NDArray flat = stacked.reshape(tasks, n);
        return MagnitudeTrim.band(flat, true, top, target).muli(flat).reshape(stacked.getShape());
    }

    /**
     * The band of each task vector as a trim: per segment (a row, or the flattened tensor) keep ranks
     * [skipTop, skipTop + keep) of |τ_t|; null when the step has no kernel views or holds a NaN, and
     * {@link #UNCHANGED} when nothing is trimmed.
     */
    private MagnitudeTrim band(TensorStep step) {
        StepViews v = step.views();
        if (v == null) {
            return null;
        }
        long[] shape = step.base().getShape().getShape();
        int n = v.n();
        long segment;
        long skipTop;
        long keepCount;
        if (rowWise) {
            if (shape.length == 0) {
                return UNCHANGED;
            }
            segment = shape[shape.length - 1];
            skipTop = (long) (segment * gamma);
            keepCount = (long) (segment * keep);
        } else {
            if (keep >= 1.0) {
                return UNCHANGED;
            }
            segment = n;
            keepCount = (long) (keep * n);
            skipTop = (long) (gamma * n);
            if (n - keepCount - skipTop < 0) {
                skipTop = n - keepCount;
            }
        }
        int segments = segment == 0 ? 0 : (int) (n / segment);
        float[][] lo = new float[v.tasks()][segments];
        float[][] hi = skipTop > 0 ? new float[v.tasks()][segments] : null;
        if (keepCount <= 0 || segment == 0 || skipTop >= segment) {
            for (float[] row : lo) {
                java.util.Arrays.fill(row, Float.NaN);
            }
            return new MagnitudeTrim(lo, hi, (int) Math.max(1, segment));
        }
        long hiRank = Math.min(segment, skipTop + keepCount);
        float[][][] b = skipTop > 0 ? RankSelect.magnitudes(v, (int) segment, hiRank, skipTop)
                : RankSelect.magnitudes(v, (int) segment, hiRank);
        if (b == null) {
            return null;
        }
        return new MagnitudeTrim(b[0], skipTop > 0 ? b[1] : null, (int) segment);
    }

    /** Marks "no trim" (a 0-d tensor in the rows variant, or keep ≥ 1). */
    private static final MagnitudeTrim UNCHANGED = MagnitudeTrim.atLeast(new float[0], 1);

    @Override
    public NDArray merge(TensorStep step) {
        ParamLists.checkPerTask(name, "weights", weights, step.taskCount(), step.name());
        MagnitudeTrim trim = band(step);
        if (trim != null) {
            Combine combine = tiesMerge == null ? Combine.sum() : Combine.ties(tiesMerge, weights, 1f);
            return new TrimCombineKernel(null, trim == UNCHANGED ? null : trim, weights, combine)
                    .merge(step.views(), step.manager(), step.base().getShape(), (float) alpha, true);
        }
        NDArray sparse = sparsifyRows(step.stackedTaskVectors());
        NDArray delta;
        if (tiesMerge == null) {
            delta = TaskArithmetic.weightedSum(step, sparse, weights, name);
        } else {
            NDArray weighted = weights == null ? sparse : sparse.mul(TaskReductions.perTask(sparse, weights));
            delta = Combine.ties(tiesMerge, weights, 1f).apply(weighted);
        }
        return delta.muli((float) alpha).addi(step.base());
    }
}
