package dev.amalgam.merge.stages;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * Exact magnitude ranks of task vectors, per task and per segment (a row of the tensor, or all of
 * it), read straight from the native arrays: out[j][t][s] = the ranks[j]-th largest |τ_t| in segment
 * s (1 ≤ rank ≤ segment). Non-negative floats order like their bit patterns, so long segments use a
 * two-pass radix select (a histogram of the high 16 bits, then of the low 16 bits inside the chosen
 * bin) and short ones a quickselect on the bit patterns; both give the value a descending top-k
 * would. Segments run in parallel.
 */
public final class RankSelect {
    /** Segments at least this long use the radix select; shorter ones a quickselect. */
    static final int RADIX_MIN = 1 << 16;
    /** {@link #RADIX_MIN} for callers outside the package: shorter segments are better served by a quickselect. */
    public static final int RADIX_MIN_PUBLIC = RADIX_MIN;
    private static final int BINS = 1 << 16;
    private static final int ABS_MASK = 0x7fffffff;
    private static final int INF_BITS = 0x7f800000;

    private RankSelect() {
    }

    /**
     * @param segment elements per segment; must divide n
     * @param ranks   1-based ranks, each in [1, segment]
     * @return out[j][t][s], or null when a task vector holds a NaN (callers fall back to top-k)
     */
    public static float[][][] magnitudes(StepViews v, int segment, long... ranks) {
        int n = v.n();
        if (segment <= 0 || n % segment != 0) {
            throw new IllegalArgumentException("segment " + segment + " does not divide " + n);
        }
        for (long r : ranks) {
            if (r < 1 || r > segment) {
                throw new IllegalArgumentException("rank " + r + " outside [1, " + segment + "]");
            }
        }
        int tasks = v.tasks();
        int segments = n / segment;
        float[][][] out = new float[ranks.length][tasks][segments];
        AtomicBoolean nan = new AtomicBoolean();
        if (segment >= RADIX_MIN) {
            IntStream.range(0, tasks * segments).parallel().forEach(job -> {
                int t = job / segments;
                int s = job % segments;
                float[] got = radix(v.rows()[t], s * segment, segment, ranks);
                if (got == null) {
                    nan.set(true);
                    return;
                }
                for (int j = 0; j < ranks.length; j++) {
                    out[j][t][s] = got[j];
                }
            });
        } else {
            int perJob = Math.max(1, (1 << 18) / segment);
            int jobsPerTask = (segments + perJob - 1) / perJob;
            IntStream.range(0, tasks * jobsPerTask).parallel().forEach(job -> {
                int t = job / jobsPerTask;
                int first = (job % jobsPerTask) * perJob;
                int end = Math.min(segments, first + perJob);
                float[] chunk = new float[segment];
                int[] bits = new int[segment];
                int[] candidates = new int[segment];
                long deepest = 0;
                for (long r : ranks) {
                    deepest = Math.max(deepest, r);
                }
                int guess = -1;
                for (int s = first; s < end; s++) {
                    v.rows()[t].get(s * segment, chunk, 0, segment);
                    int worst = 0;
                    for (int i = 0; i < segment; i++) {
                        bits[i] = Float.floatToRawIntBits(chunk[i]) & ABS_MASK;
                        worst = Math.max(worst, bits[i]);
                    }
                    if (worst > INF_BITS) {
                        nan.set(true);
                        return;
                    }
                    guess = selectInto(bits, candidates, guess, (int) deepest, ranks, out, t, s);
                }
            });
        }
        return nan.get() ? null : out;
    }

    /**
     * Quickselects every rank of one segment (ranks in any order) and returns the bit pattern of the
     * deepest rank's value, the guess for the next segment. Rows of one matrix have similar
     * magnitudes, so the entries at least {@link #GUESS_MARGIN} × the previous row's deepest value
     * usually hold every wanted rank while being a fraction of the row: they are gathered branch-free
     * and the selection runs on them alone. The gathered set holds every entry above its pivot, so
     * whenever it has at least {@code deepest} entries its ranks are the row's, exactly; otherwise the
     * whole row is selected.
     */
    private static int selectInto(int[] bits, int[] candidates, int guess, int deepest, long[] ranks,
                                  float[][][] out, int t, int s) {
        int len = bits.length;
        int[] pool = bits;
        int size = len;
        if (guess > 0) {
            int pivot = Float.floatToRawIntBits(Float.intBitsToFloat(guess) * GUESS_MARGIN);
            int k = 0;
            for (int i = 0; i < len; i++) {
                int a = bits[i];
                candidates[k] = a;
                k -= ~((a - pivot) >> 31);
            }
            if (k >= deepest && k <= len / 2) {
                pool = candidates;
                size = k;
            }
        }
        int deepestBits = -1;
        for (int j = 0; j < ranks.length; j++) {
            int value = selectAscending(pool, 0, size - 1, (int) (size - ranks[j]));
            out[j][t][s] = Float.intBitsToFloat(value);
            if (ranks[j] == deepest) {
                deepestBits = value;
            }
        }
        return deepestBits;
    }

