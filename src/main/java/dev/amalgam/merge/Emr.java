package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;

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
        Modulation mod = elect(step);
        NDArray absEps = mod.shared().abs();
        for (int t = 0; t < tasks; t++) {
            numerators[t] += step.taskVector(t).abs().mean().getFloat();
            denominators[t] += absEps.mul(mod.masks()[t].toType(DataType.FLOAT32, false)).mean().getFloat();
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

    /** flag, masks and ε of one tensor. */
    static Modulation elect(TensorStep step) {
        NDArray sum = step.base().zerosLike();
        for (NDArray tv : step.taskVectors()) {
            sum = sum.add(tv);
        }
        NDArray flag = sum.gt(0).toType(DataType.FLOAT32, false).mul(2f).sub(1f);
        NDArray[] masks = new NDArray[step.taskCount()];
        NDArray maxAbs = step.base().zerosLike();
        for (int t = 0; t < masks.length; t++) {
            NDArray tv = step.taskVector(t);
            masks[t] = tv.mul(flag).gt(0);
            maxAbs = maxAbs.maximum(tv.mul(masks[t].toType(DataType.FLOAT32, false)).abs());
        }
        return new Modulation(maxAbs.mul(flag), masks);
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
        Modulation mod = elect(step);
        NDArray acc = step.base().zerosLike();
        for (int t = 0; t < mod.masks().length; t++) {
            acc = acc.add(mod.shared().mul(mod.masks()[t].toType(DataType.FLOAT32, false)).mul((float) scales[t]));
        }
        return step.base().add(acc.div((float) Math.max(1, mod.masks().length)));
    }
}
