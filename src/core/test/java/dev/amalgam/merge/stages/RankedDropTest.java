package dev.amalgam.merge.stages;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.amalgam.merge.ops.CounterRng;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DELLA's drop without a row sort against the rule written out directly: a stable comparison sort of
 * each row by |x| (ties by index), rank r kept iff bits53(flat index) &lt; ⌈p_r·2⁵³⌉ with
 * p_r = density − ε + 2ε·r/(len − 1) (docs/mergekit.md, "One engine for the task-arithmetic family"). Rows along the middle axis of
 * [outer, len, inner], with continuous, tie-heavy and zero-heavy values.
 */
class RankedDropTest {

    private static float[] reference(float[] x, int outer, int len, int inner, double density, double eps, CounterRng rng) {
        float[] out = x.clone();
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                Integer[] order = new Integer[len];
                for (int j = 0; j < len; j++) {
                    order[j] = j;
                }
                Arrays.sort(order, Comparator.comparingDouble(j -> Math.abs(x[base + j * inner])));
                for (int r = 0; r < len; r++) {
                    int at = base + order[r] * inner;
                    double p = (density - eps) + (double) r / (len - 1) * 2 * eps;
                    if (rng.bits53(at) >= (long) Math.ceil(p * 0x1.0p53)) {
                        out[at] = 0f;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void equalsTheSortedRule() {
        Random r = new Random(5);
        for (int trial = 0; trial < 60; trial++) {
            int outer = 1 + r.nextInt(6);
            int len = 2 + r.nextInt(trial < 30 ? 40 : 3000);
            int inner = trial % 3 == 0 ? 1 + r.nextInt(4) : 1;
            float[] x = new float[outer * len * inner];
            for (int i = 0; i < x.length; i++) {
                x[i] = switch (trial % 4) {
                    case 0 -> (float) (r.nextGaussian() * 0.01);
                    case 1 -> (r.nextInt(41) - 20) * 0.125f; // ties and zeros
                    case 2 -> r.nextInt(3) == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
                    default -> (float) (r.nextGaussian() * 1e-3) + (r.nextBoolean() ? 0f : 1e-3f); // dense clusters
                };
            }
            double density = 0.1 + 0.8 * r.nextDouble();
            double eps = Math.min(density, 1 - density) * r.nextDouble() * 0.99;
            CounterRng rng = new CounterRng(trial, "layer.weight", trial % 3);
            float[] expected = reference(x, outer, len, inner, density, eps, rng);
            float[] got = x.clone();
            double[] l1 = new RankedDrop(len, density, eps).apply(FloatBuffer.wrap(got), outer, inner, rng);
            assertArrayEquals(expected, got, 0f, "trial " + trial);
            double before = 0;
            double after = 0;
            for (int i = 0; i < x.length; i++) {
                before += Math.abs(x[i]);
                after += Math.abs(got[i]);
            }
            assertEquals(before, l1[0], 0.0);
            assertEquals(after, l1[1], 0.0);
        }
    }

    @Test
    void wholeArrayFormEqualsTheRowForm() {
        Random r = new Random(9);
        int[][] shapes = {{3, 40, 5}, {1, 300, 1}, {6, 7, 3}, {2, 2, 1}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int[] sh : shapes) {
                int n = sh[0] * sh[1] * sh[2];
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = r.nextBoolean() ? (r.nextInt(9) - 4) * 0.5f : (float) r.nextGaussian();
                }
                CounterRng rng = new CounterRng(3, "t", 1);
                float[] row = x.clone();
                new RankedDrop(sh[1], 0.4, 0.2).apply(FloatBuffer.wrap(row), sh[0], sh[2], rng);
                float[] whole = RankedDrop.apply(m.create(x, new Shape(sh[0], sh[1], sh[2])), sh[0], sh[1], sh[2], 0.4, 0.2, rng)
                        .toFloatArray();
                assertArrayEquals(row, whole, 0f, Arrays.toString(sh));
            }
        }
    }
}
