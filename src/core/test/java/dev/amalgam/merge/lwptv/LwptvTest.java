package dev.amalgam.merge.lwptv;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.InMemorySink;
import dev.amalgam.io.InMemoryTensorSource;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.TensorStep;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LwptvTest {
    static final String[] NAMES = {"emb.weight", "layers.0.a.weight", "layers.0.b.bias", "layers.1.a.weight", "layers.1.b.bias"};
    static final long[][] SHAPES = {{3, 2}, {2, 2}, {2}, {2, 2}, {2}};

    /** θ_0 + λ Σ τ_t: a minimal host whose output is easy to check by hand. */
    static final class SumHost implements MergeMethod {
        final double lambda;
        SumHost(double lambda) { this.lambda = lambda; }
        public String name() { return "sum"; }
        public String describe() { return "sum"; }
        public NDArray merge(TensorStep s) {
            NDArray acc = s.base().zerosLike();
            for (NDArray tv : s.taskVectors()) { acc = acc.add(tv); }
            return s.base().add(acc.mul(lambda));
        }
    }

    static String group(String name) {
        return name.startsWith("layers.") ? name.substring(0, name.indexOf('.', 7)) : name.substring(0, name.indexOf('.'));
    }

    static float[][][] data(long seed, int models) {
        Random r = new Random(seed);
        float[][][] d = new float[models][NAMES.length][];
        for (int m = 0; m < models; m++) {
            for (int i = 0; i < NAMES.length; i++) {
                int n = 1;
                for (long s : SHAPES[i]) { n *= s; }
                d[m][i] = new float[n];
                for (int j = 0; j < n; j++) { d[m][i][j] = (float) r.nextGaussian() * (m == 0 ? 1f : 0.1f * m); }
                if (m > 0) { for (int j = 0; j < n; j++) { d[m][i][j] += d[0][i][j]; } }
            }
        }
        return d;
    }

    static MergeInputs inputs(float[][][] d) {
        InMemoryTensorSource base = source("base", d[0]);
        List<dev.amalgam.io.TensorSource> ms = new java.util.ArrayList<>();
        List<String> tasks = new java.util.ArrayList<>();
        for (int m = 1; m < d.length; m++) { ms.add(source("m" + m, d[m])); tasks.add("t" + m); }
        return new MergeInputs(base, ms, tasks);
    }

    static InMemoryTensorSource source(String label, float[][] t) {
        InMemoryTensorSource s = new InMemoryTensorSource(label);
        for (int i = 0; i < NAMES.length; i++) { s.f32(NAMES[i], SHAPES[i], t[i]); }
        s.i64("position_ids", new long[]{3}, 0, 1, 2);
        return s;
    }

    static InMemorySink run(MergeMethod m, MergeInputs in) {
        InMemorySink sink = new InMemorySink();
        new StreamingExecutor(Device.cpu(), LwptvTest::groupOrSelf, true, StreamingExecutor.Progress.NONE).run(m, in, sink);
        return sink;
    }

    static String groupOrSelf(String n) { return n.equals("position_ids") ? n : group(n); }

    @Test
    void allOnesMaskEqualsHost() {
        MergeInputs in = inputs(data(1, 4));
        InMemorySink host = run(new SumHost(0.3), in);
        InMemorySink wrapped = run(Lwptv.wrap(new SumHost(0.3), new EnergySaliency(), new ThresholdMaskRule(Double.NEGATIVE_INFINITY)), in);
        for (String n : NAMES) { assertArrayEquals(host.merged().get(n), wrapped.merged().get(n), 0f, n); }
        assertEquals(host.copied().keySet(), wrapped.copied().keySet());
    }

    @Test
    void allZerosMaskEqualsBase() {
        float[][][] d = data(2, 4);
        InMemorySink wrapped = run(Lwptv.wrap(new SumHost(0.3), new RedundancySaliency(), new KeepRatioMaskRule(0.0)), inputs(d));
        for (int i = 0; i < NAMES.length; i++) { assertArrayEquals(d[0][i], wrapped.merged().get(NAMES[i]), 0f, NAMES[i]); }
    }

    @Test
    void prunedLayerKeepsOnlyTheOtherTasksUpdate() {
        float[][][] d = data(3, 3);
        // prune task t1 in every layer except "layers.1"; keep t2 everywhere
        MaskRule rule = new MaskRule() {
            public String name() { return "manual"; }
            public String describe() { return "manual"; }
            public boolean[][] mask(double[][] s) {
                boolean[][] m = new boolean[2][s[0].length];
                java.util.Arrays.fill(m[1], true);
                return m;
            }
        };
        Lwptv l = Lwptv.wrap(new SumHost(1.0), new EnergySaliency(), rule);
        InMemorySink out = run(l, inputs(d));
        for (int i = 0; i < NAMES.length; i++) {
            float[] got = out.merged().get(NAMES[i]);
            for (int j = 0; j < got.length; j++) {
                float expected = d[0][i][j] + (d[2][i][j] - d[0][i][j]);
                assertEquals(expected, got[j], 1e-6, NAMES[i]);
            }
        }
        assertEquals(List.of("emb", "layers.0", "layers.1"), l.layerNames());
    }

    @Test
    void energySaliencyMatchesHandComputation() {
        float[][][] d = data(4, 3);
        Lwptv l = Lwptv.wrap(new SumHost(1.0), new EnergySaliency(), new ThresholdMaskRule(0));
        run(l, inputs(d));
        double[][] s = l.saliency();
        String[] groups = {"emb", "layers.0", "layers.1"};
        for (int t = 0; t < 2; t++) {
            double total = 0; long n = 0;
            double[] e = new double[3]; long[] c = new long[3];
            for (int i = 0; i < NAMES.length; i++) {
                int g = java.util.Arrays.asList(groups).indexOf(group(NAMES[i]));
                for (int j = 0; j < d[0][i].length; j++) {
                    double tv = (double) d[t + 1][i][j] - d[0][i][j];
                    e[g] += tv * tv; c[g]++; total += tv * tv; n++;
                }
            }
            for (int g = 0; g < 3; g++) {
                assertEquals((e[g] / c[g]) / (total / n), s[t][g], 1e-5, "task " + t + " layer " + groups[g]);
            }
        }
    }

    @Test
    void redundancySaliencyMatchesHandComputation() {
        float[][][] d = data(5, 4);
        Lwptv l = Lwptv.wrap(new SumHost(1.0), new RedundancySaliency(), new ThresholdMaskRule(0));
        run(l, inputs(d));
        double[][] s = l.saliency();
        // layer "layers.1" = tensors 3 and 4
        for (int t = 0; t < 3; t++) {
            double dot = 0, a2 = 0, o2 = 0;
            for (int i = 3; i <= 4; i++) {
                for (int j = 0; j < d[0][i].length; j++) {
                    double tv = (double) d[t + 1][i][j] - d[0][i][j];
                    double other = 0;
                    for (int u = 0; u < 3; u++) { if (u != t) { other += (double) d[u + 1][i][j] - d[0][i][j]; } }
                    dot += tv * other; a2 += tv * tv; o2 += other * other;
                }
            }
            double expected = 1 - Math.max(0, dot / Math.sqrt(a2 * o2));
            assertEquals(expected, s[t][2], 1e-6);
        }
    }

    @Test
    void keepRatioKeepsTopLayersPerTask() {
        boolean[][] m = new KeepRatioMaskRule(0.5).mask(new double[][]{{0.1, 0.9, 0.5, 0.5}, {Double.NaN, 1, 2, 3}});
        assertArrayEquals(new boolean[]{false, true, true, false}, m[0]); // tie 0.5/0.5 -> lower index first
        // NaN (layer unchanged by the task) is kept and not counted: ceil(0.5 * 3) = 2 of the scored layers
        assertArrayEquals(new boolean[]{true, false, true, true}, m[1]);
        boolean[][] m3 = new KeepRatioMaskRule(0.6).mask(new double[][]{{3, 2, 1, 0, -1}});
        assertArrayEquals(new boolean[]{true, true, true, false, false}, m3[0]);
        boolean[][] th = new ThresholdMaskRule(0.5).mask(new double[][]{{0.49, 0.5, Double.NaN}});
        assertFalse(th[0][0]);
        assertTrue(th[0][1]);
        assertTrue(th[0][2]);
    }

    @Test
    void topKShareMatchesBruteForce() {
        float[][][] d = data(6, 3);
        Lwptv l = Lwptv.wrap(new SumHost(1.0), new TopKShareSaliency(30), new ThresholdMaskRule(0));
        run(l, inputs(d));
        double[][] s = l.saliency();
        String[] groups = {"emb", "layers.0", "layers.1"};
        for (int t = 0; t < 2; t++) {
            java.util.List<Float> all = new java.util.ArrayList<>();
            for (int i = 0; i < NAMES.length; i++) {
                for (int j = 0; j < d[0][i].length; j++) { all.add(Math.abs(d[t + 1][i][j] - d[0][i][j])); }
            }
            all.sort(java.util.Collections.reverseOrder());
            int keep = (int) (all.size() * 30 / 100.0);
            float thr = all.get(keep - 1);
            double[] hit = new double[3], size = new double[3];
            double total = 0;
            for (int i = 0; i < NAMES.length; i++) {
                int g = java.util.Arrays.asList(groups).indexOf(group(NAMES[i]));
                for (int j = 0; j < d[0][i].length; j++) {
                    size[g]++;
                    if (Math.abs(d[t + 1][i][j] - d[0][i][j]) >= thr) { hit[g]++; total++; }
                }
            }
            for (int g = 0; g < 3; g++) {
                assertEquals((hit[g] / size[g]) / (total / all.size()), s[t][g], 1e-9, "task " + t + " " + groups[g]);
            }
        }
    }

    @Test
    void optionsParseAndRejectUnknownKeys() {
        LwptvOptions o = LwptvOptions.from(java.util.Map.of("score", "energy", "threshold", 0.8));
        assertEquals("threshold", o.rule());
        assertEquals("energy/threshold(0.8)/block", o.label());
        assertEquals("topk_share(k=20)/keep_ratio(0.75)/block", LwptvOptions.DEFAULTS.label());
        dev.amalgam.AmalgamException e = org.junit.jupiter.api.Assertions.assertThrows(dev.amalgam.AmalgamException.class,
                () -> LwptvOptions.from(java.util.Map.of("scor", "energy")));
        assertTrue(e.getMessage().contains("unknown parameter(s) [scor]"), e.getMessage());
    }

    @Test
    void layersNoTaskChangedScoreNaNAndAreNotPruned() {
        float[][][] d = data(7, 3);
        for (int m = 1; m < d.length; m++) {
            d[m][3] = d[0][3].clone(); // "layers.1" (tensors 3 and 4) untouched by every task
            d[m][4] = d[0][4].clone();
        }
        for (SaliencyScore score : List.of(new EnergySaliency(), new RedundancySaliency(), new TopKShareSaliency(20))) {
            Lwptv l = Lwptv.wrap(new SumHost(1.0), score, new KeepRatioMaskRule(0.5));
            run(l, inputs(d));
            for (int t = 0; t < 2; t++) {
                assertTrue(Double.isNaN(l.saliency()[t][2]), score.name() + " task " + t);
                assertTrue(l.masks()[t][2], score.name() + ": an unchanged layer is not pruned");
                // the budget goes to the two scored layers: ceil(0.5 * 2) = 1 kept
                assertEquals(1, (l.masks()[t][0] ? 1 : 0) + (l.masks()[t][1] ? 1 : 0), score.name());
            }
        }
    }
}
