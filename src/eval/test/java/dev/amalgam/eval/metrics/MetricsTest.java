package dev.amalgam.eval.metrics;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** All expected values worked by hand (shown in comments). */
class MetricsTest {
    // labels 0 0 1 1 2 2, predictions 0 1 1 1 0 2
    static final int[] Y = {0, 0, 1, 1, 2, 2};
    static final int[] P = {0, 1, 1, 1, 0, 2};

    @Test
    void accuracy() {
        assertEquals(4.0 / 6, Accuracy.of(P, Y), 1e-12); // correct at 0, 2, 3, 5
    }

    @Test
    void macroF1() {
        // class 0: TP 1, FP 1 (i=4), FN 1 (i=1) -> 2/4 = 0.5
        // class 1: TP 2, FP 1 (i=1), FN 0 -> 4/5 = 0.8
        // class 2: TP 1, FP 0, FN 1 (i=4) -> 2/3
        assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, MacroF1.of(P, Y, 3), 1e-12);
        // a 4th class that never occurs and is never predicted is left out
        assertEquals((0.5 + 0.8 + 2.0 / 3) / 3, MacroF1.of(P, Y, 4), 1e-12);
    }

    @Test
    void crossEntropy() {
        // row 1: logits (0, 0) label 0 -> ln 2; row 2: (ln 3, 0) label 1 -> ln(3 + 1) - 0 = ln 4
        float[][] z = {{0f, 0f}, {(float) Math.log(3), 0f}};
        assertEquals((Math.log(2) + Math.log(4)) / 2, CrossEntropy.of(z, new int[] {0, 1}), 1e-6);
        // large logits stay finite: (1000, 0) label 1 -> 1000
        assertEquals(1000.0, CrossEntropy.single(new float[] {1000f, 0f}, 1), 1e-3);
    }

    @Test
    void meterCombinesBatches() {
        ClassificationMeter m = new ClassificationMeter(2);
        m.add(new float[][] {{2f, 1f}, {0f, 3f}}, new int[] {0, 0}); // predicted 0, 1
        m.add(new float[][] {{0f, 0f}}, new int[] {1});              // predicted 0 (first on ties)
        assertEquals(3, m.count());
        assertEquals(1.0 / 3, m.accuracy(), 1e-12);
        double l1 = Math.log(Math.exp(2) + Math.exp(1)) - 2;
        double l2 = Math.log(1 + Math.exp(3)) - 0;
        double l3 = Math.log(2);
        assertEquals((l1 + l2 + l3) / 3, m.loss(), 1e-6);
        // class 0: TP 1, FP 1, FN 1 -> 0.5; class 1: TP 0, FP 1, FN 1 -> 0
        assertEquals(0.25, m.macroF1(), 1e-12);
    }

    @Test
    void normalisedAccuracyAndAverages() {
        Map<String, Double> merged = new LinkedHashMap<>();
        merged.put("mnist", 0.9);
        merged.put("svhn", 0.6);
        Map<String, Double> individual = Map.of("mnist", 0.99, "svhn", 0.8);
        Map<String, Double> norm = Aggregates.normalizedAccuracy(merged, individual);
        assertEquals(0.9 / 0.99, norm.get("mnist"), 1e-12);
        assertEquals(0.75, norm.get("svhn"), 1e-12);
        assertEquals(0.75, Aggregates.idAverage(merged), 1e-12);
        assertEquals(0.2, Aggregates.oodAverage(Map.of("a", 0.1, "b", 0.3)), 1e-12);
        assertTrue(Double.isNaN(Aggregates.mean(List.of())));
        assertThrows(IllegalArgumentException.class, () -> Aggregates.normalizedAccuracy(Map.of("x", 1.0), individual));
    }
}
