package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rank bands on rows long enough for the radix-select path, against a sort in plain Java. */
class MagnitudeTrimArraysTest {
    private static final int COLS = (int) MagnitudeTrim.RADIX_MIN_COLS + 1234;

    /** Reference: 1 where skipTop-th largest |x| > |x| ≥ (skipTop+keep)-th largest |x| of the row. */
    private static float[] reference(float[] x, int rows, int cols, int skipTop, int keep) {
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            float[] abs = new float[cols];
            for (int i = 0; i < cols; i++) {
                abs[i] = Math.abs(x[r * cols + i]);
            }
            float[] sorted = abs.clone();
            Arrays.sort(sorted);
            float low = sorted[cols - Math.min(cols, skipTop + keep)];
            float high = skipTop > 0 ? sorted[cols - skipTop] : Float.POSITIVE_INFINITY;
            for (int i = 0; i < cols; i++) {
                boolean in = abs[i] >= low && (skipTop == 0 || abs[i] < high);
                out[r * cols + i] = in ? 1f : 0f;
            }
        }
        return out;
    }

    @Test
    void radixBandsMatchASortedReferenceWithTies() {
        Random rnd = new Random(5);
        int rows = 3;
        float[] x = new float[rows * COLS];
        for (int i = 0; i < x.length; i++) {
            // Coarse values: many ties at every rank boundary; exact zeros of both signs.
            x[i] = Math.round(rnd.nextGaussian() * 40) / 8f;
            if (i % 97 == 0) {
                x[i] = -0f;
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(x, new Shape(rows, COLS));
            int[][] cases = {{0, 13000}, {500, 20000}, {1, 1}, {0, COLS}, {COLS - 1, 5}};
            for (int[] c : cases) {
                float[] got = MagnitudeTrim.band(a, true, c[0], c[1]).toFloatArray();
                float[] want = reference(x, rows, COLS, c[0], c[1]);
                assertTrue(Arrays.equals(want, got), "skipTop=" + c[0] + " keep=" + c[1]);
            }
            float[] flat = MagnitudeTrim.band(a, false, 7, 90000).toFloatArray();
            assertTrue(Arrays.equals(reference(x, 1, rows * COLS, 7, 90000), flat), "whole tensor");
            float[] kept = MagnitudeTrim.keepTopFractionPerRow(a, 0.2).toFloatArray();
            float[] mask = reference(x, rows, COLS, 0, (int) (0.2 * COLS));
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] * mask[i], kept[i], 0f, "keepTopFractionPerRow at " + i);
            }
        }
    }

    @Test
    void nanRowsFallBackToTopK() {
        float[] x = new float[COLS];
        Arrays.fill(x, 1f);
        x[3] = Float.NaN;
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(COLS, MagnitudeTrim.band(m.create(x), true, 0, 10).toFloatArray().length);
        }
    }
}
