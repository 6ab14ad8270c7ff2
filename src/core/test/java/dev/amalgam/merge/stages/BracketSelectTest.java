package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The one-pass band against a stable comparison sort by |x| (ties by index, or reverse index): the
 * threshold trim [loKey, hiKey] after zeroing the named surplus entries keeps exactly the entries
 * whose sorted position lies in [lo, hi) (zeros aside: they are never rewritten), and the L1 norm is
 * the index-order sum.
 */
class BracketSelectTest {

    private static float[] row(Random r, int n, int kind) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (kind) {
                case 0 -> (float) (r.nextGaussian() * 0.01);
                case 1 -> (r.nextInt(2001) - 1000) * 1e-5f; // many ties at every edge, some zeros
                default -> r.nextInt(10) == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6) - 3));
            };
        }
        return x;
    }

    /** Indices ascending by |x|, equal magnitudes by index (or reverse index): the stable ranks, by a comparison sort. */
    private static Integer[] stableOrder(float[] x, boolean reverse) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        Comparator<Integer> byMagnitude = Comparator.comparingDouble(i -> Math.abs(x[i]));
        Arrays.sort(order, byMagnitude.thenComparing(i -> reverse ? -i : i));
        return order;
    }

    private static void check(float[] x, long lo, long hi, boolean reverse) {
        int n = x.length;
        BracketSelect.Band b = BracketSelect.band(FloatBuffer.wrap(x), n, lo, hi, reverse, true);
        assertNotNull(b, "n " + n + " band [" + lo + ", " + hi + ")");
        Integer[] order = stableOrder(x, reverse);
        boolean[] expected = new boolean[n];
        for (long r = lo; r < hi; r++) {
            expected[order[(int) r]] = true;
        }
        Set<Integer> surplus = new HashSet<>();
        for (int i : b.surplus()) {
            surplus.add(i);
        }
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            l1 += Math.abs(x[i]);
            int a = Float.floatToRawIntBits(x[i]) & 0x7fffffff;
            boolean kept = !surplus.contains(i) && a >= b.loKey() && a <= b.hiKey();
            if (x[i] != 0f) {
                assertEquals(expected[i], kept, "entry " + i + " of band [" + lo + ", " + hi + ")");
            }
        }
        assertEquals(l1, b.l1(), 0.0);
    }

    @Test
    void keepsExactlyTheStableRankBand() {
        Random r = new Random(11);
        for (int trial = 0; trial < 12; trial++) {
            int n = BracketSelect.MIN_LENGTH + r.nextInt(50_000);
            float[] x = row(r, n, trial % 3);
            long k = (long) ((0.05 + 0.9 * r.nextDouble()) * n);
            check(x, n - k, n, true); // top-k, first of equal magnitudes kept
            long top = (long) (0.01 * n);
            check(x, n - k + (trial % 2 == 0 ? 0 : top) - top, n - top, false); // outlier band
            check(x, 0, n - top, false); // nothing dropped at the bottom
        }
    }

    @Test
    void declinesShortVectorsAndNaN() {
        assertNull(BracketSelect.band(FloatBuffer.wrap(new float[1000]), 1000, 10, 1000, true, false));
        float[] x = row(new Random(3), BracketSelect.MIN_LENGTH, 0);
        x[77] = Float.NaN;
        assertNull(BracketSelect.band(FloatBuffer.wrap(x), x.length, 100, x.length, true, false));
    }

    /** The whole-array exact-count band (any device) keeps the same entries as the stable sort. */
    @Test
    void wholeArrayBandKeepsTheStableRankBand() {
        Random r = new Random(4);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 6; trial++) {
                int n = 500 + r.nextInt(3000);
                float[] x = row(r, n, trial % 3);
                boolean reverse = trial % 2 == 0;
                long hi = reverse ? n : n - r.nextInt(n / 10);
                long lo = r.nextInt((int) hi);
                Integer[] order = stableOrder(x, reverse);
                float[] expected = new float[n];
                for (long k = lo; k < hi; k++) {
                    expected[order[(int) k]] = x[order[(int) k]];
                }
                float[] got = MagnitudeTrim.keepRankBand(m.create(x), lo, hi, reverse).toFloatArray();
                assertArrayEquals(expected, got, 0f, "band [" + lo + ", " + hi + ")");
            }
        }
    }
}
