package dev.amalgam.merge.stages;

import dev.amalgam.merge.ops.MergeFunction;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kernels' float forms of the TIES combine and the magnitude trim (the ones the JIT vectorises)
 * against the rules written out with plain branches (docs/methods/merge-methods.md §2–3): σ = +1 where
 * Σ_t x_t &gt; 0 (or Σ = 0 and the zero sign is +1), else −1; x_t is kept where x_t·σ &gt; 0; dis-sum adds
 * the kept x_t, dis-mean divides that by the sum of the kept weights (1 below 1e-8); the trim keeps x
 * where lo ≤ |x| &lt; hi. Compared bit for bit, on chunks with zeros of both signs, subnormals, ties with
 * the bounds, infinities and NaNs (the NaN chunks take the mask form).
 */
class VectorFormsTest {
    private static final int LEN = 1000;

    /** special: 0 finite values, 1 with infinities, 2 with infinities and NaNs. */
    private static float[][] chunk(Random r, int tasks, int special) {
        float[] pool = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0.5f, -0.5f, 2f, -2f, 1e-30f, -3e-39f};
        float[][] x = new float[tasks][LEN];
        for (int t = 0; t < tasks; t++) {
            for (int j = 0; j < LEN; j++) {
                x[t][j] = r.nextInt(3) == 0 ? pool[r.nextInt(pool.length)] : (float) r.nextGaussian();
            }
        }
        if (special > 0) {
            x[0][3] = Float.POSITIVE_INFINITY;
            x[1][7] = Float.NEGATIVE_INFINITY;
        }
        if (special > 1) {
            x[tasks - 1][11] = Float.NaN;
            x[tasks - 1][12] = Float.intBitsToFloat(0xffc00001); // a NaN with the sign bit set
        }
        return x;
    }

    private static float[] reference(float[][] x, MergeFunction fn, float[] w, float zeroSign) {
        float[] out = new float[LEN];
        for (int j = 0; j < LEN; j++) {
            float sum = 0f;
            for (float[] xt : x) {
                sum += xt[j];
            }
            float sigma = sum > 0f || (sum == 0f && zeroSign > 0f) ? 1f : -1f;
            float delta = 0f;
            float den = 0f;
            for (int t = 0; t < x.length; t++) {
                if (x[t][j] * sigma > 0f) {
                    delta += x[t][j];
                    den += w == null ? 1f : w[t];
                }
            }
            out[j] = fn == MergeFunction.DIS_SUM ? delta : delta / (Math.abs(den) < 1e-8f ? 1f : den);
        }
        return out;
    }

    private static float[][] copy(float[][] x) {
        float[][] c = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            c[t] = x[t].clone();
        }
        return c;
    }

    @Test
    void handWorkedDisMean() {
        // Σ = (3 − 1, −2 + 1) = (2, −1): σ = (+, −); kept: element 0 {3 (w 0.5)}, element 1 {−2 (w 0.5)}.
        float[][] x = {{3f, -2f}, {-1f, 1f}};
        float[] delta = new float[2];
        Combine.ties(MergeFunction.DIS_MEAN, new double[]{0.5, 1}, 1f).apply(x, 2, 2, new float[2], new float[2], delta);
        assertEquals(6f, delta[0]);
        assertEquals(-4f, delta[1]);
    }

    @Test
    void combineMatchesTheRuleBitForBit() {
        Random r = new Random(12);
        for (MergeFunction fn : new MergeFunction[]{MergeFunction.DIS_SUM, MergeFunction.DIS_MEAN}) {
            for (float zeroSign : new float[]{1f, 0f, -1f}) {
                for (int special = 0; special < 3; special++) {
                    float[] w = {0.3f, 1f, 1e-9f, 2f};
                    float[][] x = chunk(r, 4, special);
                    float[] expected = reference(x, fn, w, zeroSign);
                    float[] delta = new float[LEN];
                    Combine.ties(fn, new double[]{0.3f, 1f, 1e-9f, 2f}, zeroSign)
                            .apply(copy(x), 4, LEN, new float[LEN], new float[LEN], delta);
                    for (int j = 0; j < LEN; j++) {
                        if (j == 11 || j == 12) {
                            continue; // a NaN's sign decides the mask form there; the other elements must not notice
                        }
                        assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(delta[j]),
                                fn + " zeroSign " + zeroSign + " element " + j + ": " + expected[j] + " vs " + delta[j]);
                    }
                }
            }
        }
    }

    @Test
    void trimMatchesTheRuleWhereNotNaN() {
        Random r = new Random(5);
        float[][] x = chunk(r, 3, 2);
        float[][] lo = {{0.5f}, {0f}, {Float.MIN_VALUE}};
        float[][] hi = {{2f}, {Float.POSITIVE_INFINITY}, {Float.intBitsToFloat(0x7f800001)}};
        for (float[][] bounds : new float[][][]{hi, null}) {
            MagnitudeTrim trim = new MagnitudeTrim(lo, bounds, LEN);
            for (int t = 0; t < 3; t++) {
                float[] y = x[t].clone();
                assertEquals(true, trim.applyUnlessNaN(t, y, 0, LEN));
                for (int j = 0; j < LEN; j++) {
                    float v = x[t][j];
                    float a = Math.abs(v);
                    boolean upperNaN = bounds == null || Float.isNaN(bounds[t][0]);
                    boolean keep = a >= lo[t][0] && (upperNaN || a < bounds[t][0]);
                    if (Float.isNaN(y[j])) {
                        // only where the caller falls back: a NaN input, or an infinity meeting a bound
                        assertEquals(true, Float.isNaN(v) || Float.isInfinite(v), "task " + t + " element " + j);
                    } else {
                        // a trimmed entry may come out as −0 (the caller's sums cannot tell)
                        assertEquals(keep ? Float.floatToRawIntBits(v) : 0, keep ? Float.floatToRawIntBits(y[j])
                                : Float.floatToRawIntBits(y[j]) & 0x7fffffff, "task " + t + " element " + j);
                    }
                }
            }
        }
    }
}
