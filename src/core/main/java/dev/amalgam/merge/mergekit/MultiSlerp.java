package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import dev.amalgam.AmalgamException;

import java.util.List;

/**
 * MergeKit {@code multislerp}: barycentric interpolation on the hypersphere. Each model (minus θ_0 when
 * {@code base_model} is given) is projected to the unit sphere, the weighted mean direction taken, the
 * points mapped to its tangent space, averaged, and mapped back with the exponential map; the result is
 * scaled by the weighted mean norm (and θ_0 added back).
 * Math: docs/methods/mergekit-methods.md §3.
 */
public final class MultiSlerp extends MergeKitMethod {
    static final ParamDef WEIGHT = ParamDef.requiredPerModel("weight", ParamDef.Type.NUMBER, "the model's weight");
    static final ParamDef NORMALIZE_WEIGHTS = ParamDef.global("normalize_weights", ParamDef.Type.BOOLEAN, true,
            "divide the weights by their sum");
    static final ParamDef EPS = ParamDef.global("eps", ParamDef.Type.NUMBER, 1e-8, "numerical guard");

    public MultiSlerp(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "multislerp";
    }

    @Override
    protected boolean needsBase() {
        return false;
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(NORMALIZE_WEIGHTS, EPS);
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of(WEIGHT);
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        int tasks = in.tasks();
        // Points: with a base, the task vectors; without, every model (the step's base is the first).
        int k = hasBase ? tasks : tasks + 1;
        float[][] x = new float[k][];
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            int input = hasBase ? i : (i == 0 ? tasks : i - 1);
            x[i] = hasBase ? in.deltas()[i] : (i == 0 ? in.base() : in.model(i - 1));
            w[i] = ((Number) p.model(WEIGHT, input)).doubleValue();
        }
        if (k == 1) {
            return hasBase ? add(x[0], in.base()) : x[0];
        }
        if (p.bool(NORMALIZE_WEIGHTS)) {
            double s = 0;
            for (double v : w) {
                s += v;
            }
            for (int i = 0; i < k; i++) {
                w[i] /= s;
            }
        }
        double eps = p.number(EPS);
        int n = in.n();
        double[] norms = new double[k];
        for (int i = 0; i < k; i++) {
            norms[i] = SphericalMath.norm(x[i]);
        }
        double[] mean = new double[n];
        for (int i = 0; i < k; i++) {
            double f = w[i] / (norms[i] + eps);
            for (int j = 0; j < n; j++) {
                mean[j] += f * x[i][j];
            }
        }
        double meanNorm = norm(mean);
        float[] out = new float[n];
        if (meanNorm < eps) {
            if (k == 2) {
                for (int j = 0; j < n; j++) {
                    out[j] = (float) (x[0][j] * w[0] + x[1][j] * w[1]);
                }
                return hasBase ? add(out, in.base()) : out;
            }
            throw new AmalgamException("multislerp: the weighted sum of the unit inputs is zero for tensor " + in.name()
                    + " (antipodal inputs with balancing weights); change the weights");
        }
        for (int j = 0; j < n; j++) {
            mean[j] /= meanNorm;
        }
        double[] tangent = new double[n];
        for (int i = 0; i < k; i++) {
            double inv = 1 / (norms[i] + eps);
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += x[i][j] * inv * mean[j];
            }
            for (int j = 0; j < n; j++) {
                tangent[j] += w[i] * (x[i][j] * inv - dot * mean[j]);
            }
        }
        double tn = norm(tangent) + eps;
        double avgNorm = 0;
        for (int i = 0; i < k; i++) {
            avgNorm += norms[i] * w[i];
        }
        double c = Math.cos(tn);
        double s = Math.sin(tn) / tn;
        for (int j = 0; j < n; j++) {
            out[j] = (float) ((mean[j] * c + tangent[j] * s) * avgNorm);
        }
        return hasBase ? add(out, in.base()) : out;
    }

    private static float[] add(float[] a, float[] b) {
        float[] o = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] + b[i];
        }
        return o;
    }

    static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
