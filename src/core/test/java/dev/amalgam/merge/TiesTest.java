package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import dev.amalgam.merge.ops.MergeFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TiesTest {

    /*
     * Hand-worked, one tensor [4], 3 tasks, K = 50 ⇒ d = 4, kKeep = 2, thr = 2nd smallest |v|:
     *   τ1 = [-1, -2, 0.5, 0.25]   |τ1| sorted 0.25 0.5 1 2  → thr 0.5 → v̂1 = [-1, -2, 0.5, 0]
     *   τ2 = [-3, 1, -0.5, 0.125]  sorted 0.125 0.5 1 3      → thr 0.5 → v̂2 = [-3, 1, -0.5, 0]
     *   τ3 = [0.5, 0.75, 0.25, -1] sorted 0.25 0.5 0.75 1    → thr 0.5 → v̂3 = [0.5, 0.75, 0, -1]
     *   Σ = [-3.5, -0.25, 0, -1] → s = [-1, -1, 0, -1]; Σ s = -3 → majority −1 → s = [-1, -1, -1, -1]
     *   selected (negatives): e0 {-1, -3}, e1 {-2}, e2 {-0.5}, e3 {-1}
     *   dis-sum = [-4, -2, -0.5, -1]; dis-mean = [-2, -2, -0.5, -1]; dis-max = [-3, -2, -0.5, -1]
     * θ = 10 + 0.5 τ_m.
     * Tensor scope, density 0.5 (top 2 each): v̂1 = [-1,-2,0,0], v̂2 = [-3,1,0,0], v̂3 = [0,0.75,0,-1];
     *   Σ = [-4, -0.25, 0, -1] → MergeKit sign (Σ ≥ 0 → +1) = [-1, -1, +1, -1]; e2 has no positive → 0;
     *   dis-mean = [-2, -2, 0, -1].
     */
    private static List<Tensor> handCase() {
        return List.of(new Tensor("w", new long[]{4}, new float[]{10, 10, 10, 10},
                List.of(new float[]{-1, -2, 0.5f, 0.25f}, new float[]{-3, 1, -0.5f, 0.125f},
                        new float[]{0.5f, 0.75f, 0.25f, -1})));
    }

    @Test
    void handWorkedGlobal() {
        double[][] expected = {{-4, -2, -0.5, -1}, {-2, -2, -0.5, -1}, {-3, -2, -0.5, -1}};
        String[] fns = {"dis-sum", "dis-mean", "dis-max"};
        for (int f = 0; f < 3; f++) {
            Ties ties = Ties.fromParams(MethodParams.of("ties", "k", 50, "merge", fns[f], "lambda", 0.5));
            float[] out = InMemoryMergeDriver.merge(ties, handCase()).get("w");
            double[] exp = new double[4];
            for (int i = 0; i < 4; i++) {
                exp[i] = 10 + 0.5 * expected[f][i];
            }
            close(exp, out, 1e-7, fns[f]);
            assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f}, ties.thresholds());
            assertEquals(-1f, ties.majoritySign());
        }
    }

    @Test
    void handWorkedTensorScope() {
        Ties ties = Ties.fromParams(MethodParams.of("ties", "scope", "tensor", "density", 0.5, "merge", "dis-mean",
                "lambda", 1.0));
        float[] out = InMemoryMergeDriver.merge(ties, handCase()).get("w");
        close(new double[]{8, 8, 10, 9}, out, 1e-7, "tensor scope");
        assertEquals(0, ties.statisticPasses().size());
    }

    @Test
    void globalMatchesDoubleReference() {
        List<Tensor> data = InMemoryMergeDriver.small(3, 11);
        for (double k : new double[]{20, 50, 7.5, 100}) {
            for (String fn : new String[]{"dis-sum", "dis-mean", "dis-max"}) {
                Ties ties = Ties.fromParams(MethodParams.of("ties", "k", k, "merge", fn));
                Map<String, float[]> got = InMemoryMergeDriver.merge(ties, data);
                Map<String, double[]> exp = TiesReference.global(data, k, fn, 0.3);
                for (String n : exp.keySet()) {
                    close(exp.get(n), got.get(n), 1e-6, "k=" + k + " " + fn + " " + n);
                }
            }
        }
    }

    @Test
    void defaultsAreClipVit() {
        Ties ties = Ties.fromParams(MethodParams.of("ties"));
        assertEquals(Ties.Scope.GLOBAL, ties.scope());
        assertTrue(ties.describe().contains("k=20.0%"), ties.describe());
        assertTrue(ties.describe().contains("dis-sum"), ties.describe());
        assertTrue(ties.describe().contains("lambda=0.3"), ties.describe());
        assertEquals(3, ties.statisticPasses().size());
    }

    @Test
    void tensorScopeMatchesReferenceWithWeights() {
        List<Tensor> data = InMemoryMergeDriver.small(3, 5);
        double[] w = {0.5, 1.5, 1.0};
        for (String fn : new String[]{"dis-sum", "dis-mean", "dis-max"}) {
            Ties ties = Ties.fromParams(MethodParams.of("ties", "scope", "tensor", "density", 0.4, "merge", fn,
                    "lambda", 0.7, "weights", List.of(0.5, 1.5, 1.0)));
            Map<String, float[]> got = InMemoryMergeDriver.merge(ties, data);
            for (Tensor x : data) {
                close(TiesReference.tensorScope(x, 0.4, w, fn, 0.7), got.get(x.name()), 1e-6, fn + " " + x.name());
            }
        }
    }

    /** The radix-select threshold equals a brute-force sort, on data with many ties and zeros. */
    @Test
    void globalThresholdEqualsBruteForceSort() {
        Random r = new Random(3);
        List<Tensor> data = new ArrayList<>();
        String[] names = {"z", "a.1", "m.weight", "b"};
        int[] sizes = {1, 37, 300, 1000};
        for (int j = 0; j < names.length; j++) {
            List<float[]> tvs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                float[] v = new float[sizes[j]];
                for (int i = 0; i < v.length; i++) {
                    int kind = r.nextInt(4);
                    v[i] = kind == 0 ? 0f : kind == 1 ? (r.nextBoolean() ? 0.25f : -0.25f)
                            : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
                }
                tvs.add(v);
            }
            data.add(new Tensor(names[j], new long[]{sizes[j]}, new float[sizes[j]], tvs));
        }
        for (double k : new double[]{0.05, 1, 20, 33.3, 50, 99, 99.99, 100}) {
            Ties ties = new Ties(Ties.Scope.GLOBAL, k, MergeFunction.DIS_SUM, 1.0, null);
            InMemoryMergeDriver.merge(ties, data); // for the thresholds of its statistic pass
            for (int t = 0; t < 2; t++) {
                double thr = TiesReference.globalThreshold(TiesReference.flatTask(InMemoryMergeDriver.sorted(data), t), k);
                float got = ties.thresholds()[t];
                assertEquals(thr < 0 ? 0f : (float) thr, got, 0f, "k=" + k + " task " + t);
            }
        }
    }

    @Test
    void k100LeavesTaskVectorsUnchanged() {
        List<Tensor> one = List.of(InMemoryMergeDriver.random("x", new long[]{3, 3}, 1, 9, 1.0));
        Ties ties = Ties.fromParams(MethodParams.of("ties", "k", 100, "lambda", 1.0));
        float[] out = InMemoryMergeDriver.merge(ties, one).get("x");
        double[] exp = new double[9];
        for (int i = 0; i < 9; i++) {
            exp[i] = one.get(0).base()[i] + one.get(0).tasks().get(0)[i];
        }
        close(exp, out, 1e-7, "k=100");
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(AmalgamException.class, () -> Ties.fromParams(MethodParams.of("ties", "kk", 20)));
        assertThrows(AmalgamException.class, () -> Ties.fromParams(MethodParams.of("ties", "k", 0)));
        assertThrows(AmalgamException.class, () -> Ties.fromParams(MethodParams.of("ties", "merge", "avg")));
        assertThrows(AmalgamException.class, () -> Ties.fromParams(MethodParams.of("ties", "scope", "layer")));
        assertThrows(AmalgamException.class, () -> Ties.fromParams(MethodParams.of("ties", "k", 20, "density", 0.2)));
    }
}
