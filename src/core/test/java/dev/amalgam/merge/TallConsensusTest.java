package dev.amalgam.merge;

import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.Assertions2.close;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TallConsensusTest {
    private final List<Tensor> data = InMemoryMergeDriver.small(3, 41);

    private static double[] taSum(Tensor x) {
        double[] m = new double[x.size()];
        for (float[] v : x.tasks()) {
            for (int i = 0; i < m.length; i++) {
                m[i] += v[i];
            }
        }
        return m;
    }

    /** τ_MTL of global TIES (K=20, dis-sum, λ=1) = reference θ − θ_0. */
    private Map<String, double[]> tiesMtl() {
        Map<String, double[]> theta = TiesReference.global(data, 20, "dis-sum", 1.0);
        for (Tensor x : data) {
            double[] d = theta.get(x.name());
            for (int i = 0; i < d.length; i++) {
                d[i] -= x.base()[i];
            }
        }
        return theta;
    }

    private static boolean[][] masks(Tensor x, double[] mtl, double[] lambda) {
        boolean[][] m = new boolean[x.tasks().size()][x.size()];
        for (int t = 0; t < m.length; t++) {
            float[] v = x.tasks().get(t);
            for (int i = 0; i < v.length; i++) {
                m[t][i] = Math.abs(v[i]) > lambda[t] * Math.abs(mtl[i] - v[i]);
            }
        }
        return m;
    }

    @Test
    void tallMasksTaskModels() {
        double[] lambdas = {0.2, 0.6, 0.4};
        TallMasks tall = TallMasks.fromParams(MethodParams.of("tall_masks", "lambda", List.of(0.2, 0.6, 0.4)));
        Map<String, InMemoryMergeDriver.TaskModels> got = InMemoryMergeDriver.taskModels(tall, data);
        Map<String, float[]> merged = InMemoryMergeDriver.merge(tall, data);
        assertArrayEquals(new double[]{1, 1, 1}, tall.taskScales());
        for (Tensor x : data) {
            double[] mtl = taSum(x);
            boolean[][] m = masks(x, mtl, lambdas);
            double[] mean = new double[x.size()];
            for (int t = 0; t < 3; t++) {
                assertArrayEquals(m[t], got.get(x.name()).masks()[t], "mask " + t + " " + x.name());
                double[] exp = new double[x.size()];
                for (int i = 0; i < exp.length; i++) {
                    exp[i] = x.base()[i] + (m[t][i] ? mtl[i] : 0);
                    mean[i] += (m[t][i] ? mtl[i] : 0) / 3;
                }
                close(exp, got.get(x.name()).models()[t], 1e-6, "task " + t + " " + x.name());
            }
            for (int i = 0; i < mean.length; i++) {
                mean[i] += x.base()[i];
            }
            close(mean, merged.get(x.name()), 1e-6, "merge() " + x.name());
        }
    }

    @Test
    void consensusTaAndTies() {
        Map<String, double[]> tiesMtl = tiesMtl();
        for (String mtlKind : new String[]{"ta", "ties"}) {
            for (int k : new int[]{0, 1, 2, 3}) {
                Consensus c = Consensus.fromParams(MethodParams.of("consensus", "k", k, "mtl", mtlKind, "alpha", 0.9));
                Map<String, float[]> got = InMemoryMergeDriver.merge(c, data);
                for (Tensor x : data) {
                    double[] mtl = mtlKind.equals("ta") ? taSum(x) : tiesMtl.get(x.name());
                    boolean[][] m = masks(x, mtl, new double[]{0.6, 0.6, 0.6});
                    double[] exp = new double[x.size()];
                    for (int i = 0; i < exp.length; i++) {
                        int votes = 0;
                        for (boolean[] mt : m) {
                            votes += mt[i] ? 1 : 0;
                        }
                        exp[i] = x.base()[i] + (votes >= k ? 0.9 * mtl[i] : 0);
                    }
                    close(exp, got.get(x.name()), 1e-6, mtlKind + " k=" + k + " " + x.name());
                }
            }
        }
    }

    @Test
    void defaults() {
        assertEquals("consensus(k=2, alpha=0.3, lambda=0.6, mtl=ta-sum)", Consensus.fromParams(MethodParams.of("consensus")).describe());
        assertEquals(3, Consensus.fromParams(MethodParams.of("consensus", "mtl", "ties")).statisticPasses().size());
    }
}
