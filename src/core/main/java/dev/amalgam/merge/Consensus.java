package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.stages.TallStage;


/**
 * Consensus merging (docs/methods/merge-methods.md §7): TALL masks m_t as in {@link TallMasks} (λ_t default 0.6,
 * τ_MTL from the TA sum or global TIES K=20 dis-sum), consensus c = [Σ_t m_t ≥ k] (k = 2 removes
 * "catastrophic" and "selfish" weights; k = 0 gives back TA/TIES), θ = θ_0 + α (τ_MTL ⊙ c).
 *
 * <p>α is swept on validation (0.1…1.0) in the paper; Amalgam's default α = 0.3 is the CLIP ViT 8-task
 * default of TA and TIES, which τ_MTL generalises (the consensus mask only removes entries).
 */
public final class Consensus implements MergeMethod {
    static final ParamDef K = ParamDef.global("k", ParamDef.Type.INTEGER, 2, "an entry is kept when at least k tasks' TALL masks keep it");
    static final ParamDef ALPHA = ParamDef.global("alpha", ParamDef.Type.NUMBER, 0.3, "scales the merged task vector");
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of(K, ALPHA, TallMasks.LAMBDA, TallMasks.MTL,
            TallMasks.TIES_K);

    private final int k;
    private final double alpha;
    private final double lambda;
    private final double[] lambdas;
    private final Ties ties;

    public Consensus(int k, double alpha, double lambda, double[] lambdas, Ties ties) {
        if (k < 0) {
            throw new AmalgamException("consensus: parameter 'k' must be ≥ 0, got " + k);
        }
        this.k = k;
        this.alpha = alpha;
        this.lambda = lambda;
        this.lambdas = lambdas;
        this.ties = ties;
    }

    public static Consensus fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new Consensus(p.integer(K), p.number(ALPHA), TallMasks.scalarLambda(p),
                TallMasks.listLambda(p), TallMasks.mtlTies(p));
    }

    @Override
    public String name() {
        return "consensus";
    }

    @Override
    public String describe() {
        return "consensus(k=" + k + ", alpha=" + alpha + ", lambda=" + TallMasks.describeLambda(lambda, lambdas)
                + ", mtl=" + TallMasks.describeMtl(ties) + ")";
    }

    @Override
    public java.util.List<StatisticPass> statisticPasses() {
        return ties == null ? java.util.List.of() : ties.statisticPasses();
    }

    @Override
    public NDArray merge(TensorStep step) {
        TallStage kernel = TallMasks.kernel(step, ties, lambda, lambdas, name());
        if (kernel != null) {
            return kernel.consensus(step.views(), step.manager(), step.base().getShape(), k, (float) alpha);
        }
        NDArray mtl = TallMasks.multiTask(step, ties);
        NDArray votes = TallStage.votes(TallMasks.stackedMasks(step, mtl, lambda, lambdas, name()));
        NDArray c = votes.gte((float) k).toType(DataType.FLOAT32, false);
        return mtl.muli(c).muli((float) alpha).addi(step.base());
    }
}
