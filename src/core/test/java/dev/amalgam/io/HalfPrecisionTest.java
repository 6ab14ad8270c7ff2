package dev.amalgam.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** F16/BF16 codecs against hand-worked bit patterns and a plain-double definition of binary16. */
class HalfPrecisionTest {

    private static int f16(double v) {
        return Float16.fromFloat((float) v) & 0xffff;
    }

    private static int bf16(float v) {
        return BFloat16.fromFloat(v) & 0xffff;
    }

    @Test
    void float16EncodesHandWorkedValues() {
        assertEquals(0x3C00, f16(1.0));
        assertEquals(0xC000, f16(-2.0));
        assertEquals(0x0000, f16(0.0));
        assertEquals(0x8000, f16(-0.0));
        assertEquals(0x7BFF, f16(65504.0));                 // largest finite
        assertEquals(0x7BFF, f16(65519.0));                 // below the midpoint to 65536
        assertEquals(0x7C00, f16(65520.0));                 // midpoint, ties to even = infinity
        assertEquals(0x7C00, f16(1e6));                     // overflow
        assertEquals(0xFC00, f16(Double.NEGATIVE_INFINITY));
        assertEquals(0x0400, f16(Math.pow(2, -14)));         // smallest normal
        assertEquals(0x0001, f16(Math.pow(2, -24)));         // smallest subnormal
        assertEquals(0x0000, f16(Math.pow(2, -25)));         // tie between 0 and 1 ulp -> even 0
        assertEquals(0x0001, f16(3 * Math.pow(2, -26)));     // above the tie
        assertEquals(0x0002, f16(1.5 * Math.pow(2, -24)));   // tie between 1 and 2 -> even 2
        assertEquals(0x03FF, f16(1023 * Math.pow(2, -24)));  // largest subnormal
        assertEquals(0x0400, f16(1023.5 * Math.pow(2, -24))); // tie rounds up into the smallest normal
        assertEquals(0x3C00, f16(1 + Math.pow(2, -11)));     // tie -> even mantissa 0
        assertEquals(0x3C02, f16(1 + 3 * Math.pow(2, -11))); // tie -> even mantissa 2
        assertEquals(0x3C01, f16(1 + 1.5 * Math.pow(2, -11)) ); // above the tie
        assertEquals(0x2E66, f16(0.1));
        assertEquals(0x3555, f16(1.0 / 3.0));
        int nan = f16(Double.NaN);
        assertTrue((nan & 0x7C00) == 0x7C00 && (nan & 0x3FF) != 0, "NaN stays NaN");
        int sNan = Float16.fromFloat(Float.intBitsToFloat(0x7F800001)) & 0xffff;
        assertTrue((sNan & 0x7C00) == 0x7C00 && (sNan & 0x3FF) != 0, "payload-less NaN must not become inf");
    }

    @Test
    void float16DecodesLikeTheBinary16Definition() {
        for (int h = 0; h < 0x10000; h++) {
            int s = h >>> 15;
            int e = (h >>> 10) & 0x1f;
            int m = h & 0x3ff;
            double expected;
            if (e == 0x1f) {
                expected = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            } else if (e == 0) {
                expected = m * Math.pow(2, -24);
            } else {
                expected = (1 + m / 1024.0) * Math.pow(2, e - 15);
            }
            expected = s == 1 ? -expected : expected;
            float got = Float16.toFloat((short) h);
            if (Double.isNaN(expected)) {
                assertTrue(Float.isNaN(got), Integer.toHexString(h));
            } else {
                assertEquals(expected, got, 0.0, Integer.toHexString(h));
                assertEquals(s == 1, (Float.floatToRawIntBits(got) >>> 31) == 1, "sign of " + Integer.toHexString(h));
                assertEquals(h, Float16.fromFloat(got) & 0xffff, "round trip " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void bfloat16EncodesHandWorkedValues() {
        assertEquals(0x3F80, bf16(1.0f));
        assertEquals(0xC000, bf16(-2.0f));
        assertEquals(0x3F80, bf16(Float.intBitsToFloat(0x3F808000)));  // tie -> even
        assertEquals(0x3F82, bf16(Float.intBitsToFloat(0x3F818000)));  // tie -> even (up)
        assertEquals(0x3F81, bf16(Float.intBitsToFloat(0x3F808001)));  // above the tie
        assertEquals(0x3F80, bf16(Float.intBitsToFloat(0x3F807FFF)));  // below the tie
        assertEquals(0x7F80, bf16(3.4e38f));                            // rounds past the largest finite
        assertEquals(0x7F7F, bf16(Float.intBitsToFloat(0x7F7F7FFF)));
        assertEquals(0xFF80, bf16(Float.NEGATIVE_INFINITY));
        assertEquals(0x8000, bf16(-0.0f));
        assertEquals(0x0001, bf16(Float.intBitsToFloat(0x00010000)));  // subnormals pass through
        assertEquals(0x7FC0, bf16(Float.NaN));
        int sNan = bf16(Float.intBitsToFloat(0x7F800001));            // truncation would give inf
        assertTrue((sNan & 0x7F80) == 0x7F80 && (sNan & 0x7F) != 0);
        int negNan = bf16(Float.intBitsToFloat(0xFFC00000));
        assertEquals(0xFFC0, negNan);
        assertEquals(1.0f, BFloat16.toFloat((short) 0x3F80));
        assertEquals(-2.0f, BFloat16.toFloat((short) 0xC000));
        assertEquals(Float.intBitsToFloat(0x3F810000), BFloat16.toFloat((short) 0x3F81));
    }
}
