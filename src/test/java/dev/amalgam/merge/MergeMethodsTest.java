package dev.amalgam.merge;

import dev.amalgam.AmalgamException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeMethodsTest {

    @Test
    void everyRegisteredMethodBuildsAndMergesWithDefaults() {
        List<InMemoryMergeDriver.Tensor> two = InMemoryMergeDriver.small(2, 81);
        for (String name : MergeMethods.all().keySet()) {
            MergeMethod m = MergeMethods.create(MethodParams.of(name));
            assertFalse(m.describe().isBlank(), name);
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
        assertEquals("ties", MergeMethods.create(MethodParams.of("ties")).name());
        assertEquals("dare_ties", MergeMethods.create(MethodParams.of("dare_ties")).name());
        assertTrue(MergeMethods.create(MethodParams.of("dare_ties")).describe().contains("ties("));
        assertThrows(AmalgamException.class, () -> MergeMethods.create(MethodParams.of("tie")));
    }
}
