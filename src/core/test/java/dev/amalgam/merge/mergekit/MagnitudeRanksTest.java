package dev.amalgam.merge.mergekit;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The radix order against a stable comparison sort by |x| (ties by index), on strided and tie-heavy rows. */
class MagnitudeRanksTest {

    @Test
    void equalsAStableSortByMagnitude() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int len = 2 + r.nextInt(300);
            int stride = 1 + r.nextInt(3);
            float[] data = new float[len * stride + 5];
            for (int i = 0; i < data.length; i++) {
                switch (trial % 4) {
                    case 0 -> data[i] = (float) r.nextGaussian();
                    case 1 -> data[i] = (r.nextInt(9) - 4) * 0.25f; // many ties and zeros, both signs
                    case 2 -> data[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(60) - 30)); // wide exponents
                    default -> data[i] = r.nextBoolean() ? Float.MIN_VALUE * r.nextInt(4) : -0f;
                }
            }
            int base = r.nextInt(5);
            Integer[] expected = new Integer[len];
            for (int j = 0; j < len; j++) {
                expected[j] = j;
            }
            Arrays.sort(expected, Comparator.comparingDouble(j -> Math.abs(data[base + j * stride])));
            int[] got = new MagnitudeRanks(len).ascending(FloatBuffer.wrap(data), base, stride);
            assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), got, "trial " + trial);
        }
    }
}
