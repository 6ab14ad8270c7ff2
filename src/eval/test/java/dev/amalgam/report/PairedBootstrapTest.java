package dev.amalgam.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paired bootstrap against hand-worked cases and against independent computations: an exhaustive enumeration of
 * every possible resample (the exact bootstrap distribution) and the normal approximation with the plug-in variance.
 */
class PairedBootstrapTest {

    private static Outcomes bits(String examples, int... hits) {
        return new Outcomes(examples, 1, hits);
    }

    private static PairedBootstrap.Pair pair(String examples, int[] a, int[] b) {
        return new PairedBootstrap.Pair(bits(examples, a), bits(examples, b));
    }

    @Test
    void identicalOutcomesGiveZeroAndAnIntervalOfZero() {
        int[] h = {1, 0, 1, 1, 0, 1, 0, 0, 1};
        PairedBootstrap.Interval i = PairedBootstrap.of(List.of(pair("t", h, h), pair("u", new int[] {0, 1}, new int[] {0, 1})));
        assertEquals(0, i.difference());
        assertEquals(0, i.low());
        assertEquals(0, i.high());
        assertFalse(i.significant());
        assertEquals(2, i.columns());
    }

    @Test
    void allRightAgainstAllWrongIsOneWithoutSpread() {
        PairedBootstrap.Interval i = PairedBootstrap.of(List.of(pair("t", new int[] {1, 1, 1, 1}, new int[] {0, 0, 0, 0})));
        assertEquals(1, i.difference());
        assertEquals(1, i.low());
        assertEquals(1, i.high());
        assertTrue(i.significant());
    }

    /** Hand-worked: d = (1, 0); the 4 equally likely resamples have means 1, ½, ½, 0. */
    @Test
    void twoExamplesHaveTheEnumeratedDistribution() {
        List<PairedBootstrap.Pair> p = List.of(pair("t", new int[] {1, 1}, new int[] {0, 1}));
        assertEquals(0.5, PairedBootstrap.difference(p));
        double[] r = PairedBootstrap.replicates(p, 40_000, 7);
        Map<Double, Integer> counts = new TreeMap<>();
        for (double v : r) {
            counts.merge(v, 1, Integer::sum);
        }
        assertEquals(List.of(0.0, 0.5, 1.0), new ArrayList<>(counts.keySet()));
        double[] exact = {0.25, 0.5, 0.25};
        int k = 0;
        for (int c : counts.values()) {
            double sd = Math.sqrt(exact[k] * (1 - exact[k]) / r.length);
            assertEquals(exact[k], (double) c / r.length, 5 * sd, "P(mean = " + 0.5 * k + ")");
            k++;
        }
        PairedBootstrap.Interval i = PairedBootstrap.of(p);
        assertEquals(0, i.low()); // P(0) = ¼ > 2.5 %, so the 50th smallest of 2000 is 0
        assertEquals(1, i.high());
        assertFalse(i.significant());
    }

    /**
     * Two tasks, averaged: the exact bootstrap distribution enumerated over all 2² · 3³ resamples, its 2.5 % and
     * 97.5 % quantiles against the interval (the quantiles sit well inside a jump of the distribution function, so
     * B = 2000 draws find them).
     */
    @Test
    void twoTasksMatchTheExhaustiveEnumeration() {
        double[] d1 = {-1, 1};
        double[] d2 = {-1, 0, 1};
        List<PairedBootstrap.Pair> p = List.of(
                pair("t1", new int[] {0, 1}, new int[] {1, 0}),
                pair("t2", new int[] {0, 1, 1}, new int[] {1, 1, 0}));
        List<Double> all = new ArrayList<>();
        for (double m1 : resampleMeans(d1)) {
            for (double m2 : resampleMeans(d2)) {
                all.add((m1 + m2) / 2);
            }
        }
        double[] exact = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double lo = quantileLow(exact, 0.025);
        double hi = -quantileLow(Arrays.stream(exact).map(x -> -x).sorted().toArray(), 0.025);
        assertMargin(exact, lo);
        assertMargin(Arrays.stream(exact).map(x -> -x).sorted().toArray(), -hi);
        PairedBootstrap.Interval i = PairedBootstrap.of(p);
        assertEquals(0, i.difference(), 1e-12);
        assertEquals(-5.0 / 6, lo, 1e-12); // hand check: (−1 + (−⅔)) / 2, probability 4/108 of reaching it or less
        assertEquals(lo, i.low(), 1e-12);
        assertEquals(hi, i.high(), 1e-12);
        assertFalse(i.significant());
    }

