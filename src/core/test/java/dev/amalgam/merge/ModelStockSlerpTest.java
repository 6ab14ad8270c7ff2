package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelStockSlerpTest {

    private static double cos(Tensor x, int a, int b, int from, int len) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = from; i < from + len; i++) {
            double u = x.tasks().get(a)[i];
            double v = x.tasks().get(b)[i];
            dot += u * v;
            na += u * u;
            nb += v * v;
        }
        double c = dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-6);
        return Math.max(-1, Math.min(1, c));
    }

    /** θ = t·mean(θ_i) + (1 − t)·θ_0 per segment (row or whole tensor). */
    static double[] modelStock(Tensor x, boolean angle, boolean filterWise) {
        int n = x.tasks().size();
        int cols = filterWise && x.shape().length >= 2 ? (int) x.shape()[x.shape().length - 1] : x.size();
        double[] out = new double[x.size()];
        for (int from = 0; from < x.size(); from += cols) {
            double acc = 0;
            int pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double c = cos(x, i, j, from, cols);
                    acc += angle ? Math.toDegrees(Math.acos(c)) : c;
                    pairs++;
                }
            }
            double c = angle ? Math.cos(Math.toRadians(acc / pairs)) : acc / pairs;
            double t = n * c / (1 + (n - 1) * c);
            for (int i = from; i < from + cols; i++) {
                double meanTheta = 0;
                for (float[] v : x.tasks()) {
                    meanTheta += ((double) x.base()[i] + v[i]) / n;
                }
                out[i] = t * meanTheta + (1 - t) * x.base()[i];
            }
        }
        return out;
    }

    @Test
    void modelStockVariants() {
        // correlated task vectors so that cosines are far from 0
        List<Tensor> data = InMemoryMergeDriver.small(3, 61);
        for (Tensor x : data) {
            for (int t = 1; t < 3; t++) {
                for (int i = 0; i < x.size(); i++) {
                    x.tasks().get(t)[i] += x.tasks().get(0)[i];
                }
            }
        }
        for (String avg : new String[]{"cosine", "angle"}) {
            for (boolean fw : new boolean[]{false, true}) {
                ModelStock ms = ModelStock.fromParams(MethodParams.of("model_stock", "average", avg, "filter_wise", fw));
                Map<String, float[]> got = InMemoryMergeDriver.merge(ms, data);
                for (Tensor x : data) {
                    close(modelStock(x, avg.equals("angle"), fw), got.get(x.name()), 1e-5, ms.describe() + " " + x.name());
                }
            }
        }
        ModelStock ignoring = ModelStock.fromParams(MethodParams.of("model_stock", "ignore_keys", List.of("bias$")));
        Map<String, float[]> got = InMemoryMergeDriver.merge(ignoring, data);
        Tensor bias = data.get(1);
        double[] avg = new double[bias.size()];
        for (int i = 0; i < avg.length; i++) {
            for (float[] v : bias.tasks()) {
                avg[i] += ((double) bias.base()[i] + v[i]) / 3;
            }
        }
        close(avg, got.get(bias.name()), 1e-6, "ignored key");
        close(modelStock(data.get(0), false, false), got.get(data.get(0).name()), 1e-5, "not ignored");
    }

    @Test
    void modelStockNeedsTwoModels() {
        assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(
                ModelStock.fromParams(MethodParams.of("model_stock")), InMemoryMergeDriver.small(1, 1)));
        assertThrows(AmalgamException.class, () -> ModelStock.fromParams(MethodParams.of("model_stock", "average", "mean")));
    }

    static double[] slerp(Tensor x, double t) {
        int n = x.size();
        double[] v0 = new double[n];
        double[] v1 = new double[n];
        double n0 = 0;
        double n1 = 0;
        double dot = 0;
        for (int i = 0; i < n; i++) {
            v0[i] = (double) x.base()[i] + x.tasks().get(0)[i];
            v1[i] = (double) x.base()[i] + x.tasks().get(1)[i];
            n0 += v0[i] * v0[i];
            n1 += v1[i] * v1[i];
            dot += v0[i] * v1[i];
        }
        dot /= Math.sqrt(n0) * Math.sqrt(n1);
        double[] out = new double[n];
        double omega = Math.acos(dot);
        for (int i = 0; i < n; i++) {
            out[i] = Math.abs(dot) > 0.9995 ? (1 - t) * v0[i] + t * v1[i]
                    : (Math.sin((1 - t) * omega) * v0[i] + Math.sin(t * omega) * v1[i]) / Math.sin(omega);
        }
        return out;
    }

    @Test
    void slerpClosedForm() {
        List<Tensor> data = InMemoryMergeDriver.small(2, 71);
        for (double t : new double[]{0.5, 0.2, 1.0}) {
            Map<String, float[]> got = InMemoryMergeDriver.merge(Slerp.fromParams(MethodParams.of("slerp", "t", t)), data);
            for (Tensor x : data) {
                close(slerp(x, t), got.get(x.name()), 1e-5, "t=" + t + " " + x.name());
            }
        }
        // orthogonal unit vectors: t = 0.5 gives [√½, √½]
        Tensor ortho = new Tensor("o", new long[]{2}, new float[]{0, 0}, List.of(new float[]{1, 0}, new float[]{0, 1}));
        float[] o = InMemoryMergeDriver.merge(Slerp.fromParams(MethodParams.of("slerp")), List.of(ortho)).get("o");
        close(new double[]{Math.sqrt(0.5), Math.sqrt(0.5)}, o, 1e-6, "orthogonal");
        // parallel: linear blend
        Tensor par = new Tensor("p", new long[]{2}, new float[]{0, 0}, List.of(new float[]{1, 2}, new float[]{3, 6}));
        float[] p = InMemoryMergeDriver.merge(Slerp.fromParams(MethodParams.of("slerp", "t", 0.25)), List.of(par)).get("p");
        close(new double[]{1.5, 3}, p, 1e-6, "parallel");
    }

    @Test
    void slerpNeedsExactlyTwoModels() {
        assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(
                Slerp.fromParams(MethodParams.of("slerp")), InMemoryMergeDriver.small(3, 1)));
        assertThrows(AmalgamException.class, () -> Slerp.fromParams(MethodParams.of("slerp", "t", 1.5)));
    }
}
