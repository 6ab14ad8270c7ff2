package dev.amalgam.merge.mergekit;


import dev.amalgam.merge.ParamDef;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * MergeKit's task-arithmetic family as one method configured by stages (docs/mergekit.md): per task
 * vector a sparsifier (none, magnitude, random, magnitude_outliers, della_magprune) with optional L1
 * rescale; per-model weights; an optional sign consensus (sum or count); normalisation by the summed
 * weights of the contributing models; λ. θ = θ_0 + λ · Σ_t w_t m_t τ̂_t / D, with m_t the consensus
 * mask (1 without consensus) and D = Σ_t w_t m_t when normalize is on (0 → 1), else 1.
 * Math: docs/methods/mergekit-methods.md §1.
 */
public final class GeneralizedTaskArithmetic extends MergeKitMethod {

    /** One registry row: name, sparsifier, consensus and MergeKit's built-in defaults. */
    public record Variant(String name, Sparsifier sparsifier, Consensus consensus, boolean normalize, boolean rescale,
                          String doc) {
    }

    public enum Consensus { SUM, COUNT }

    public static final List<Variant> VARIANTS = List.of(
            new Variant("task_arithmetic", null, null, false, false, "θ_0 + λ Σ w_t τ_t (Ilharco et al. 2023)"),
            new Variant("ties", Sparsifier.MAGNITUDE, Consensus.SUM, true, false,
                    "per-tensor magnitude trim, sign election, disjoint mean (Yadav et al. 2023)"),
            new Variant("dare_ties", Sparsifier.RANDOM, Consensus.SUM, false, true,
                    "random drop with L1 rescale, then TIES sign election (Yu et al. 2024)"),
            new Variant("dare_linear", Sparsifier.RANDOM, null, false, true, "random drop with L1 rescale, weighted sum"),
            new Variant("breadcrumbs", Sparsifier.MAGNITUDE_OUTLIERS, null, false, false,
                    "drop the largest γ and the smallest entries per tensor (Davari & Belilovsky 2024)"),
            new Variant("breadcrumbs_ties", Sparsifier.MAGNITUDE_OUTLIERS, Consensus.SUM, false, false,
                    "Breadcrumbs with TIES sign election"),
            new Variant("della", Sparsifier.DELLA_MAGPRUNE, Consensus.SUM, true, true,
                    "magnitude-ranked random drop (density ± ε), L1 rescale, sign election (Deep et al. 2024)"),
            new Variant("della_linear", Sparsifier.DELLA_MAGPRUNE, null, false, true,
                    "DELLA's drop without sign election"));

    static final ParamDef WEIGHT = ParamDef.requiredPerModel("weight", ParamDef.Type.NUMBER, "scales the model's task vector");
    static final ParamDef DENSITY = ParamDef.perModel("density", ParamDef.Type.NUMBER, 1.0, "fraction of entries kept");
    static final ParamDef GAMMA = ParamDef.perModel("gamma", ParamDef.Type.NUMBER, 0.01,
            "fraction of largest-magnitude entries dropped (breadcrumbs)");
    static final ParamDef EPSILON = ParamDef.perModel("epsilon", ParamDef.Type.NUMBER, 0.15,
            "half-width of DELLA's keep probabilities around density");
    static final ParamDef INT8_MASK = ParamDef.global("int8_mask", ParamDef.Type.BOOLEAN, false,
            "store masks as int8 in MergeKit (memory only: 0/1 masks are exact in any dtype, so no effect on results)");
    static final ParamDef LAMBDA = ParamDef.global("lambda", ParamDef.Type.NUMBER, 1.0, "scales the merged task vector");

    private final Variant variant;
    private final long seed;

    public GeneralizedTaskArithmetic(Variant variant, TensorParameters params, boolean hasBase, long seed) {
        super(params, hasBase);
        this.variant = variant;
        this.seed = seed;
    }

    public static Variant variant(String name) {
        return VARIANTS.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }

    @Override
    public String name() {
        return variant.name();
    }

    private ParamDef normalizeDef() {
        return ParamDef.global("normalize", ParamDef.Type.BOOLEAN, variant.normalize(),
                "divide by the summed weights of the contributing models");
    }

    private ParamDef rescaleDef() {
        return ParamDef.global("rescale", ParamDef.Type.BOOLEAN, variant.rescale(),
                "after dropping, restore each task vector's L1 norm");
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(INT8_MASK, normalizeDef(), rescaleDef(), LAMBDA);
    }

    @Override
    public List<ParamDef> modelParams() {
        List<ParamDef> d = new ArrayList<>(List.of(WEIGHT, DENSITY));
        if (variant.sparsifier() == Sparsifier.MAGNITUDE_OUTLIERS) {
            d.add(GAMMA);
        }
        if (variant.sparsifier() == Sparsifier.DELLA_MAGPRUNE) {
            d.add(EPSILON);
        }
        return d;
    }

