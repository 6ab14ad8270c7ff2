package dev.amalgam.gpu;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check program's comparisons on the CPU (device under test = CPU, so every difference must be within
 * its limit): keeps the kit's code compiling and running where no GPU is lent; the GPU run is docs/gpu.md's.
 */
class GpuCheckTest {

    @Test
    void everyComparisonRunsAndPassesCpuAgainstCpu() {
        CheckTable t = GpuCheck.run(Device.cpu(), Device.cpu(), new EvalThroughput.Settings(1, 0, 1, 1));
        List<CheckTable.Row> rows = t.rows();
        assertEquals(Set.of("CLIP (tiny, quick_gelu)", "BERT (tiny)", "GPT-2 (tiny)", "Llama (tiny, GQA)"),
                rows.stream().filter(r -> r.check().startsWith("c1")).map(CheckTable.Row::what).collect(Collectors.toSet()));
        long merges = rows.stream().filter(r -> r.check().startsWith("c2")).count();
        assertEquals(dev.amalgam.merge.job.MergeMethods.entries().size(), merges, "a row per engine method");
        assertTrue(rows.stream().filter(r -> r.check().startsWith("c2") && r.pass() != null).count() >= 14,
                "every data-free method is compared");
        assertTrue(rows.stream().anyMatch(r -> r.what().endsWith("F16") && r.value() > 0), "F16 throughput measured");
        assertTrue(t.passed(), t.markdown());
        String md = t.markdown();
        for (String line : md.split("\n")) {
            assertEquals(8, line.chars().filter(c -> c == '|').count(), "7 cells per row: " + line);
        }
    }

    @Test
    void aDifferenceOverItsLimitFailsTheTable() {
        CheckTable t = new CheckTable();
        t.add(new CheckTable.Row("c1 forward", "x", "max abs", 2e-4, "1e-4", 2e-4 <= ForwardParity.LIMIT, ""));
        assertTrue(!t.passed());
        assertTrue(t.markdown().contains("**FAIL**"));
    }
}
