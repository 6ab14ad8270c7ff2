package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.merge.job.MergeMethods;

class MergeMethodsTest {

    /** One 1-D tensor, θ_0 = [1, 2], τ_1 = [0.5, 1], τ_2 = [0.4, 2] (worked by hand below). */
    private static final List<InMemoryMergeDriver.Tensor> HAND = List.of(new InMemoryMergeDriver.Tensor("a.bias",
            new long[]{2}, new float[]{1, 2}, List.of(new float[]{0.5f, 1}, new float[]{0.4f, 2})));

    /**
     * Every data-free method with its defaults (docs/merging.md) on {@link #HAND}, worked by hand from
     * docs/methods: a 1-D tensor is averaged by the SVD methods and WUDI, θ_0 + mean τ = [1.45, 3.5].
     * Consensus/TALL (λ 0.6, τ_MTL = Σ τ_t = [0.9, 3]): m_1 = [0.5 > 0.24, 1 > 1.2] = [1, 0],
     * m_2 = [0.4 > 0.3, 2 > 0.6] = [1, 1], so k = 2 keeps entry 0 only: θ_0 + 0.3 · [0.9, 0].
     */
    private static final Map<String, float[]> MERGED = Map.of(
            "weight_average", new float[]{1.45f, 3.5f},
            "cart", new float[]{1.45f, 3.5f},
            "tsv_m", new float[]{1.45f, 3.5f},
            "iso_c", new float[]{1.45f, 3.5f},
            "iso_cts", new float[]{1.45f, 3.5f},
            "wudi", new float[]{1.45f, 3.5f},
            "consensus", new float[]{1.27f, 2f});

    /**
     * Per-task models of the task-modulated methods on {@link #HAND}. TALL: θ_0 + m_t ⊙ τ_MTL with the
     * masks above. EMR: sign +, ε = [0.5, 2], every mask true, λ_1 = mean(0.5, 1) / mean(0.5, 2) = 0.6,
     * λ_2 = mean(0.4, 2) / 1.25 = 0.96.
     */
    private static final Map<String, float[][]> PER_TASK = Map.of(
            "tall_masks", new float[][]{{1.9f, 2f}, {1.9f, 5f}},
            "emr", new float[][]{{1.3f, 3.2f}, {1.48f, 3.92f}});

    @Test
    void everyRegisteredMethodMergesTheHandWorkedExampleWithItsDefaults() {
        for (String name : MergeMethods.all().keySet()) {
            if (dev.amalgam.merge.mergekit.MergeKitMethods.has(name)) {
                continue; // MergeKit's methods: MergeKitMethodsTest
            }
            MergeMethod m = MergeMethods.create(MethodParams.of(name));
            assertFalse(m.describe().isBlank(), name);
            assertThrows(AmalgamException.class, () -> MergeMethods.create(MethodParams.of(name, "no_such_key", 1)), name);
            if (m instanceof dev.amalgam.merge.data.DataAwareMethod) {
                // no data, no passes: a clear refusal (merging with data: src/test/java/dev/amalgam/merge/data)
                assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(m, HAND), name);
                continue;
            }
            String canonical = m.name().replace('-', '_').equals("tsvm") ? "tsv_m" : m.name().replace('-', '_');
            if (canonical.equals("dare")) {
                assertDareDrawsFromTheHandWorkedSet(InMemoryMergeDriver.merge(m, HAND).get("a.bias"));
            } else if (m instanceof TaskModulated tm) {
                float[][] want = PER_TASK.get(canonical);
                assertNotNull(want, name + ": no hand-worked per-task models in this test");
                float[][] got = InMemoryMergeDriver.taskModels(tm, HAND).get("a.bias").models();
                for (int t = 0; t < want.length; t++) {
                    assertArrayEquals(want[t], got[t], 1e-6f, name + " task " + t);
                }
            } else {
                float[] want = MERGED.get(canonical);
                assertNotNull(want, name + " (" + m.name() + "): no hand-worked merge in this test");
                assertArrayEquals(want, InMemoryMergeDriver.merge(m, HAND).get("a.bias"), 1e-6f, name);
            }
            assertUnchangedFineTunesGiveTheBase(name);
        }
    }

    /**
     * DARE (p 0.5, inverse rescale, λ 0.3, TA): each entry keeps or drops each τ_t and doubles what it
     * keeps, so entry 0 is 1 + 0.3 · {0, 1.0, 0.8, 1.8} and entry 1 is 2 + 0.3 · {0, 2, 4, 6}.
     */
    private static void assertDareDrawsFromTheHandWorkedSet(float[] got) {
        double[][] allowed = {{1, 1.3, 1.24, 1.54}, {2, 2.6, 3.2, 3.8}};
        for (int i = 0; i < 2; i++) {
            final float v = got[i];
            assertTrue(java.util.Arrays.stream(allowed[i]).anyMatch(a -> Math.abs(a - v) <= 1e-6), "dare entry " + i + ": " + v);
        }
    }

    /** Fine-tunes equal to the base (every τ_t = 0) merge to the base exactly, whatever the method. */
    private static void assertUnchangedFineTunesGiveTheBase(String name) {
        List<InMemoryMergeDriver.Tensor> zero = new java.util.ArrayList<>();
        for (InMemoryMergeDriver.Tensor x : InMemoryMergeDriver.small(2, 81)) {
            zero.add(new InMemoryMergeDriver.Tensor(x.name(), x.shape(), x.base(), List.of(new float[x.size()], new float[x.size()])));
        }
        Map<String, float[]> out = InMemoryMergeDriver.merge(MergeMethods.create(MethodParams.of(name)), zero);
        for (InMemoryMergeDriver.Tensor x : zero) {
            assertArrayEquals(x.base(), out.get(x.name()), 0f, name + " with τ = 0 on " + x.name());
        }
    }

    @Test
    void namesAndAliases() {
        assertEquals("ties", MergeMethods.create(MethodParams.of("ties", "weight", 1)).name());
        assertTrue(MergeMethods.create(MethodParams.of("ties", "weight", 1))
                instanceof dev.amalgam.merge.mergekit.GeneralizedTaskArithmetic, "a MergeKit name means MergeKit's method");
        assertTrue(MergeMethods.create(MethodParams.of("ties", "scope", "global")) instanceof Ties, "scope selects paper TIES");
        assertEquals("dare_ties", MergeMethods.create(MethodParams.of("dare_ties", "weight", 1)).name());
        assertTrue(MergeMethods.create(MethodParams.of("dare_ties", "combine", "ties")).describe().contains("ties("));
        assertTrue(MergeMethods.create(MethodParams.of("tsv-m")) instanceof Tsvm, "the README's spelling");
        assertThrows(AmalgamException.class, () -> MergeMethods.create(MethodParams.of("tie")));
    }
}
