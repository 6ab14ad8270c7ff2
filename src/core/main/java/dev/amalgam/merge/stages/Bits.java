package dev.amalgam.merge.stages;

/**
 * Branch-free float tests as int masks (−1 = true, 0 = false), so the kernels' inner loops have no
 * data-dependent branches: on task vectors a trim or a sign test is a coin flip that mispredicts,
 * while mask arithmetic runs at memory speed and lets the JIT vectorise. Exact for all non-NaN
 * floats: non-negative floats order like their int bit patterns.
 */
final class Bits {
    static final int ABS = 0x7fffffff;
    static final int SIGN = 0x80000000;
    static final int ONE = Float.floatToRawIntBits(1f);
    static final int INF = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);

    private Bits() {
    }

    /** −1 where x &gt; 0 (+0 and −0 are not), else 0. */
    static int positive(float x) {
        int b = Float.floatToRawIntBits(x);
        return ((-b) & ~b) >> 31;
    }

    /** −1 where x is +0 or −0, else 0. */
    static int zero(float x) {
        return ((Float.floatToRawIntBits(x) & ABS) - 1) >> 31;
    }

    /** −1 where the non-negative floats with bit patterns a and b satisfy a ≥ b, else 0. */
    static int atLeast(int a, int b) {
        return ~((a - b) >> 31);
    }

    /** −1 where the non-negative floats with bit patterns a and b satisfy a &gt; b, else 0. */
    static int greater(int a, int b) {
        return (b - a) >> 31;
    }

    /** x where mask is −1, +0 where it is 0. */
    static float keep(float x, int mask) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & mask);
    }

    /** +1 where mask is −1, −1 where it is 0. */
    static float plusMinusOne(int mask) {
        return Float.intBitsToFloat(ONE | (~mask & SIGN));
    }

    private static final float TWO_POW_75 = 0x1p75f;

    /**
     * 1 where the non-negative, non-NaN float m is &gt; 0, 0 where it is +0, in float operations the JIT
     * vectorises: the smallest positive float 2^−149 times 2^75 twice is 2 ≥ 1, and scaling by a power of
     * two is exact, so no positive m stays below 1 and +0 stays +0.
     */
    static float indicator(float m) {
        return Math.min(Math.min(m * TWO_POW_75, 1f) * TWO_POW_75, 1f);
    }

    /** Whether any of a[0..len) is NaN. */
    static boolean anyNaN(float[] a, int len) {
        boolean nan = false;
        for (int j = 0; j < len; j++) {
            nan |= a[j] != a[j];
        }
        return nan;
    }
}
