package dev.amalgam.merge.mergekit;

import dev.amalgam.merge.InMemoryMergeDriver;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused kernel form of generalized task arithmetic ({@link GtaKernel}) against the staged float
 * form of the same class, bit for bit, on inputs built to stress exact-count selection: values drawn
 * from a few magnitudes (so many entries tie at every band edge, as in BF16 checkpoints), exact zeros,
 * per-model densities, gammas and weights that differ, with and without rescale and normalize, on
 * tensors below and above the radix select's minimum length. The
 * staged form is itself checked against the MergeKit transcription in {@link MergeKitMethodsTest}.
 */
class GtaKernelTest {

    private static final int TASKS = 4;

    static Tensor tieHeavy(long seed, int rows, int cols) {
        Random r = new Random(seed);
        int n = rows * cols;
        float[] base = new float[n];
        List<float[]> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            base[i] = r.nextInt(7) * 0.125f;
        }
        for (int t = 0; t < TASKS; t++) {
            float[] d = new float[n];
            for (int i = 0; i < n; i++) {
                // 9 magnitudes, both signs, and zeros.
                d[i] = (r.nextInt(19) - 9) * 0.0625f;
            }
            tasks.add(d);
        }
        return new Tensor("model.layers.0.mlp.down_proj.weight", new long[]{rows, cols}, base, tasks);
    }

    static Tensor continuous(long seed, int rows, int cols) {
        Random r = new Random(seed);
        Tensor x = tieHeavy(seed, rows, cols);
        for (float[] d : x.tasks()) {
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (r.nextGaussian() * 0.01);
            }
        }
        return x;
    }

    static TensorParameters params(String method, Map<String, Object> global, List<Map<String, Object>> perModel) {
        List<Map<String, Object>> inputs = new ArrayList<>(perModel);
        inputs.add(Map.of()); // the base
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            names.add("model.layers.0.mlp.down_proj.weight");
        }
        return new TensorParameters(method, global, tensor -> new TensorContext(0, Map.of(), names, inputs));
    }

    static float[] run(GeneralizedTaskArithmetic m, Tensor x, boolean kernels) {
        return InMemoryMergeDriver.withStep(x, kernels, step -> m.merge(step).toFloatArray());
    }

    private static void same(String variant, Map<String, Object> global, List<Map<String, Object>> perModel) {
        // 888 entries: quickselect and a counting pass; 76,800: the radix select's histograms decide.
        // Seed 5: continuous values, so no tie straddles an edge and the counting pass is skipped.
        for (long seed = 1; seed <= 5; seed++) {
            Tensor x = seed <= 2 ? tieHeavy(seed, 24, 37) : seed <= 4 ? tieHeavy(seed, 256, 300) : continuous(seed, 256, 300);
            GeneralizedTaskArithmetic m = new GeneralizedTaskArithmetic(GeneralizedTaskArithmetic.variant(variant),
                    params(variant, global, perModel), true, 42);
            float[] staged = run(m, x, false);
            float[] fused = run(m, x, true);
            assertArrayEquals(staged, fused, 0f, variant + " " + global + " " + perModel + " seed " + seed);
            GeneralizedTaskArithmetic.Variant v = GeneralizedTaskArithmetic.variant(variant);
            GtaKernel.Settings s = new GtaKernel.Settings(variant, column(perModel, "weight", 0),
                    column(perModel, "density", 1), column(perModel, "gamma", 0.01), column(perModel, "epsilon", 0.15), (Boolean) global.getOrDefault("rescale", v.rescale()),
                    (Boolean) global.getOrDefault("normalize", v.normalize()),
                    ((Number) global.getOrDefault("lambda", 1.0)).doubleValue(), 42);
            boolean took = InMemoryMergeDriver.withStep(x, true, step -> GtaKernel.merge(v, step, s) != null);
            assertTrue(took,
                    "the kernel form must take this case, not fall back");
        }
    }

    private static double[] column(List<Map<String, Object>> perModel, String key, double fallback) {
        return perModel.stream().mapToDouble(m -> ((Number) m.getOrDefault(key, fallback)).doubleValue()).toArray();
    }

    static List<Map<String, Object>> models(double[] weight, double[] density, String extraKey, double[] extra) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            Map<String, Object> m = new java.util.HashMap<>(Map.of("weight", weight[t], "density", density[t]));
            if (extraKey != null) {
                m.put(extraKey, extra[t]);
            }
            out.add(m);
        }
        return out;
    }

    static final double[] W = {1.0, 0.5, 0.8, 0.3};
    static final double[] D = {0.2, 0.5, 0.2, 0.9};

    @Test
    void tiesWithPerModelDensitiesAndTies() {
        same("ties", Map.of(), models(W, D, null, null));
        same("ties", Map.of("normalize", false, "lambda", 0.7), models(W, D, null, null));
        same("ties", Map.of("rescale", true), models(W, new double[]{0.1, 0.1, 1.0, 0.35}, null, null));
    }

    @Test
    void dareFamily() {
        same("dare_ties", Map.of(), models(W, D, null, null));
        same("dare_linear", Map.of(), models(W, D, null, null));
        same("dare_linear", Map.of("rescale", false, "lambda", 1.3), models(W, new double[]{0.0, 0.5, 1.0, 0.7}, null, null));
    }

    @Test
    void breadcrumbsBandsWithTiesAtBothEdges() {
        double[] gamma = {0.05, 0.1, 0.2, 0.01};
        double[] dens = {0.8, 0.6, 0.5, 0.9};
        same("breadcrumbs", Map.of(), models(W, dens, "gamma", gamma));
        same("breadcrumbs_ties", Map.of(), models(W, dens, "gamma", gamma));
        same("breadcrumbs", Map.of("rescale", true), models(W, dens, "gamma", gamma));
    }

    @Test
    void dellaRanksAndDrawsAsTheStagedForm() {
        double[] eps = {0.1, 0.05, 0.15, 0.02};
        double[] dens = {0.5, 0.3, 0.7, 1.0};
        same("della", Map.of(), models(W, dens, "epsilon", eps));
        same("della_linear", Map.of(), models(W, dens, "epsilon", eps));
        same("della", Map.of("rescale", false, "normalize", false), models(W, dens, "epsilon", eps));
    }

    @Test
    void inputsWithTiesAreActuallyTieHeavy() {
        Tensor x = tieHeavy(1, 24, 37);
        float[] d = x.tasks().get(0);
        float[] abs = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            abs[i] = Math.abs(d[i]);
        }
        java.util.Arrays.sort(abs);
        int k = (int) (0.2 * d.length);
        float edge = abs[d.length - k];
        int equal = 0;
        for (float a : abs) {
            equal += a == edge ? 1 : 0;
        }
        assertTrue(equal > 10, "the top-20 % edge must be shared by many entries, got " + equal);
    }
}
