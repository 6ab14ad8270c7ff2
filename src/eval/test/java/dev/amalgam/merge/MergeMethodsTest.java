package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.merge.job.MergeMethods;

class MergeMethodsTest {

    @Test
    void everyRegisteredMethodBuildsAndMergesWithDefaults() {
        List<InMemoryMergeDriver.Tensor> two = InMemoryMergeDriver.small(2, 81);
        for (String name : MergeMethods.all().keySet()) {
            if (dev.amalgam.merge.mergekit.MergeKitMethods.has(name)) {
                continue; // MergeKit's methods: MergeKitMethodsTest
            }
            MergeMethod m = MergeMethods.create(MethodParams.of(name));
            assertFalse(m.describe().isBlank(), name);
            if (m instanceof dev.amalgam.merge.data.DataAwareMethod) {
                // no data, no passes: a clear refusal (merging with data: src/test/java/dev/amalgam/merge/data)
                assertThrows(AmalgamException.class, () -> InMemoryMergeDriver.merge(m, two), name);
                continue;
            }
            Map<String, float[]> out = InMemoryMergeDriver.merge(m, two);
            assertEquals(2, out.size(), name);
            for (float[] v : out.values()) {
                for (float f : v) {
                    assertTrue(Float.isFinite(f), name + " produced " + f);
                }
            }
            assertThrows(AmalgamException.class, () -> MergeMethods.create(MethodParams.of(name, "no_such_key", 1)), name);
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
