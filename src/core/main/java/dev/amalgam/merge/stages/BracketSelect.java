package dev.amalgam.merge.stages;

import java.nio.FloatBuffer;

/**
 * MergeKit's exact-count magnitude band (keep the entries whose stable ascending rank by |x| lies in
 * [lo, hi)) over one long vector in a single read (docs/performance.md, "one-pass selection"):
 * <ol>
 *   <li>a strided sample of {@link #SAMPLE} magnitudes brackets each band edge between two sample
 *   quantiles, four standard deviations of the sample rank either side;</li>
 *   <li>one pass counts the entries below each bracket and collects the entries inside it as
 *   (bit pattern, tie rank) longs, so that the longs order exactly as the stable ranks do; it also
 *   takes Σ|x| in index order when asked (the L1 norm MergeKit's rescale needs);</li>
 *   <li>a quickselect among the collected entries gives the edge exactly, and the entries tied with an
 *   edge but ranked outside the band are named, so a threshold trim then keeps exactly hi − lo.</li>
 * </ol>
 * When an edge falls outside its bracket (improbable: a 4σ miss), the collection overflows (a large
 * block of equal magnitudes) or the vector holds a NaN, the result is null and callers use the
 * two-pass radix select ({@link RankSelect}), which gives the same edges.
 */
public final class BracketSelect {
    /** Vectors at least this long are worth a sample; shorter ones take the quickselect path. */
    public static final int MIN_LENGTH = RankSelect.RADIX_MIN;
    static final int SAMPLE = 16384;
    /**
     * Each thread's candidate arrays, reused across vectors: fresh ones per task and tensor would be
     * gigabytes of garbage over a model, which the JVM answers by growing its heap.
     */
    private static final ThreadLocal<long[][]> SCRATCH = ThreadLocal.withInitial(() -> new long[][]{new long[0], new long[0]});
    private static final int INF_BITS = 0x7f800000;

    private BracketSelect() {
    }

    /**
     * The selected band of one vector: magnitudes (bit patterns) of its lowest and highest kept entries
     * (lo = 0: 0; hi = n: {@code Integer.MAX_VALUE}), the indices of entries equal to an edge value that
     * rank outside the band (to be zeroed before a threshold trim), and Σ|x| in index order (NaN when
     * not asked).
     */
    public record Band(int loKey, int hiKey, int[] surplus, double l1) {
    }

    /**
     * @param lo          ascending stable rank of the lowest kept entry (0 ≤ lo &lt; hi ≤ n)
     * @param hi          one past the highest kept rank (n: no upper edge)
     * @param reverseTies equal magnitudes rank in reverse index order (MergeKit's top-k) instead of index order
     * @param l1          also take Σ|x| in index order
     * @return the band, or null (vector shorter than {@link #MIN_LENGTH}, a NaN, or a bracket missed)
     */
    public static Band band(FloatBuffer row, int n, long lo, long hi, boolean reverseTies, boolean l1) {
        if (n < MIN_LENGTH || lo < 0 || hi > n || lo >= hi) {
            return null;
        }
        int[] sample = sample(row, n);
        long[][] scratch = SCRATCH.get();
        Edge low = lo > 0 ? new Edge(lo, sample, n, scratch, 0) : null;
        Edge high = hi < n ? new Edge(hi - 1, sample, n, scratch, 1) : null;
        float[] chunk = new float[ChunkedPass.CHUNK];
        double sum = 0;
        for (int off = 0; off < n; off += chunk.length) {
            int m = Math.min(chunk.length, n - off);
            row.get(off, chunk, 0, m);
            if (l1) {
                for (int i = 0; i < m; i++) {
                    sum += Math.abs(chunk[i]);
                }
            }
            Edge first = low != null ? low : high;
            if (!first.collect(chunk, off, m, n, reverseTies) || (high != null && high != first
                    && !high.collect(chunk, off, m, n, reverseTies))) {
                return null;
            }
        }
        if ((low != null ? low : high).nan < 0 || (low != null && !low.select()) || (high != null && !high.select())) {
            return null;
        }
        long vLo = low == null ? Long.MIN_VALUE : low.value;
        long vHi = high == null ? Long.MAX_VALUE : high.value;
        int keyLo = low == null ? 0 : (int) (vLo >>> 32);
        int keyHi = high == null ? Integer.MAX_VALUE : (int) (vHi >>> 32);
        IntList surplus = new IntList();
        for (Edge e : new Edge[]{low, high}) {
            if (e == null) {
                continue;
            }
            int key = (int) (e.value >>> 32);
            if (key == 0) {
                continue; // zeros add nothing to any combine; rewriting −0 as +0 would change a sign
            }
            for (int j = 0; j < e.count; j++) {
                long c = e.candidates[j];
                if ((int) (c >>> 32) == key && (c < vLo || c > vHi)) {
                    int tie = (int) c;
                    surplus.add(reverseTies ? n - 1 - tie : tie);
                }
            }
        }
        return new Band(keyLo, keyHi, surplus.distinct(), l1 ? sum : Double.NaN);
    }

