package dev.amalgam.merge.mergekit;

import ai.djl.ndarray.NDArray;
import dev.amalgam.merge.InMemoryMergeDriver;
import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.amalgam.merge.mergekit.GtaKernelTest.D;
import static dev.amalgam.merge.mergekit.GtaKernelTest.W;
import static dev.amalgam.merge.mergekit.GtaKernelTest.models;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole-array (any device) form of generalized task arithmetic ({@link GtaWholeArray}), forced onto
 * the CPU, against the staged float form bit for bit, on the inputs of {@link GtaKernelTest}: tie-heavy
 * values (exact-count bands with ties at every edge), exact zeros, continuous values, below and above
 * the one-pass selection's minimum length. The staged form is checked against the MergeKit
 * transcription in {@link MergeKitMethodsTest}, and equals the fused kernel ({@link GtaKernelTest}).
 */
class GtaWholeArrayTest {

    @AfterEach
    void restore() {
        GtaWholeArray.forceOnCpu = false;
    }

    private static void same(String variant, Map<String, Object> global, List<Map<String, Object>> perModel) {
        // 888 entries; 76,800 tie-heavy; 76,800 continuous (libtorch on a shared CPU is slow, so three inputs).
        for (long seed : new long[]{1, 3, 5}) {
            Tensor x = seed <= 2 ? GtaKernelTest.tieHeavy(seed, 24, 37) : seed <= 4 ? GtaKernelTest.tieHeavy(seed, 256, 300)
                    : GtaKernelTest.continuous(seed, 256, 300);
            GeneralizedTaskArithmetic m = new GeneralizedTaskArithmetic(GeneralizedTaskArithmetic.variant(variant),
                    GtaKernelTest.params(variant, global, perModel), true, 42);
            float[] staged = GtaKernelTest.run(m, x, false);
            GeneralizedTaskArithmetic.Variant v = GeneralizedTaskArithmetic.variant(variant);
            GtaKernel.Settings s = new GtaKernel.Settings(variant, column(perModel, "weight", 0),
                    column(perModel, "density", 1), column(perModel, "gamma", 0.01), column(perModel, "epsilon", 0.15),
                    (Boolean) global.getOrDefault("rescale", v.rescale()), (Boolean) global.getOrDefault("normalize", v.normalize()),
                    ((Number) global.getOrDefault("lambda", 1.0)).doubleValue(), 42);
            float[] whole = InMemoryMergeDriver.withStep(x, true, step -> {
                NDArray out = GtaWholeArray.merge(v, step, s);
                assertNotNull(out, "the whole-array form must take this case, not fall back");
                return out.toFloatArray();
            });
            assertArrayEquals(staged, whole, 0f, variant + " " + global + " " + perModel + " seed " + seed);
        }
    }

    @Test
    void forcedOnCpuTheMethodTakesTheWholeArrayForm() {
        Tensor x = GtaKernelTest.tieHeavy(2, 24, 37);
        GeneralizedTaskArithmetic m = new GeneralizedTaskArithmetic(GeneralizedTaskArithmetic.variant("dare_ties"),
                GtaKernelTest.params("dare_ties", Map.of(), models(W, D, null, null)), true, 7);
        assertFalse(InMemoryMergeDriver.withStep(x, true, GtaWholeArray::applies));
        GtaWholeArray.forceOnCpu = true;
        assertTrue(InMemoryMergeDriver.withStep(x, true, GtaWholeArray::applies));
        float[] whole = GtaKernelTest.run(m, x, true);
        GtaWholeArray.forceOnCpu = false;
        assertArrayEquals(GtaKernelTest.run(m, x, true), whole, 0f);
    }

    private static double[] column(List<Map<String, Object>> perModel, String key, double fallback) {
        return perModel.stream().mapToDouble(m -> ((Number) m.getOrDefault(key, fallback)).doubleValue()).toArray();
    }

    @Test
    void tiesTopKWithExactCounts() {
        same("ties", Map.of(), models(W, D, null, null));
        same("ties", Map.of("rescale", true, "lambda", 0.7), models(W, new double[]{0.1, 0.1, 1.0, 0.35}, null, null));
    }

    @Test
    void dareFamily() {
        same("dare_ties", Map.of(), models(W, D, null, null));
        same("dare_linear", Map.of(), models(W, D, null, null));
        same("dare_linear", Map.of("rescale", false, "lambda", 1.3), models(W, new double[]{0.0, 0.5, 1.0, 0.7}, null, null));
    }

    @Test
    void breadcrumbsBands() {
        double[] gamma = {0.05, 0.1, 0.2, 0.01};
        double[] dens = {0.8, 0.6, 0.5, 0.9};
        same("breadcrumbs", Map.of(), models(W, dens, "gamma", gamma));
        same("breadcrumbs_ties", Map.of("rescale", true), models(W, dens, "gamma", gamma));
    }

    @Test
    void dellaSameRanksAndDraws() {
        double[] eps = {0.1, 0.05, 0.15, 0.02};
        double[] dens = {0.5, 0.3, 0.7, 1.0};
        same("della", Map.of(), models(W, dens, "epsilon", eps));
        same("della_linear", Map.of(), models(W, dens, "epsilon", eps));
    }
}
