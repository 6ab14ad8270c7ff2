package dev.amalgam.io;

/** bfloat16 bit conversions: the top 16 bits of an F32, rounded to nearest even; NaN stays NaN. */
public final class BFloat16 {
    private BFloat16() {
    }

    public static float toFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7f800000) == 0x7f800000 && (bits & 0x7fffff) != 0) {
            return (short) ((bits >>> 16) | 0x0040); // quiet NaN; truncating could turn it into inf
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }
}