    /** Magnitude bit patterns at SAMPLE evenly strided positions. */
    private static int[] sample(FloatBuffer row, int n) {
        int[] s = new int[SAMPLE];
        for (int j = 0; j < SAMPLE; j++) {
            s[j] = Float.floatToRawIntBits(row.get((int) ((long) j * n / SAMPLE))) & 0x7fffffff;
        }
        return s;
    }

    /** One band edge: its bracket [lowKey, highKey], the entries inside it, and the selected value. */
    private static final class Edge {
        final long rank;
        final int lowKey;
        final int highKey;
        long below;
        long[] candidates;
        int count;
        long value;
        /** Negative once a NaN (bit pattern above +inf) was seen. */
        int nan;

        Edge(long rank, int[] sample, int n, long[][] scratch, int slot) {
            this.rank = rank;
            double q = (rank + 0.5) / n;
            int center = (int) (q * SAMPLE);
            int margin = (int) (4 * Math.sqrt(SAMPLE * q * (1 - q))) + 8;
            int low = center - margin < 0 ? 0 : RankSelect.selectAscending(sample, 0, SAMPLE - 1, center - margin);
            // Zeros are counted, never collected: an edge among them is 0, and zeros are never rewritten.
            lowKey = Math.max(1, low);
            highKey = center + margin >= SAMPLE ? Integer.MAX_VALUE
                    : RankSelect.selectAscending(sample, 0, SAMPLE - 1, center + margin);
            int inside = 0;
            for (int a : sample) {
                inside += a >= lowKey && a <= highKey ? 1 : 0;
            }
            // Twice the sample's share of the vector and a chunk of slack, at most a quarter of it.
            long expected = (long) n * inside / SAMPLE;
            int capacity = (int) Math.min(n / 4, 2 * expected + ChunkedPass.CHUNK);
            if (scratch[slot].length < capacity) {
                scratch[slot] = new long[capacity];
            }
            candidates = scratch[slot];
        }

        /**
         * Counts the entries of chunk below the bracket and appends those inside it as
         * (magnitude bits &lt;&lt; 32 | tie rank); false when the collection would overflow.
         */
        boolean collect(float[] chunk, int off, int m, int n, boolean reverseTies) {
            if (count + m > candidates.length) {
                return false;
            }
            long[] c = candidates;
            int k = count;
            long b = below;
            int lowK = lowKey;
            int highK = highKey;
            int nanBits = nan;
            // A few percent of the entries are inside: the branch is predictable, and cheaper than storing every entry.
            for (int i = 0; i < m; i++) {
                int a = Float.floatToRawIntBits(chunk[i]) & 0x7fffffff;
                nanBits |= INF_BITS - a;
                b += (a - lowK) >>> 31;
                if (((a - lowK) | (highK - a)) >= 0) {
                    c[k++] = ((long) a << 32) | (reverseTies ? n - 1 - (off + i) : off + i);
                }
            }
            count = k;
            below = b;
            nan = nanBits;
            return true;
        }

        /** Entries below the bracket that are zeros: all of them when the bracket starts just above zero. */
        private long zeros() {
            return lowKey == 1 ? below : 0;
        }

        /** The value at the edge's rank among the collected entries; false when the rank is not inside. */
        boolean select() {
            long at = rank - below;
            if (at < 0 && rank < zeros()) {
                value = 0; // the edge is a zero
                return true;
            }
            if (at < 0 || at >= count) {
                return false;
            }
            value = selectLong(candidates, count, (int) at);
            return true;
        }
    }

    /** The value at ascending index idx of a[0..len) (Hoare partitions, median-of-three pivots; reorders a). */
    public static long selectLong(long[] a, int len, int idx) {
        int lo = 0;
        int hi = len - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            long x = a[lo];
            long y = a[mid];
            long z = a[hi];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long tmp = a[i];
                    a[i] = a[j];
                    a[j] = tmp;
                    i++;
                    j--;
                }
            }
            if (idx <= j) {
                hi = j;
            } else if (idx >= i) {
                lo = i;
            } else {
                return a[idx];
            }
        }
        return a[idx];
    }

    /** A growable int list. */
    private static final class IntList {
        private int[] a = new int[16];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * size);
            }
            a[size++] = v;
        }

        int[] distinct() {
            return java.util.Arrays.stream(a, 0, size).distinct().toArray();
        }
    }
}
