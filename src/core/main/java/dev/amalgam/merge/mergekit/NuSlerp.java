package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;

import java.util.List;

/**
 * MergeKit {@code nuslerp}: SLERP of exactly two models with t = w_2 / (w_1 + w_2) (0.5 when the
 * weights cancel); with {@code base_model} it interpolates their task vectors and adds θ_0. By default
 * the whole tensor is one vector ({@code nuslerp_flatten: true}); otherwise each row vector of the
 * last dimension, or with {@code nuslerp_row_wise: true} each vector along dimension 0 (MergeKit's
 * code, which its docs describe the other way round). Norms are clamped at 1e-7; |sin θ| < 1e-8 lerps.
 * Math: docs/methods/mergekit-methods.md §3.
 */
public final class NuSlerp extends MergeKitMethod {
    static final ParamDef WEIGHT = ParamDef.requiredPerModel("weight", ParamDef.Type.NUMBER, "relative weight of the model");
    static final ParamDef ROW_WISE = ParamDef.global("nuslerp_row_wise", ParamDef.Type.BOOLEAN, false,
            "unflattened: interpolate vectors along dimension 0 instead of the last");
    static final ParamDef FLATTEN = ParamDef.global("nuslerp_flatten", ParamDef.Type.BOOLEAN, true,
            "treat the whole tensor as one vector");

    public NuSlerp(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "nuslerp";
    }

    @Override
    protected boolean needsBase() {
        return false;
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(ROW_WISE, FLATTEN);
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of(WEIGHT);
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        int others = hasBase ? in.tasks() : in.tasks() + 1;
        if (others == 1 && in.tasks() == 0) {
            return in.base();
        }
        if (others != 2) {
            throw new AmalgamException("nuslerp: merges exactly two models (plus an optional base_model), got " + others
                    + " (tensor " + in.name() + ")");
        }
        // Engine inputs: with a base, tasks 0 and 1; without, the first model is the step's base (input T).
        int first = hasBase ? 0 : in.tasks();
        int second = hasBase ? 1 : 0;
        double w0 = ((Number) p.model(WEIGHT, first)).doubleValue();
        double w1 = ((Number) p.model(WEIGHT, second)).doubleValue();
        double t = Math.abs(w0 + w1) < 1e-6 ? 0.5 : w1 / (w0 + w1);
        float[] v0 = hasBase ? in.deltas()[0] : in.base();
        float[] v1 = hasBase ? in.deltas()[1] : in.model(0);
        boolean flatten = p.bool(FLATTEN);
        boolean rowWise = p.bool(ROW_WISE);
        long[] shape = in.shape();
        float[] out = new float[in.n()];
        if (flatten || shape.length < 2) {
            // A 1-D tensor's only dimension is both 0 and −1: one vector either way.
            interpolate(t, v0, v1, out, 0, in.n(), 1);
        } else {
            int cols = in.cols();
            int rows = in.n() / cols;
            if (!rowWise) {
                for (int r = 0; r < rows; r++) {
                    interpolate(t, v0, v1, out, r * cols, cols, 1);
                }
            } else {
                if (shape.length != 2) {
                    throw new AmalgamException("nuslerp: nuslerp_row_wise on a " + shape.length
                            + "-D tensor is not implemented (tensor " + in.name() + ")");
                }
                for (int c = 0; c < cols; c++) {
                    interpolate(t, v0, v1, out, c, rows, cols);
                }
            }
        }
        if (hasBase) {
            float[] base = in.base();
            for (int i = 0; i < out.length; i++) {
                out[i] += base[i];
            }
        }
        return out;
    }

    /** One vector of len entries at from, from+stride, …: MergeKit's nuslerp on it. */
    private static void interpolate(double t, float[] v0, float[] v1, float[] out, int from, int len, int stride) {
        double n0 = Math.max(Math.sqrt(SphericalMath.dot(v0, v0, from, len, stride)), 1e-7);
        double n1 = Math.max(Math.sqrt(SphericalMath.dot(v1, v1, from, len, stride)), 1e-7);
        double cos = SphericalMath.dot(v0, v1, from, len, stride) / (n0 * n1);
        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
        double sin = Math.sin(theta);
        boolean colinear = Math.abs(sin) < 1e-8;
        double a = colinear ? 1 - t : Math.sin((1 - t) * theta) / sin;
        double b = colinear ? t : Math.sin(t * theta) / sin;
        for (int k = 0; k < len; k++) {
            int i = from + k * stride;
            out[i] = (float) (a * v0[i] + b * v1[i]);
        }
    }
}
