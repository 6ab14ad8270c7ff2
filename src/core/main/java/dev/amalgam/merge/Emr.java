package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.stages.Election;


/**
 * EMR-Merging, Elect–Mask–Rescale (docs/methods/merge-methods.md §4). Per tensor: flag = +1 where Σ_t τ_t > 0 else −1,
 * M_t = (τ_t ⊙ flag) > 0, ε = flag ⊙ max_t |τ_t ⊙ M_t|. One statistic pass gives the rescalers
 * λ_t = Σ_n mean|τ_t[n]| / Σ_n mean|ε[n] ⊙ M_t[n]| (sums over tensors of per-tensor means, every tensor
 * counts equally). Task t's model: θ_t = θ_0 + λ_t (M_t ⊙ ε). A zero denominator (M_t empty everywhere,
 * so λ_t multiplies nothing) gives λ_t = 1.
 *
 * <p>{@link #merge} (no task identity, Amalgam's choice) returns the mean of the T task models,
 * θ_0 + (1/T) Σ_t λ_t M_t ⊙ ε.
 */
public final class Emr implements TaskModulated {
    public static final java.util.List<ParamDef> PARAMS = java.util.List.of();

    private double[] numerators;
    private double[] denominators;
    private double[] scales;

    public static Emr fromParams(MethodParams p) {
        p.checkKnown(PARAMS);
        return new Emr();
    }

    @Override
    public String name() {
        return "emr";
    }

    @Override
    public String describe() {
        return "emr(no hyperparameters; task model = θ_0 + λ_t·M_t⊙ε, merge() = mean of task models)";
    }

    @Override
    public java.util.List<StatisticPass> statisticPasses() {
        numerators = null;
        denominators = null;
        scales = null;
        return java.util.List.of(StatisticPass.of("emr: per-task rescaler sums", this::observe, this::endPass));
    }

    private void observe(TensorStep step) {
        int tasks = step.taskCount();
        if (numerators == null) {
            numerators = new double[tasks];
            denominators = new double[tasks];
        } else if (numerators.length != tasks) {
            throw new AmalgamException("emr: tensor " + step.name() + " has " + tasks + " task vectors, expected "
                    + numerators.length);
        }
        long n = step.base().getShape().size();
        if (n == 0) {
            return;
        }
        if (step.views() != null) {
            double[][] sums = Election.sums(step.views());
            for (int t = 0; t < tasks; t++) {
                numerators[t] += sums[t][0] / n;
                denominators[t] += sums[t][1] / n;
            }
            return;
        }
        NDArray stacked = step.stackedTaskVectors();
        double[][] sums = Election.Arrays.of(stacked).sums(stacked);
        for (int t = 0; t < tasks; t++) {
            numerators[t] += (float) sums[t][0] / n;
            denominators[t] += (float) sums[t][1] / n;
        }
    }

    private void endPass() {
        if (numerators == null) {
            scales = new double[0];
            return;
        }
        scales = new double[numerators.length];
        for (int t = 0; t < scales.length; t++) {
            scales[t] = denominators[t] > 0 ? numerators[t] / denominators[t] : 1.0;
        }
    }

    static Modulation elect(TensorStep step) {
        if (step.views() != null) {
            NDArray[] r = Election.modulation(step.views(), step.manager(), step.base().getShape());
            return new Modulation(r[0], java.util.Arrays.copyOfRange(r, 1, r.length));
        }
        Election.Arrays e = Election.Arrays.of(step.stackedTaskVectors());
        return new Modulation(e.eps(), TallMasks.rows(e.maskF().toType(DataType.BOOLEAN, false)));
    }

    @Override
    public Modulation modulate(TensorStep step) {
        return elect(step);
    }

    @Override
    public double[] taskScales() {
        if (scales == null) {
            throw new IllegalStateException("emr: rescalers are known only after the statistic pass");
        }
        return scales.clone();
    }

    @Override
    public NDArray merge(TensorStep step) {
        if (scales == null) {
            throw new IllegalStateException("emr: merge before the statistic pass");
        }
        if (step.views() != null) {
            return Election.merge(step.views(), step.manager(), step.base().getShape(), scales);
        }
        return Election.Arrays.of(step.stackedTaskVectors()).merge(step.base(), scales);
    }
}
