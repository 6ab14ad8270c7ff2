package dev.amalgam.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Elementwise comparison helpers for merge tests. */
final class Assertions2 {
    private Assertions2() {
    }

    static void close(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Math.abs(e - a) > tol * Math.max(1.0, Math.abs(e))) {
                throw new AssertionError(what + "[" + i + "]: expected " + e + " got " + a);
            }
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