    /** Mean of every one of the n^n equally likely resamples (with replacement, order counted) of {@code d}. */
    private static double[] resampleMeans(double[] d) {
        int n = d.length;
        int total = (int) Math.pow(n, n);
        double[] out = new double[total];
        for (int code = 0; code < total; code++) {
            int c = code;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += d[c % n];
                c /= n;
            }
            out[code] = s / n;
        }
        return out;
    }

    /** The smallest value whose distribution function reaches q. */
    private static double quantileLow(double[] sorted, double q) {
        for (int i = 0; i < sorted.length; i++) {
            if ((i + 1.0) / sorted.length >= q && (i + 1 == sorted.length || sorted[i + 1] != sorted[i])) {
                return sorted[i];
            }
        }
        return sorted[sorted.length - 1];
    }

    /** F(x−) and F(x) at least 0.01 away from 2.5 %, so sampling noise of 2000 draws (sd 0.0035) cannot move the quantile. */
    private static void assertMargin(double[] sorted, double x) {
        long below = Arrays.stream(sorted).filter(v -> v < x - 1e-12).count();
        long atOrBelow = Arrays.stream(sorted).filter(v -> v <= x + 1e-12).count();
        assertTrue((double) below / sorted.length < 0.015, "F(x-) = " + (double) below / sorted.length);
        assertTrue((double) atOrBelow / sorted.length > 0.035, "F(x) = " + (double) atOrBelow / sorted.length);
    }

    /**
     * Large splits: the bootstrap distribution of the task-averaged mean difference is close to normal with the
     * plug-in variance Σ_t var_t / n_t / T² (var_t the population variance of task t's per-example differences).
     */
    @Test
    void largeSplitsAgreeWithTheNormalApproximation() {
        java.util.Random rnd = new java.util.Random(3);
        List<PairedBootstrap.Pair> p = new ArrayList<>();
        double variance = 0;
        double mean = 0;
        int[] sizes = {1500, 2500};
        for (int t = 0; t < sizes.length; t++) {
            int[] a = new int[sizes[t]];
            int[] b = new int[sizes[t]];
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextDouble() < 0.8 ? 1 : 0;
                b[i] = rnd.nextDouble() < (a[i] == 1 ? 0.85 : 0.3) ? 1 : 0;
                s += a[i] - b[i];
                s2 += (a[i] - b[i]) * (a[i] - b[i]);
            }
            double m = s / a.length;
            variance += (s2 / a.length - m * m) / a.length;
            mean += m;
            p.add(pair("t" + t, a, b));
        }
        mean /= sizes.length;
        double sd = Math.sqrt(variance) / sizes.length;
        PairedBootstrap.Interval i = PairedBootstrap.of(p, 20_000, 11);
        assertEquals(mean, i.difference(), 1e-12);
        assertEquals(mean - 1.96 * sd, i.low(), 0.06 * 3.92 * sd);
        assertEquals(mean + 1.96 * sd, i.high(), 0.06 * 3.92 * sd);
    }

    /** Columns over the same examples (same fingerprint) share one draw: two copies of a column resample as one. */
    @Test
    void columnsOverTheSameExamplesAreResampledTogether() {
        int[] a = {1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0};
        int[] b = {0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0};
        PairedBootstrap.Interval one = PairedBootstrap.of(List.of(pair("s", a, b)));
        PairedBootstrap.Interval shared = PairedBootstrap.of(List.of(pair("s", a, b), pair("s", a, b)));
        PairedBootstrap.Interval separate = PairedBootstrap.of(List.of(pair("s", a, b), pair("other", a, b)));
        assertEquals(one, new PairedBootstrap.Interval(shared.difference(), shared.low(), shared.high(), 1));
        assertTrue(separate.high() - separate.low() < one.high() - one.low(), "independent draws average out: " + separate);
    }

    @Test
    void scoresOfSeveralTrialsAreFractions() {
        // per example hits of 2 trials: scores ½, 1, 0 against 0, ½, 0 → d = (½, ½, 0)
        PairedBootstrap.Pair p = new PairedBootstrap.Pair(new Outcomes("s", 2, new int[] {1, 2, 0}),
                new Outcomes("s", 2, new int[] {0, 1, 0}));
        assertEquals(1.0 / 3, PairedBootstrap.difference(List.of(p)), 1e-12);
        PairedBootstrap.Interval i = PairedBootstrap.of(List.of(p));
        assertEquals(0, i.low()); // the resample (0, 0, 0) has probability 1/27 > 2.5 %
        assertEquals(0.5, i.high()); // the top: P(d* = ½) = 8/27 > 2.5 %
    }

    @Test
    void unpairedOutcomesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> pair("s", new int[] {1}, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> new PairedBootstrap.Pair(bits("s", 1, 0), bits("other", 1, 0)));
    }
}
