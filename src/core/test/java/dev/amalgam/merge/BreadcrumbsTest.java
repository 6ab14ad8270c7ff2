package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BreadcrumbsTest {

    /** Keeps descending ranks [skip, skip + keep) of one segment v[from, from+len). */
    private static void band(float[] v, int from, int len, long skip, long keep, double[] out) {
        Integer[] idx = new Integer[len];
        for (int i = 0; i < len; i++) {
            idx[i] = from + i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(v[b]), Math.abs(v[a])));
        for (int r = 0; r < len; r++) {
            if (r >= skip && r < skip + keep) {
                out[idx[r]] = v[idx[r]];
            }
        }
    }

    /** Original: per row along the last dim, remove top int(cols·γ), keep next int(cols·β). */
    static double[] rows(Tensor x, int t, double beta, double gamma) {
        float[] v = x.tasks().get(t);
        double[] out = new double[v.length];
        if (x.shape().length == 0) {
            out[0] = v[0];
            return out;
        }
        int cols = (int) x.shape()[x.shape().length - 1];
        for (int from = 0; from < v.length; from += cols) {
            band(v, from, cols, (long) (cols * gamma), (long) (cols * beta), out);
        }
        return out;
    }

    /** MergeKit per flattened tensor. */
    static double[] tensor(Tensor x, int t, double density, double gamma) {
        float[] v = x.tasks().get(t);
        int n = v.length;
        double[] out = new double[n];
        long target = (long) (density * n);
        long top = (long) (gamma * n);
        if (n - target - top < 0) {
            top = n - target;
        }
        band(v, 0, n, top, target, out);
        return out;
    }

    private static double[] combineTa(Tensor x, double alpha, double[][] sparse) {
        double[] r = new double[x.size()];
        for (int i = 0; i < r.length; i++) {
            double s = 0;
            for (double[] d : sparse) {
                s += d[i];
            }
            r[i] = x.base()[i] + alpha * s;
        }
        return r;
    }

    private final List<Tensor> data = List.of(
            InMemoryMergeDriver.random("w", new long[]{3, 40}, 3, 1, 0.1),
            InMemoryMergeDriver.random("v", new long[]{7}, 3, 2, 0.1),
            InMemoryMergeDriver.random("c", new long[]{2, 2, 50}, 3, 3, 0.1),
            new Tensor("s", new long[]{}, new float[]{1f}, List.of(new float[]{0.5f}, new float[]{-0.25f}, new float[]{2f})));

    @Test
    void originalRowsWithDefaults() {
        // defaults: α 0.2, β 0.15, γ 0.006; with cols=40 γ removes nothing, β keeps 6; [7] keeps 1.
        check(Breadcrumbs.fromParams(MethodParams.of("breadcrumbs")), 0.2, 0.15, 0.006, true);
        check(Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "alpha", 0.4, "beta", 0.2, "gamma", 0.1)),
                0.4, 0.2, 0.1, true);
    }

    @Test
    void mergekitTensorVariantIncludingGammaZero() {
        check(Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "variant", "tensor", "alpha", 1.0)), 1.0, 0.9, 0.01, false);
        check(Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "variant", "tensor", "density", 0.3, "gamma", 0.0,
                "alpha", 0.5)), 0.5, 0.3, 0.0, false);
        check(Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "variant", "tensor", "density", 0.95, "gamma", 0.2,
                "alpha", 0.5)), 0.5, 0.95, 0.2, false);
    }

    private void check(Breadcrumbs b, double alpha, double keep, double gamma, boolean rowWise) {
        Map<String, float[]> got = InMemoryMergeDriver.merge(b, data);
        for (Tensor x : data) {
            double[][] sparse = new double[3][];
            for (int t = 0; t < 3; t++) {
                sparse[t] = rowWise ? rows(x, t, keep, gamma) : tensor(x, t, keep, gamma);
            }
            close(combineTa(x, alpha, sparse), got.get(x.name()), 1e-6, b.describe() + " " + x.name());
        }
    }

    @Test
    void breadcrumbsTies() {
        Breadcrumbs b = Breadcrumbs.fromParams(MethodParams.of("breadcrumbs_ties", "beta", 0.5, "gamma", 0.1, "alpha", 0.7));
        Map<String, float[]> got = InMemoryMergeDriver.merge(b, data);
        for (Tensor x : data) {
            double[][] sparse = new double[3][];
            for (int t = 0; t < 3; t++) {
                sparse[t] = rows(x, t, 0.5, 0.1);
            }
            double[] tm = TiesReference.disjoint(sparse, null, "dis-mean", 1.0);
            double[] exp = new double[x.size()];
            for (int i = 0; i < exp.length; i++) {
                exp[i] = x.base()[i] + 0.7 * tm[i];
            }
            close(exp, got.get(x.name()), 1e-6, x.name());
        }
    }

    @Test
    void params() {
        assertThrows(AmalgamException.class, () -> Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "merge", "dis-sum")));
        assertThrows(AmalgamException.class, () -> Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "variant", "cols")));
        assertThrows(AmalgamException.class, () -> Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "beta", 0.1, "density", 0.1)));
        assertThrows(AmalgamException.class, () -> Breadcrumbs.fromParams(MethodParams.of("breadcrumbs", "gamma", 2)));
    }
}
