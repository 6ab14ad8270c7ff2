package dev.amalgam.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WarmupCosineScheduleTest {

    @Test
    void valuesMatchHandComputedCurve() {
        // peak 1, 2 warm-up updates, 6 in all: cos(pi/4) = 0.70710678...
        WarmupCosineSchedule s = new WarmupCosineSchedule(1f, 2, 6);
        double[] expected = {0.0, 0.5, 1.0, 0.8535533905932737, 0.5, 0.14644660940672627, 0.0, 0.0};
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], s.value(t), 1e-12, "update " + t);
            assertEquals((float) expected[t], s.getNewValue(t), 1e-7f, "update " + t);
        }
    }

    @Test
    void scalesWithPeakAndHandlesNoWarmup() {
        // peak 2e-5, no warm-up, 4 updates: 2e-5 * (1 + cos(pi * t / 4)) / 2
        WarmupCosineSchedule s = new WarmupCosineSchedule(2e-5f, 0, 4);
        assertEquals(2e-5 * 0.8535533905932737, s.value(1), 1e-12);
        assertEquals(1e-5, s.value(2), 1e-12);
        assertEquals(2e-5 * 0.14644660940672627, s.value(3), 1e-12);
        assertEquals(0.0, s.value(4), 0.0);
    }

    @Test
    void warmupLengthIsCeilOfRatioTimesTotal() {
        assertEquals(10, WarmupCosineSchedule.warmupSteps(0.1, 95));
        assertEquals(10, WarmupCosineSchedule.warmupSteps(0.1, 100));
        assertEquals(0, WarmupCosineSchedule.warmupSteps(0.0, 100));
        assertEquals(1, WarmupCosineSchedule.warmupSteps(0.1, 3));
    }

    @Test
    void rejectsWarmupLongerThanRun() {
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1f, 7, 6));
    }
}
