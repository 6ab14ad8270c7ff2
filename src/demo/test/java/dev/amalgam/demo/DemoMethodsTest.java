package dev.amalgam.demo;

import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.job.MergeMethods;
import dev.amalgam.merge.MethodParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every method the demo runs builds, with the parameters its label promises. */
class DemoMethodsTest {
    @Test
    void everyDemoMethodBuildsAndDescribesItsLabel() {
        for (DemoMethods.Method m : DemoMethods.all()) {
            MergeMethod built = MergeMethods.create(new MethodParams(m.name(), m.params()));
            String d = built.describe();
            assertTrue(!d.isBlank(), m.label());
            if (m.label().contains("λ=0.3")) {
                assertTrue(d.contains("lambda=0.3"), m.label() + " → " + d);
            }
            if (m.label().startsWith("TIES")) {
                assertTrue(d.contains("scope=global") && d.contains("k=20"), d);
            }
        }
    }
}
