package dev.amalgam.merge.ops;

import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Exact r-th largest |x| of every row of a row-major [rows, cols] F32 array, read as raw bit patterns
 * (e.g. straight from an NDArray's memory): the in-memory form of {@link MagnitudeRadixSelect}. Two
 * linear passes per row (a histogram of the high 16 bits of |x|, then of the low 16 bits inside the
 * chosen bin) instead of a top-k sort, so it pays off for long rows. Gives the same value as the
 * r-th entry of a descending top-k of |x|.
 */
final class RowMagnitudeSelect {
    private static final int BINS = 1 << 16;
    private static final int ABS_MASK = 0x7fffffff;
    private static final int INF_BITS = 0x7f800000;

    private RowMagnitudeSelect() {
    }

    /**
     * out[j][row] = the ranks[j]-th largest |x| of that row (1 ≤ ranks[j] ≤ cols), or null when the
     * array holds a NaN (callers then fall back to top-k, whose NaN ordering this does not model).
     */
    static float[][] select(IntBuffer bits, int rows, int cols, long... ranks) {
        float[][] out = new float[ranks.length][rows];
        int[] high = new int[BINS];
        int[] low = new int[BINS];
        int start = bits.position();
        for (int r = 0; r < rows; r++) {
            int off = start + r * cols;
            Arrays.fill(high, 0);
            for (int i = 0; i < cols; i++) {
                int b = bits.get(off + i) & ABS_MASK;
                if (b > INF_BITS) {
                    return null;
                }
                high[b >>> 16]++;
            }
            for (int j = 0; j < ranks.length; j++) {
                long above = 0;
                int bin = BINS - 1;
                while (above + high[bin] < ranks[j]) {
                    above += high[bin--];
                }
                long rankInBin = ranks[j] - above;
                Arrays.fill(low, 0);
                for (int i = 0; i < cols; i++) {
                    int b = bits.get(off + i) & ABS_MASK;
                    if ((b >>> 16) == bin) {
                        low[b & 0xffff]++;
                    }
                }
                long seen = 0;
                int lb = BINS - 1;
                while (seen + low[lb] < rankInBin) {
                    seen += low[lb--];
                }
                out[j][r] = Float.intBitsToFloat((bin << 16) | lb);
            }
        }
        return out;
    }
}
