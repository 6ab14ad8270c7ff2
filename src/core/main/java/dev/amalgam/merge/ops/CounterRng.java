package dev.amalgam.merge.ops;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A counter-based random generator: the i-th number of stream (seed, tensor name, task) is a pure
 * function of those four values (SplitMix64 finaliser over a keyed counter). Results therefore do not
 * depend on tensor order, threads or device, and the same seed gives byte-identical merges.
 */
public final class CounterRng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final long key;

    public CounterRng(long seed, String tensorName, int task) {
        long k = mix(seed ^ fnv1a64(tensorName));
        this.key = mix(k + (task + 1L) * GOLDEN);
    }

    /** Uniform double in [0, 1) with 53 random bits, for element {@code index}. */
    public double uniform(long index) {
        long z = mix(key + (index + 1L) * GOLDEN);
        return (z >>> 11) * 0x1.0p-53;
    }

    /** The 53 random bits behind {@link #uniform}: uniform(index) = bits53(index)·2⁻⁵³. */
    public long bits53(long index) {
        return mix(key + (index + 1L) * GOLDEN) >>> 11;
    }

    /** A keep-mask: element i is 1 with probability 1 − p (kept when uniform(i) ≥ p), else 0. */
    public float[] keepMask(int n, double p) {
        float[] m = new float[n];
        keepMask(FloatBuffer.wrap(m), p);
        return m;
    }

    /**
     * The same keep-mask written into dst from its position to its limit (element i at position + i),
     * e.g. straight into an NDArray's memory. uniform(i) = (z >>> 11)·2⁻⁵³ ≥ p is tested as the exact
     * integer comparison (z >>> 11) ≥ ⌈p·2⁵³⌉, which gives the same bits without the double.
     */
    public void keepMask(FloatBuffer dst, double p) {
        int n = dst.remaining();
        int start = dst.position();
        long threshold = (long) Math.ceil(p * 0x1.0p53);
        long z = key;
        for (int i = 0; i < n; i++) {
            z += GOLDEN;
            dst.put(start + i, (mix(z) >>> 11) >= threshold ? 1f : 0f);
        }
    }

    /**
     * Zeroes the dropped entries of x[0..len), which hold elements [start, start + len) of the stream's
     * tensor: x[j] is kept iff uniform(start + j) ≥ p (the same draws as {@link #keepMask}).
     */
    public void dropInPlace(float[] x, long start, int len, double p) {
        long threshold = (long) Math.ceil(p * 0x1.0p53);
        long z = key + start * GOLDEN;
        for (int j = 0; j < len; j++) {
            z += GOLDEN;
            // keep iff (mix(z) >>> 11) ≥ threshold; both are below 2^54, so the difference's sign is the test.
            int drop = (int) (((mix(z) >>> 11) - threshold) >> 63);
            x[j] = Float.intBitsToFloat(Float.floatToRawIntBits(x[j]) & ~drop);
        }
    }

    /**
     * {@link #keepBits} over x[0..len) (elements [start, start + len), start a multiple of 64), adding
     * Σ|x| to l1[0] and Σ|kept x| to l1[1] in index order as it goes: one loop, so the F64 sums' latency
     * overlaps the draws instead of following them.
     */
    public void keepBitsAndL1(long[] words, long start, float[] x, int len, double p, double[] l1) {
        long threshold = (long) Math.ceil(p * 0x1.0p53);
        long z = key + start * GOLDEN;
        double before = l1[0];
        double after = l1[1];
        for (int j = 0; j < len; j++) {
            z += GOLDEN;
            long keep = ((mix(z) >>> 11) - threshold) >>> 63 ^ 1;
            long i = start + j;
            words[(int) (i >>> 6)] |= keep << (i & 63);
            double a = Math.abs(x[j]);
            before += a;
            after += a * keep;
        }
        l1[0] = before;
        l1[1] = after;
    }

    /**
     * The keep-mask of elements [start, start + len) as bits: bit (i mod 64) of words[i / 64] is set iff
     * element i is kept (the same draws as {@link #dropInPlace}). start must be a multiple of 64, so that
     * callers filling disjoint ranges in parallel never share a word.
     */
    public void keepBits(long[] words, long start, int len, double p) {
        long threshold = (long) Math.ceil(p * 0x1.0p53);
        long z = key + start * GOLDEN;
        for (int j = 0; j < len; j++) {
            z += GOLDEN;
            long keep = ((mix(z) >>> 11) - threshold) >>> 63 ^ 1; // 1 iff (mix >>> 11) ≥ threshold
            long i = start + j;
            words[(int) (i >>> 6)] |= keep << (i & 63);
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long fnv1a64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
