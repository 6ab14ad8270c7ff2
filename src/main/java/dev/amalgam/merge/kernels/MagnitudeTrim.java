package dev.amalgam.merge.kernels;

/**
 * Which entries of each task vector survive a magnitude trim: entry i of task t, lying in segment
 * s = i / segment (a row of the tensor, or the whole tensor), is kept iff
 * lo[t][s] ≤ |τ_t[i]| and, when hi is given, |τ_t[i]| &lt; hi[t][s]. A NaN bound keeps nothing.
 * Thresholds come from exact rank selections (TIES top-k, Breadcrumbs bands), so the trim of a
 * kernel equals the mask the whole-array path builds.
 */
public final class MagnitudeTrim {
    private final float[][] lo;
    private final float[][] hi;
    private final int segment;

    /**
     * @param lo      lower bounds [T][segments] (inclusive)
     * @param hi      upper bounds [T][segments] (exclusive), or null for none
     * @param segment elements per segment (n for one bound per task)
     */
    public MagnitudeTrim(float[][] lo, float[][] hi, int segment) {
        if (segment <= 0) {
            throw new IllegalArgumentException("segment must be positive");
        }
        this.lo = lo;
        this.hi = hi;
        this.segment = segment;
    }

    /** One inclusive lower bound per task over the whole tensor (TIES global or per-tensor top-k). */
    public static MagnitudeTrim atLeast(float[] perTask, int n) {
        float[][] lo = new float[perTask.length][];
        for (int t = 0; t < lo.length; t++) {
            lo[t] = new float[]{perTask[t]};
        }
        return new MagnitudeTrim(lo, null, Math.max(1, n));
    }

    /** Sets x[j] = 0 for the trimmed entries of task t among elements [start, start + len). */
    void apply(int t, float[] x, int start, int len) {
        int j = 0;
        while (j < len) {
            int s = (start + j) / segment;
            int end = Math.min(len, (s + 1) * segment - start);
            int l = Float.floatToRawIntBits(lo[t][s]);
            if (hi == null) {
                for (; j < end; j++) {
                    int a = Float.floatToRawIntBits(x[j]) & Bits.ABS;
                    x[j] = Bits.keep(x[j], Bits.atLeast(a, l));
                }
            } else {
                int h = Float.floatToRawIntBits(hi[t][s]);
                for (; j < end; j++) {
                    int a = Float.floatToRawIntBits(x[j]) & Bits.ABS;
                    x[j] = Bits.keep(x[j], Bits.atLeast(a, l) & Bits.greater(h, a));
                }
            }
        }
    }
}
