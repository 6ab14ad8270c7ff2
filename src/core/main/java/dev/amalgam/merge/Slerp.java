package dev.amalgam.merge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.amalgam.AmalgamException;

import java.util.Set;

/**
 * SLERP (docs/methods/merge-methods.md §15) of exactly two fine-tuned models θ_1 (t = 0) and θ_2 (t = 1), raw
 * weights, per tensor: with n_i = ‖v_i‖ (normalisation skipped when ≤ 1e-8) and dot = v_1·v_2/(n_1 n_2),
 * |dot| > 0.9995 gives the linear blend (1 − t)v_1 + t v_2, otherwise
 * sin((1 − t)Ω)/sin Ω · v_1 + sin(tΩ)/sin Ω · v_2 with Ω = acos(dot). Default t = 0.5.
 *
 * <p>The pre-trained θ_0 of the step is not used (MergeKit's {@code base_model} for slerp is just the
 * t = 0 endpoint; a recipe maps it to the first model).
 */
public final class Slerp implements MergeMethod {
    public static final Set<String> KEYS = Set.of("t");
    static final double DOT_THRESHOLD = 0.9995;
    static final double EPS = 1e-8;

    private final double t;

    public Slerp(double t) {
        this.t = t;
    }

    public static Slerp fromParams(MethodParams p) {
        p.checkKnown(KEYS);
        return new Slerp(p.getDoubleIn("t", 0.5, 0.0, 1.0));
    }

    @Override
    public String name() {
        return "slerp";
    }

    @Override
    public String describe() {
        return "slerp(t=" + t + ", dot_threshold=" + DOT_THRESHOLD + ", eps=" + EPS + ", base model unused)";
    }

    @Override
    public NDArray merge(TensorStep step) {
        if (step.taskCount() != 2) {
            throw new AmalgamException("slerp: needs exactly 2 fine-tuned models, got " + step.taskCount()
                    + " (tensor " + step.name() + ")");
        }
        NDArray v0 = step.model(0);
        NDArray v1 = step.model(1);
        NDArray d0 = v0.toType(DataType.FLOAT64, false);
        NDArray d1 = v1.toType(DataType.FLOAT64, false);
        double n0 = Math.sqrt(d0.square().sum().getDouble());
        double n1 = Math.sqrt(d1.square().sum().getDouble());
        double dot = d0.mul(d1).sum().getDouble() / ((n0 > EPS ? n0 : 1.0) * (n1 > EPS ? n1 : 1.0));
        double s0;
        double s1;
        if (Math.abs(dot) > DOT_THRESHOLD) {
            s0 = 1.0 - t;
            s1 = t;
        } else {
            double omega = Math.acos(dot);
            double sinOmega = Math.sin(omega);
            s0 = Math.sin((1.0 - t) * omega) / sinOmega;
            s1 = Math.sin(t * omega) / sinOmega;
        }
        return v0.mul((float) s0).add(v1.mul((float) s1));
    }
}
