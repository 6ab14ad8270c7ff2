package dev.amalgam.merge;

import dev.amalgam.merge.lwptv.LwptvOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.merge.job.MergeMethods;

/** Statistic passes are named, and one method instance run twice gives the same model (no state carried over). */
class StatisticPassRunsTest {
    @Test
    void passesAreNamedAndARerunStartsFromNothing() {
        List<InMemoryMergeDriver.Tensor> a = InMemoryMergeDriver.small(3, 11);
        List<InMemoryMergeDriver.Tensor> b = InMemoryMergeDriver.small(3, 12);
        for (MethodParams p : List.of(MethodParams.of("ties", "scope", "global"), MethodParams.of("emr"),
                MethodParams.of("consensus", "mtl", "ties"))) {
            MergeMethod m = MergeMethods.create(p);
            List<StatisticPass> passes = m.statisticPasses();
            assertTrue(!passes.isEmpty() && passes.stream().allMatch(x -> !x.name().isBlank()), p.method());
            Map<String, float[]> fresh = InMemoryMergeDriver.merge(MergeMethods.create(p), b);
            InMemoryMergeDriver.merge(m, a);
            Map<String, float[]> again = InMemoryMergeDriver.merge(m, b);
            for (String name : fresh.keySet()) {
                assertArrayEquals(fresh.get(name), again.get(name), 0f, p.method() + " " + name);
            }
        }
        MergeMethod lw = LwptvOptions.from(Map.of("score", "energy")).wrap(MergeMethods.create(MethodParams.of("ties", "scope", "global")));
        List<String> names = lw.statisticPasses().stream().map(StatisticPass::name).toList();
        assertEquals("lwptv saliency (energy)", names.get(0).replaceAll("\\s*\\(energy.*\\)", " (energy)"));
        assertTrue(names.get(1).startsWith("ties: global |τ| threshold"), names.toString());
    }
}
