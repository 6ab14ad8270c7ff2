package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.ParamDef;
import java.util.List;

/**
 * MergeKit {@code karcher}: the Riemannian (Karcher) mean of the inputs' directions on the unit sphere,
 * equal weights 1/N over every input (a {@code base_model} is an ordinary input), by at most
 * {@code max_iter} fixed-point steps until the tangent norm falls below {@code tol}; scaled by the mean
 * of the inputs' norms.
 * Math: docs/methods/mergekit-methods.md §3.
 */
public final class Karcher extends MergeKitMethod {
    static final ParamDef MAX_ITER = ParamDef.global("max_iter", ParamDef.Type.INTEGER, 10, "iterations at most");
    static final ParamDef TOL = ParamDef.global("tol", ParamDef.Type.NUMBER, 1e-5, "convergence tolerance");

    public Karcher(TensorParameters params, boolean hasBase) {
        super(params, hasBase);
    }

    @Override
    public String name() {
        return "karcher";
    }

    @Override
    protected boolean needsBase() {
        return false;
    }

    @Override
    public List<ParamDef> globalParams() {
        return List.of(MAX_ITER, TOL);
    }

    @Override
    public List<ParamDef> modelParams() {
        return List.of();
    }

    @Override
    protected float[] merge(Inputs in, TensorParameters.Resolved p) {
        int k = in.tasks() + 1;
        if (k == 1) {
            return in.base();
        }
        int maxIter = (int) p.number(MAX_ITER);
        double tol = p.number(TOL);
        int n = in.n();
        double[][] units = new double[k][];
        double[] norms = new double[k];
        for (int i = 0; i < k; i++) {
            float[] x = i == 0 ? in.base() : in.model(i - 1);
            norms[i] = SphericalMath.norm(x);
            units[i] = new double[n];
            if (norms[i] != 0) {
                for (int j = 0; j < n; j++) {
                    units[i][j] = x[j] / norms[i];
                }
            }
        }
        double alpha = 1.0 / k;
        List<Integer> valid = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            if (norms[i] > tol) {
                valid.add(i);
            }
        }
        if (valid.isEmpty()) {
            return new float[n];
        }
        double a = 1.0 / valid.size();
        double[] u = new double[n];
        for (int i : valid) {
            for (int j = 0; j < n; j++) {
                u[j] += a * units[i][j];
            }
        }
        double nu = MultiSlerp.norm(u);
        if (nu < tol) {
            u = units[valid.get(0)].clone();
        } else {
            for (int j = 0; j < n; j++) {
                u[j] /= nu;
            }
        }
        for (int iter = 0; iter < maxIter; iter++) {
            double[] tangent = new double[n];
            for (int i : valid) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += u[j] * units[i][j];
                }
                dot = Math.max(-1, Math.min(1, dot));
                double theta = Math.acos(dot);
                if (theta < tol) {
                    continue;
                }
                double f = a * theta / Math.sin(theta);
                for (int j = 0; j < n; j++) {
                    tangent[j] += f * (units[i][j] - dot * u[j]);
                }
            }
            double nt = MultiSlerp.norm(tangent);
            if (nt < tol) {
                break;
            }
            double c = Math.cos(nt);
            double s = Math.sin(nt);
            for (int j = 0; j < n; j++) {
                u[j] = c * u[j] + s * (tangent[j] / nt);
            }
            double un = MultiSlerp.norm(u);
            if (un > tol) {
                for (int j = 0; j < n; j++) {
                    u[j] /= un;
                }
            }
        }
        double scale = 0;
        for (int i = 0; i < k; i++) {
            scale += alpha * norms[i];
        }
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            out[j] = (float) (scale * u[j]);
        }
        return out;
    }
}
