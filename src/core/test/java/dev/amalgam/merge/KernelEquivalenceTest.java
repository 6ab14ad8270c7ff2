package dev.amalgam.merge;

import dev.amalgam.merge.InMemoryMergeDriver.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.merge.job.MergeMethods;

/**
 * The fused per-element kernels (dev.amalgam.merge.stages) against the whole-array libtorch path
 * each method keeps for tensors too large for a kernel view. Tensors span many chunks and parallel
 * blocks; [300, 257] rows take the quickselect and the 70000-element vector the radix select, so
 * every selection and combine path of both sides meets on the same inputs.
 */
class KernelEquivalenceTest {
    private static final List<Tensor> DATA = List.of(
            InMemoryMergeDriver.random("a.weight", new long[]{300, 257}, 3, 21, 0.1),
            InMemoryMergeDriver.random("b.vector", new long[]{70000}, 3, 22, 0.1),
            InMemoryMergeDriver.random("c.bias", new long[]{5}, 3, 23, 0.1),
            InMemoryMergeDriver.random("d.scale", new long[]{}, 3, 24, 0.1));

    private static final List<MethodParams> METHODS = List.of(
            MethodParams.of("ties", "scope", "global"),
            MethodParams.of("ties", "scope", "global", "merge", "dis-mean", "weights", List.of(1.0, 0.5, 2.0)),
            MethodParams.of("ties", "scope", "global", "merge", "dis-max", "k", 100),
            MethodParams.of("ties", "scope", "tensor", "density", 0.3),
            MethodParams.of("ties", "scope", "tensor", "merge", "dis-mean", "weights", List.of(1.0, 0.5, 2.0)),
            MethodParams.of("ties", "scope", "tensor", "merge", "dis-max", "density", 0.0001),
            MethodParams.of("dare", "seed", 7),
            MethodParams.of("dare", "rescale", "l1", "seed", 3, "weights", List.of(0.5, 1.0, 1.5)),
            MethodParams.of("dare", "rescale", "none", "p", 0.9),
            MethodParams.of("dare_ties", "seed", 5, "combine", "ties"),
            MethodParams.of("dare_ties", "seed", 5, "combine", "ties", "scope", "tensor", "merge", "dis-mean"),
            MethodParams.of("breadcrumbs", "variant", "rows"),
            MethodParams.of("breadcrumbs", "variant", "rows", "beta", 0.4, "gamma", 0.2, "weights", List.of(1.0, -0.5, 2.0)),
            MethodParams.of("breadcrumbs", "variant", "tensor", "density", 0.5, "gamma", 0.1),
            MethodParams.of("breadcrumbs", "variant", "tensor", "density", 0.95, "gamma", 0.1),
            MethodParams.of("breadcrumbs_ties", "beta", 0.5, "gamma", 0.2),
            MethodParams.of("consensus"),
            MethodParams.of("consensus", "mtl", "ties", "k", 1, "lambda", List.of(0.4, 0.6, 0.8)),
            MethodParams.of("tall_masks"),
            MethodParams.of("tall_masks", "mtl", "ties"),
            MethodParams.of("emr"));

    @Test
    void kernelsMergeLikeWholeArrayOps() {
        for (MethodParams p : METHODS) {
            MergeMethod kernel = MergeMethods.create(p);
            MergeMethod whole = MergeMethods.create(p);
            String what = kernel.describe();
            Map<String, float[]> got = InMemoryMergeDriver.merge(kernel, DATA, true);
            Map<String, float[]> exp = InMemoryMergeDriver.merge(whole, DATA, false);
            for (Tensor x : DATA) {
                close(exp.get(x.name()), got.get(x.name()), what + " " + x.name());
            }
            if (kernel instanceof TaskModulated) {
                var gotModels = InMemoryMergeDriver.taskModels((TaskModulated) MergeMethods.create(p), DATA, true);
                var expModels = InMemoryMergeDriver.taskModels((TaskModulated) MergeMethods.create(p), DATA, false);
                for (Tensor x : DATA) {
                    close(expModels.get(x.name()).shared(), gotModels.get(x.name()).shared(), what + " shared " + x.name());
                    for (int t = 0; t < 3; t++) {
                        assertArrayEquals(expModels.get(x.name()).masks()[t], gotModels.get(x.name()).masks()[t],
                                what + " mask " + t + " " + x.name());
                    }
                }
            }
        }
    }

    /** Equal up to float summation order: at most 2e-6 apart, and not trivially all zero. */
    private static void close(float[] exp, float[] got, String what) {
        assertTrue(exp.length == got.length, what);
        double worst = 0;
        for (int i = 0; i < exp.length; i++) {
            worst = Math.max(worst, Math.abs(exp[i] - got[i]));
        }
        assertTrue(worst <= 2e-6, what + ": max |diff| " + worst);
    }
}
