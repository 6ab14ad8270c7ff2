package dev.amalgam.merge.mergekit;

import java.nio.FloatBuffer;

/**
 * The stable ascending order by |x| of one row (equal magnitudes in index order), as a least-significant-
 * digit radix sort of the magnitudes' bit patterns (non-negative floats order like their bits): four
 * byte passes, each skipped when every key shares that byte (task-vector rows span few exponents, so
 * the top byte usually does). Linear in the row length; reusable scratch for rows of one length.
 */
final class MagnitudeRanks {
    private final int len;
    private final int[] keys;
    private final int[] order;
    private final int[] spareKeys;
    private final int[] spareOrder;
    private final int[] counts = new int[256];

    MagnitudeRanks(int len) {
        this.len = len;
        keys = new int[len];
        order = new int[len];
        spareKeys = new int[len];
        spareOrder = new int[len];
    }

    /**
     * Positions (0..len−1) of the row x[base + j·stride] in ascending magnitude order; the returned array
     * is this object's scratch, valid until the next call.
     */
    int[] ascending(FloatBuffer x, int base, int stride) {
        int[] k = keys;
        int[] o = order;
        int[] k2 = spareKeys;
        int[] o2 = spareOrder;
        int and = -1;
        int or = 0;
        for (int j = 0; j < len; j++) {
            int bits = Float.floatToRawIntBits(x.get(base + j * stride)) & 0x7fffffff;
            k[j] = bits;
            o[j] = j;
            and &= bits;
            or |= bits;
        }
        int varying = and ^ or;
        for (int shift = 0; shift < 32; shift += 8) {
            if (((varying >>> shift) & 0xff) == 0) {
                continue;
            }
            java.util.Arrays.fill(counts, 0);
            for (int j = 0; j < len; j++) {
                counts[(k[j] >>> shift) & 0xff]++;
            }
            int sum = 0;
            for (int b = 0; b < 256; b++) {
                int c = counts[b];
                counts[b] = sum;
                sum += c;
            }
            for (int j = 0; j < len; j++) {
                int at = counts[(k[j] >>> shift) & 0xff]++;
                k2[at] = k[j];
                o2[at] = o[j];
            }
            int[] t = k;
            k = k2;
            k2 = t;
            t = o;
            o = o2;
            o2 = t;
        }
        if (o != order) {
            System.arraycopy(o, 0, order, 0, len);
        }
        return order;
    }
}
