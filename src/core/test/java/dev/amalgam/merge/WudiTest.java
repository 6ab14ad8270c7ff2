package dev.amalgam.merge;

import dev.amalgam.io.InMemoryTensorSource;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.lwptv.EnergySaliency;
import dev.amalgam.merge.lwptv.Lwptv;
import dev.amalgam.merge.lwptv.MaskRule;
import dev.amalgam.merge.ops.WudiObjective;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.merge.job.MergeMethods;

/** WUDI (docs/methods/wudi.md) against a transcription of FusionBench's code and hand-worked cases. */
class WudiTest {
    /**
     * The closed-form and autograd gradients differ by F32 rounding only, and so do the two Adam runs:
     * observed ≤ 7.5e-9 (one ulp of the ~0.1 weights) after 400 steps that move each matrix by ~2e-3.
     * 1e-7 is 5e-5 of that movement; weighting by 1/‖τ‖ instead of 1/‖τ‖² misses it by 1e-4.
     */
    static final double TOL = 1e-7;

    /** Task-vector-sized entries (σ = 1e-3): 400 Adam steps of 1e-5 move M by as much as τ itself. */
    static Map<String, InMemoryMergeDriver.Values> randomModel(long seed, int tasks) {
        Random r = new Random(seed);
        Map<String, InMemoryMergeDriver.Values> m = new LinkedHashMap<>();
        for (Object[] spec : new Object[][]{{"layers.0.fc1.weight", new long[]{7, 5}}, {"layers.0.fc2.weight", new long[]{4, 9}},
                {"layers.0.fc1.bias", new long[]{7}}, {"layers.0.norm.weight", new long[]{5}}, {"head.weight", new long[]{3, 5}}}) {
            long[] shape = (long[]) spec[1];
            int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            List<float[]> tvs = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                tvs.add(gaussian(r, n, 1e-3));
            }
            m.put((String) spec[0], new InMemoryMergeDriver.Values(shape, gaussian(r, n, 0.1), tvs));
        }
        return m;
    }

    static float[] gaussian(Random r, int n, double sigma) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextGaussian() * sigma);
        }
        return f;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    static float[] sumOfTaskVectors(InMemoryMergeDriver.Values t, boolean withBase) {
        float[] s = withBase ? t.base().clone() : new float[t.base().length];
        for (float[] tv : t.taskVectors()) {
            for (int i = 0; i < s.length; i++) {
                s[i] += tv[i];
            }
        }
        return s;
    }

    @Test
    void closedFormGradientIsTheAutogradGradientOfTheOfficialLoss() {
        Map<String, InMemoryMergeDriver.Values> model = randomModel(1, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            for (String name : List.of("layers.0.fc1.weight", "layers.0.fc2.weight")) {
                InMemoryMergeDriver.Values t = model.get(name);
                NDArray tvs = WudiReference.stack(m, t);
                NDArray start = tvs.sum(new int[]{0});
                NDArray displacement = m.randomNormal(0f, 1e-3f, new Shape(t.shape()), ai.djl.ndarray.types.DataType.FLOAT32);
                NDArray autograd = WudiReference.lossAndGradient(tvs, start.add(displacement))[1];
                try (WudiObjective objective = WudiObjective.of(tvs, start)) {
                    float[] closed = objective.gradient(displacement).toFloatArray();
                    float[] want = autograd.toFloatArray();
                    double scale = Arrays.stream(toDoubles(want)).map(Math::abs).max().orElse(0);
                    assertTrue(scale > 1e-6, "non-trivial gradient");
                    // F32 sums of 5–9 products in a different order: relative error ~1e-6.
                    assertTrue(maxAbsDiff(closed, want) <= 1e-5 * scale, name + ": " + maxAbsDiff(closed, want) + " vs scale " + scale);
                }
            }
        }
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void matchesTheTranscriptionOfFusionBench() {
        Map<String, InMemoryMergeDriver.Values> model = randomModel(2, 4);
        Map<String, float[]> want = WudiReference.merge(model, 400, 1e-5, Set.of());
        Map<String, float[]> got = InMemoryMergeDriver.merge(Wudi.fromParams(MethodParams.of("wudi")), model);
        for (String name : model.keySet()) {
            float[] ta = sumOfTaskVectors(model.get(name), true);
            double moved = maxAbsDiff(want.get(name), ta);
            double diff = maxAbsDiff(want.get(name), got.get(name));
            assertTrue(moved > 1e-3, name + " moved " + moved + " from Task Arithmetic (λ = 1)");
            assertTrue(diff <= TOL, name + ": max |diff| " + diff + ", moved " + moved);
        }
    }

    @Test
    void excludedKeysAreAveraged() {
        Map<String, InMemoryMergeDriver.Values> model = randomModel(3, 2);
        Map<String, float[]> want = WudiReference.merge(model, 50, 1e-5, Set.of("head.weight"));
        Map<String, float[]> got = InMemoryMergeDriver.merge(Wudi.fromParams(MethodParams.of("wudi", "iter_num", 50, "exclude_keys", "^head\\.")), model);
        assertTrue(maxAbsDiff(want.get("head.weight"), got.get("head.weight")) <= TOL);
        assertTrue(maxAbsDiff(want.get("layers.0.fc1.weight"), got.get("layers.0.fc1.weight")) <= TOL);
    }

    @Test
    void aSingleTaskKeepsItsFineTune() {
        // L(M) = ‖(M − τ)τᵀ‖²/‖τ‖² has gradient 0 at the start M = τ: θ = θ_1 whatever the iterations.
        InMemoryMergeDriver.Values t = randomModel(4, 1).get("layers.0.fc2.weight");
        Map<String, float[]> got = InMemoryMergeDriver.merge(Wudi.fromParams(MethodParams.of("wudi", "lr", 1e-3)), Map.of("w", t));
        assertArrayEquals(sumOfTaskVectors(t, true), got.get("w"), 1e-9f);
    }

    @Test
    void taskVectorsOnDisjointInputsGiveTaskArithmetic() {
        // τ_1 reads inputs 0–1 only, τ_2 inputs 2–3: τ_j τ_iᵀ = 0 for i ≠ j, so the gradient at Σ τ is 0.
        float[] tv1 = {1, 2, 0, 0, -3, 1, 0, 0};
        float[] tv2 = {0, 0, 4, -1, 0, 0, 2, 5};
        InMemoryMergeDriver.Values t = new InMemoryMergeDriver.Values(new long[]{2, 4}, new float[8], List.of(tv1, tv2));
        Map<String, float[]> got = InMemoryMergeDriver.merge(Wudi.fromParams(MethodParams.of("wudi", "lr", 0.1)), Map.of("w", t));
        assertArrayEquals(new float[]{1, 2, 4, -1, -3, 1, 2, 5}, got.get("w"), 1e-6f);
    }

    @Test
    void runToConvergenceReachesTheHandSolvedMinimum() {
        // One output row, τ_1 = [1, 2], τ_2 = [3, −1]: L = (M·τ_1 − 5)²/5 + (M·τ_2 − 10)²/10 is zero where
        // a + 2b = 5 and 3a − b = 10, i.e. M = [25/7, 5/7]; the start is Σ τ = [4, 1].
        InMemoryMergeDriver.Values t = new InMemoryMergeDriver.Values(new long[]{1, 2}, new float[]{0.5f, -0.5f},
                List.of(new float[]{1, 2}, new float[]{3, -1}));
        Map<String, float[]> got = InMemoryMergeDriver.merge(Wudi.fromParams(MethodParams.of("wudi", "lr", 1e-2, "iter_num", 3000)), Map.of("w", t));
        // Adam's last steps are far below lr once the gradient has vanished; 1e-3 is a tenth of lr.
        assertArrayEquals(new float[]{0.5f + 25f / 7, -0.5f + 5f / 7}, got.get("w"), 1e-3f);
    }

    @Test
    void aZeroTaskVectorHasNoTerm() {
        // LwPTV zeroes a pruned task's vector; WUDI over {τ_1, τ_2, 0} is WUDI over {τ_1, τ_2} on 2-D tensors.
        Map<String, InMemoryMergeDriver.Values> two = randomModel(5, 2);
        InMemoryMergeDriver.Values t = two.get("layers.0.fc1.weight");
        InMemoryMergeDriver.Values three = new InMemoryMergeDriver.Values(t.shape(), t.base(),
                List.of(t.taskVectors().get(0), t.taskVectors().get(1), new float[t.base().length]));
        Wudi wudi = Wudi.fromParams(MethodParams.of("wudi", "iter_num", 100));
        float[] withZero = InMemoryMergeDriver.merge(wudi, Map.of("w", three)).get("w");
        float[] without = InMemoryMergeDriver.merge(wudi, Map.of("w", t)).get("w");
        for (float f : withZero) {
            assertFalse(Float.isNaN(f));
        }
        assertArrayEquals(without, withZero, 1e-9f);
    }

    @Test
    void zeroIterationsIsTaskArithmeticOnMatrices() {
        Map<String, InMemoryMergeDriver.Values> model = randomModel(6, 3);
        Map<String, float[]> got = InMemoryMergeDriver.merge(Wudi.fromParams(MethodParams.of("wudi", "iter_num", 0)), model);
        assertArrayEquals(sumOfTaskVectors(model.get("head.weight"), true), got.get("head.weight"), 1e-9f);
    }

    @Test
    void badParametersAreRefusedWithOneLine() {
        for (Object[] bad : new Object[][]{{"iter_num", -1}, {"iter_num", 2.5}, {"lr", -1e-5}, {"lr", "fast"},
                {"lr", Double.NaN}, {"exclude_keys", "(["}, {"lambda", 0.3}}) {
            AmalgamException e = assertThrows(AmalgamException.class,
                    () -> MergeMethods.create(MethodParams.of("wudi", bad[0], bad[1])), Arrays.toString(bad));
            assertTrue(e.getMessage().startsWith("wudi: ") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void throughTheStreamingExecutorAndUnderLwptv() {
        Map<String, InMemoryMergeDriver.Values> model = randomModel(7, 3);
        InMemoryTensorSource base = new InMemoryTensorSource("base");
        List<InMemoryTensorSource> fineTunes = List.of(new InMemoryTensorSource("a"), new InMemoryTensorSource("b"), new InMemoryTensorSource("c"));
        model.forEach((n, x) -> {
            base.f32(n, x.shape(), x.base());
            for (int t = 0; t < fineTunes.size(); t++) {
                float[] theta = x.base().clone();
                for (int i = 0; i < theta.length; i++) {
                    theta[i] += x.taskVectors().get(t)[i];
                }
                fineTunes.get(t).f32(n, x.shape(), theta);
            }
        });
        base.i64("position_ids", new long[]{2}, 0, 1);
        fineTunes.forEach(s -> s.i64("position_ids", new long[]{2}, 0, 1));
        MergeInputs in = new MergeInputs(base, List.copyOf(fineTunes), List.of("a", "b", "c"));
        Map<String, float[]> want = WudiReference.merge(model, 400, 1e-5, Set.of());

        InMemorySink sink = new InMemorySink();
        new StreamingExecutor(Device.cpu(), n -> n, true, StreamingExecutor.Progress.NONE)
                .run(MergeMethods.create(MethodParams.of("wudi")), in, sink);
        for (String n : model.keySet()) {
            assertTrue(maxAbsDiff(want.get(n), sink.merged().get(n)) <= TOL, n);
        }

        // LwPTV that prunes task "c" everywhere: the same as WUDI on a and b alone for the matrices.
        MaskRule pruneC = new MaskRule() {
            public String name() { return "manual"; }
            public String describe() { return "manual"; }
            public boolean[][] mask(double[][] s) {
                boolean[][] m = new boolean[3][s[0].length];
                Arrays.fill(m[0], true);
                Arrays.fill(m[1], true);
                return m;
            }
        };
        InMemorySink pruned = new InMemorySink();
        new StreamingExecutor(Device.cpu(), n -> n, true, StreamingExecutor.Progress.NONE)
                .run(Lwptv.wrap(Wudi.fromParams(MethodParams.of("wudi")), new EnergySaliency(), pruneC), in, pruned);
        Map<String, InMemoryMergeDriver.Values> ab = new LinkedHashMap<>();
        model.forEach((n, x) -> ab.put(n, new InMemoryMergeDriver.Values(x.shape(), x.base(), x.taskVectors().subList(0, 2))));
        Map<String, float[]> wantAb = WudiReference.merge(ab, 400, 1e-5, Set.of());
        for (String n : List.of("layers.0.fc1.weight", "layers.0.fc2.weight", "head.weight")) {
            assertTrue(maxAbsDiff(wantAb.get(n), pruned.merged().get(n)) <= TOL, n);
        }
    }
}
