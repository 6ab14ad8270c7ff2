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
}