    /**
     * Fast forms of the same math: task arithmetic as one whole-array weighted sum (any device); the rest
     * as the engine's fused trim–elect–merge kernel ({@link GtaKernel}) on the CPU, or the stages'
     * whole-array forms ({@link GtaWholeArray}) on another device. What they do not cover (a count
     * consensus, NaN inputs, selections that keep nothing, huge tensors on the CPU) takes the staged
     * float path below.
     */
    @Override
    public ai.djl.ndarray.NDArray merge(dev.amalgam.merge.TensorStep step) {
        int tasks = step.taskCount();
        if (tasks == 0) {
            return super.merge(step);
        }
        TensorParameters.Resolved p = params.forTensor(step.name(), tasks);
        if (variant.sparsifier() == null && variant.consensus() == null) {
            double[] w = p.perTask(WEIGHT);
            p.global(INT8_MASK);
            for (int t = 0; t < tasks; t++) {
                p.model(DENSITY, t);
            }
            double wSum = 0;
            for (double x : w) {
                wSum += x;
            }
            double divisor = p.bool(normalizeDef()) && Math.abs(wSum) >= 1e-8 ? wSum : 1.0;
            float scale = (float) (p.number(LAMBDA) / divisor);
            return dev.amalgam.merge.ops.TaskReductions.weightedSum(step.stackedTaskVectors(), w).muli(scale).addi(step.base());
        }
        Sparsifier sp = variant.sparsifier();
        double[] w = p.perTask(WEIGHT);
        double[] density = p.perTask(DENSITY);
        double[] gamma = sp == Sparsifier.MAGNITUDE_OUTLIERS ? p.perTask(GAMMA) : new double[tasks];
        double[] eps = sp == Sparsifier.DELLA_MAGPRUNE ? p.perTask(EPSILON) : new double[tasks];
        p.global(INT8_MASK);
        GtaKernel.Settings settings = new GtaKernel.Settings(name(), w, density, gamma, eps,
                p.bool(rescaleDef()), p.bool(normalizeDef()), p.number(LAMBDA), seed);
        ai.djl.ndarray.NDArray fast = GtaWholeArray.applies(step) ? GtaWholeArray.merge(variant, step, settings)
                : GtaKernel.merge(variant, step, settings);
        return fast != null ? fast : super.merge(step);
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        int tasks = in.tasks();
        int n = in.n();
        if (tasks == 0) {
            return in.base();
        }
        double[] w = p.perTask(WEIGHT);
        boolean rescale = p.bool(rescaleDef());
        boolean normalize = p.bool(normalizeDef());
        double lambda = p.number(LAMBDA);
        p.global(INT8_MASK);
        Sparsifier sp = variant.sparsifier();
        if (sp != null) {
            double[] density = p.perTask(DENSITY);
            double[] gamma = sp == Sparsifier.MAGNITUDE_OUTLIERS ? p.perTask(GAMMA) : new double[tasks];
            double[] eps = sp == Sparsifier.DELLA_MAGPRUNE ? p.perTask(EPSILON) : new double[tasks];
            IntStream.range(0, tasks).parallel().forEach(t -> sp.apply(name(), in.name(), in.shape(), in.deltas()[t],
                    new Sparsifier.Setting(density[t], gamma[t], eps[t], rescale, seed, t)));
        }
        float[] out = new float[n];
        float[] wf = new float[tasks];
        for (int t = 0; t < tasks; t++) {
            wf[t] = (float) w[t];
        }
        float wSum = 0;
        for (float x : wf) {
            wSum += x;
        }
        float plainDivisor = Math.abs(wSum) < 1e-8 ? 1f : wSum;
        float[] base = in.base();
        float[][] d = in.deltas();
        Consensus consensus = variant.consensus();
        float lam = (float) lambda;
        int chunk = 1 << 14;
        IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            int end = Math.min(n, (c + 1) * chunk);
            for (int i = c * chunk; i < end; i++) {
                float mixed = 0;
                float divisor;
                if (consensus == null) {
                    for (int t = 0; t < tasks; t++) {
                        mixed += d[t][i] * wf[t];
                    }
                    divisor = plainDivisor;
                } else {
                    float vote = 0;
                    for (int t = 0; t < tasks; t++) {
                        float v = d[t][i] * wf[t];
                        vote += consensus == Consensus.SUM ? v : Math.signum(v);
                    }
                    float majority = vote >= 0 ? 1f : -1f;
                    divisor = 0;
                    for (int t = 0; t < tasks; t++) {
                        float v = d[t][i] * wf[t];
                        if (Math.signum(v) == majority) {
                            mixed += v;
                            divisor += wf[t];
                        }
                    }
                    if (divisor == 0) {
                        divisor = 1;
                    }
                }
                if (normalize) {
                    mixed /= divisor;
                }
                if (lam != 1f) {
                    mixed *= lam;
                }
                out[i] = base[i] + mixed;
            }
        });
        return out;
    }

    /** Whether {@code name} is one of the family's registry rows. */
    public static boolean isVariant(String name) {
        return variant(name) != null;
    }

}
