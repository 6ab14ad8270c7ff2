package dev.amalgam.merge.ops;

import dev.amalgam.AmalgamException;

import java.nio.IntBuffer;

/**
 * Exact r-th largest |x| over a stream of floats with bounded memory, in two passes.
 *
 * <p>Non-negative IEEE floats order like their int bit patterns, so the r-th largest magnitude is
 * found by radix selection: pass 1 histograms the high 16 bits of |x|, {@link #endHighPass} picks the
 * bin holding the r-th largest; pass 2 histograms the low 16 bits inside that bin and
 * {@link #endLowPass} reads off the exact bit pattern. Two arrays of 65536 longs, whatever the size.
 */
public final class MagnitudeRadixSelect {
    private static final int BINS = 1 << 16;
    private static final int ABS_MASK = 0x7fffffff;
    private static final int INF_BITS = 0x7f800000;

    private final long[] high = new long[BINS];
    private long[] low;
    private long count;
    private long rank;
    private int highBin = -1;
    private long rankInBin;
    private float value = Float.NaN;

    /** Pass 1: adds values (sign ignored). Throws on NaN, naming the tensor. */
    public void addHigh(float[] xs, String tensor) {
        addHigh(xs, xs.length, tensor);
    }

    /** Pass 1 on xs[0..len). Throws on NaN, naming the tensor. */
    public void addHigh(float[] xs, int len, String tensor) {
        for (int i = 0; i < len; i++) {
            int bits = Float.floatToRawIntBits(xs[i]) & ABS_MASK;
            if (bits > INF_BITS) {
                throw new AmalgamException("tensor " + tensor + ": task vector contains NaN");
            }
            high[bits >>> 16]++;
        }
        count += len;
    }

    /** Pass 2 on xs[0..len). */
    public void addLow(float[] xs, int len) {
        for (int i = 0; i < len; i++) {
            int bits = Float.floatToRawIntBits(xs[i]) & ABS_MASK;
            if ((bits >>> 16) == highBin) {
                low[bits & 0xffff]++;
            }
        }
    }

    /** Pass 1 on raw F32 bit patterns (e.g. a view of an NDArray's memory), from position to limit. */
    public void addHigh(IntBuffer bits, String tensor) {
        int n = bits.remaining();
        int start = bits.position();
        for (int i = 0; i < n; i++) {
            int b = bits.get(start + i) & ABS_MASK;
            if (b > INF_BITS) {
                throw new AmalgamException("tensor " + tensor + ": task vector contains NaN");
            }
            high[b >>> 16]++;
        }
        count += n;
    }

    /** Pass 2 on raw F32 bit patterns, from position to limit. */
    public void addLow(IntBuffer bits) {
        int n = bits.remaining();
        int start = bits.position();
        for (int i = 0; i < n; i++) {
            int b = bits.get(start + i) & ABS_MASK;
            if ((b >>> 16) == highBin) {
                low[b & 0xffff]++;
            }
        }
    }

    /** Number of values seen in pass 1. */
    public long count() {
        return count;
    }

    /** Chooses the target: the r-th largest magnitude, 1 ≤ r ≤ count. */
    public void endHighPass(long r) {
        if (r < 1 || r > count) {
            throw new IllegalArgumentException("rank " + r + " outside [1, " + count + "]");
        }
        rank = r;
        long above = 0;
        for (int b = BINS - 1; b >= 0; b--) {
            if (above + high[b] >= r) {
                highBin = b;
                rankInBin = r - above;
                break;
            }
            above += high[b];
        }
        low = new long[BINS];
    }

    /** Pass 2: adds the same values again, in any order. */
    public void addLow(float[] xs) {
        addLow(xs, xs.length);
    }

    /** Finishes pass 2; returns the exact r-th largest |x|. */
    public float endLowPass() {
        long above = 0;
        for (int b = BINS - 1; b >= 0; b--) {
            if (above + low[b] >= rankInBin) {
                value = Float.intBitsToFloat((highBin << 16) | b);
                low = null;
                return value;
            }
            above += low[b];
        }
        throw new IllegalStateException("pass 2 saw fewer values than pass 1 (rank " + rank + ")");
    }

    /** The selected value (NaN before {@link #endLowPass}). */
    public float value() {
        return value;
    }
}
