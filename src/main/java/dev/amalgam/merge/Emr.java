package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.ops.TaskReductions;

import java.util.Set;

/**
 * EMR-Merging, Elect–Mask–Rescale (merge-methods.md §4). Per tensor: flag = +1 where Σ_t τ_t > 0 else −1,
 * M_t = (τ_t ⊙ flag) > 0, ε = flag ⊙ max_t |τ_t ⊙ M_t|. One statistic pass gives the rescalers
 * λ_t = Σ_n mean|τ_t[n]| / Σ_n mean|ε[n] ⊙ M_t[n]| (sums over tensors of per-tensor means, every tensor
 * counts equally). Task t's model: θ_t = θ_0 + λ_t (M_t ⊙ ε). A zero denominator (M_t empty everywhere,
 * so λ_t multiplies nothing) gives λ_t = 1.
 *
 * <p>{@link #merge} (no task identity, Amalgam's choice) returns the mean of the T task models,
 * θ_0 + (1/T) Σ_t λ_t M_t ⊙ ε.
 */
public final class Emr implements TaskModulated {
    public static final Set<String> KEYS = Set.of();

    private double[] numerators;
    private double[] denominators;
    private double[] scales;

    public static Emr fromParams(MethodParams p) {
        p.checkKnown(KEYS);
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
    public int statisticPasses() {
        return 1;
    }

    @Override
    public void observe(int pass, TensorStep step) {
        int tasks = step.taskCount();
        if (numerators == null) {
            numerators = new double[tasks];
            denominators = new double[tasks];
        } else if (numerators.length != tasks) {
            throw new AmalgamException("emr: tensor " + step.name() + " has " + tasks + " task vectors, expected "
                    + numerators.length);
        }
        Election e = Election.of(step);
        NDArray stacked = step.stackedTaskVectors();
        float[] num = stacked.abs().reshape(tasks, -1).mean(new int[]{1}).toFloatArray();
        float[] den = e.maskF.mul(e.eps.abs()).reshape(tasks, -1).mean(new int[]{1}).toFloatArray();
        for (int t = 0; t < tasks; t++) {
            numerators[t] += num[t];
            denominators[t] += den[t];
        }
    }

    @Override
    public void endPass(int pass) {
        if (numerators == null) {
            scales = new double[0];
            return;
        }
        scales = new double[numerators.length];
        for (int t = 0; t < scales.length; t++) {
            scales[t] = denominators[t] > 0 ? numerators[t] / denominators[t] : 1.0;
        }
    }

    /** flag = ±1, masks M_t = (τ_t ⊙ flag) > 0 stacked [T, ...] (as 0/1 F32), and ε of one tensor. */
    record Election(NDArray eps, NDArray maskF) {
        static Election of(TensorStep step) {
            NDArray stacked = step.stackedTaskVectors();
            NDArray flag = stacked.sum(new int[]{0}).gt(0).toType(DataType.FLOAT32, false).muli(2f).subi(1f);
            NDArray maskF = stacked.mul(flag).gt(0).toType(DataType.FLOAT32, false);
            NDArray eps = stacked.mul(maskF).abs().max(new int[]{0}).muli(flag);
            return new Election(eps, maskF);
        }
    }

    static Modulation elect(TensorStep step) {
        Election e = Election.of(step);
        NDArray masks = e.maskF.toType(DataType.BOOLEAN, false);
        NDArray[] rows = new NDArray[step.taskCount()];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = masks.get(t);
        }
        return new Modulation(e.eps, rows);
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
        Election e = Election.of(step);
        int tasks = step.taskCount();
        // (1/T) Σ_t λ_t M_t ⊙ ε = ε ⊙ (Σ_t λ_t M_t) / T
        NDArray weighted = TaskReductions.weightedSum(e.maskF, scales);
        return weighted.muli(e.eps).divi((float) Math.max(1, tasks)).addi(step.base());
    }
}