    /** How far below the previous row's deepest selected magnitude the candidate pivot lies. */
    private static final float GUESS_MARGIN = 0.85f;

    /** The value at ascending index idx of a[lo..hi] (Hoare partitions; reorders a). */
    static int selectAscending(int[] a, int lo, int hi, int idx) {
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            int pivot = median(a[lo], a[mid], a[hi]);
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
                    int tmp = a[i];
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

    private static int median(int a, int b, int c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Radix select of every rank over elements [from, from + len) of row; null on NaN. */
    private static float[] radix(FloatBuffer row, int from, int len, long[] ranks) {
        long[][] r = radixWithCounts(row, from, len, ranks);
        if (r == null) {
            return null;
        }
        float[] out = new float[ranks.length];
        for (int j = 0; j < ranks.length; j++) {
            out[j] = Float.intBitsToFloat((int) r[j][0]);
        }
        return out;
    }

    /**
     * Per rank {bit pattern of the value, entries above it, entries equal to it} over a whole row, from the
     * histograms the selection builds anyway (so a caller can tell whether ties straddle a rank without
     * another pass); null on NaN or when the row is shorter than {@link #RADIX_MIN} (then callers count).
     */
    public static long[][] withCounts(FloatBuffer row, int len, long... ranks) {
        return len < RADIX_MIN ? null : radixWithCounts(row, 0, len, ranks);
    }

    /** One pass for the high 16 bits, one more for the low 16 bits of every bin a rank falls in. */
    private static long[][] radixWithCounts(FloatBuffer row, int from, int len, long[] ranks) {
        int[] high = new int[BINS];
        float[] chunk = new float[ChunkedPass.CHUNK];
        for (int off = 0; off < len; off += chunk.length) {
            int m = Math.min(chunk.length, len - off);
            row.get(from + off, chunk, 0, m);
            for (int i = 0; i < m; i++) {
                int b = Float.floatToRawIntBits(chunk[i]) & ABS_MASK;
                if (b > INF_BITS) {
                    return null;
                }
                high[b >>> 16]++;
            }
        }
        int[] bins = new int[ranks.length];
        long[] aboveBin = new long[ranks.length];
        for (int j = 0; j < ranks.length; j++) {
            long above = 0;
            int bin = BINS - 1;
            while (above + high[bin] < ranks[j]) {
                above += high[bin--];
            }
            bins[j] = bin;
            aboveBin[j] = above;
        }
        // One low-bits histogram per distinct bin, all filled in a single pass.
        int[] distinct = Arrays.stream(bins).distinct().toArray();
        int[][] low = new int[distinct.length][BINS];
        for (int off = 0; off < len; off += chunk.length) {
            int m = Math.min(chunk.length, len - off);
            row.get(from + off, chunk, 0, m);
            if (distinct.length == 1) {
                int bin = distinct[0];
                int[] l = low[0];
                for (int i = 0; i < m; i++) {
                    int b = Float.floatToRawIntBits(chunk[i]) & ABS_MASK;
                    if ((b >>> 16) == bin) {
                        l[b & 0xffff]++;
                    }
                }
                continue;
            }
            for (int i = 0; i < m; i++) {
                int b = Float.floatToRawIntBits(chunk[i]) & ABS_MASK;
                int hb = b >>> 16;
                for (int d = 0; d < distinct.length; d++) {
                    if (hb == distinct[d]) {
                        low[d][b & 0xffff]++;
                    }
                }
            }
        }
        long[][] out = new long[ranks.length][];
        for (int j = 0; j < ranks.length; j++) {
            int[] l = low[indexOf(distinct, bins[j])];
            long rankInBin = ranks[j] - aboveBin[j];
            long seen = 0;
            int lb = BINS - 1;
            while (seen + l[lb] < rankInBin) {
                seen += l[lb--];
            }
            out[j] = new long[]{(bins[j] << 16) | lb, aboveBin[j] + seen, l[lb]};
        }
        return out;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException();
    }
}
