package dev.amalgam.io;

/**
 * IEEE 754 binary16 (half precision) bit conversions; Java 17 has no {@code Float.float16ToFloat}.
 * Encoding rounds to nearest, ties to even, produces subnormals, overflows to infinity and keeps NaN
 * a (quiet) NaN with its sign and top payload bits.
 */
public final class Float16 {
    private static final float[] DECODE = new float[1 << 16];

    static {
        for (int h = 0; h < DECODE.length; h++) {
            DECODE[h] = decodeSlow((short) h);
        }
    }

    private Float16() {
    }

    public static float toFloat(short half) {
        return DECODE[half & 0xffff];
    }

    static float decodeSlow(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f; // subnormal (or zero): exact in float
            return sign != 0 ? -magnitude : magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            if (mant == 0) {
                return (short) (sign | 0x7c00);
            }
            return (short) (sign | 0x7e00 | (mant >>> 13)); // quiet NaN, top payload bits kept
        }
        int e = exp - 112; // rebias 127 -> 15
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            int shift = 14 - e; // half subnormal: value = m * 2^-24
            if (shift > 24) {
                return (short) sign; // below half the smallest subnormal (ties at 2^-25 go to even = 0)
            }
            int full = mant | 0x800000;
            int m = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (m & 1) != 0)) {
                m++; // may carry into the smallest normal, which is the right encoding
            }
            return (short) (sign | m);
        }
        int h = sign | (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
            h++; // carry may reach the exponent, up to infinity: correct
        }
        return (short) h;
    }
}
