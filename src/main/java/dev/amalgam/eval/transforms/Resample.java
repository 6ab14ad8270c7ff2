package dev.amalgam.eval.transforms;

/**
 * Separable resampling that reproduces PIL's {@code Image.resize} on 8-bit images: when
 * downscaling the kernel is stretched by the scale factor (antialiasing); each output pixel's
 * weights are normalised to sum 1, then turned into 22-bit fixed point; the horizontal pass runs
 * first, and each pass rounds and clips to 0..255, as PIL does.
 */
public final class Resample {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private Resample() {
    }

    public static RgbImage resize(RgbImage in, int width, int height, ResampleFilter filter) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + width + "x" + height);
        }
        RgbImage im = in;
        if (width != in.width()) {
            im = horizontal(im, width, filter);
        }
        if (height != in.height()) {
            im = vertical(im, height, filter);
        }
        return im == in ? in.copy() : im;
    }

    /** Per output position: first input index and fixed-point weights of its window. */
    record Coefficients(int[] start, int[][] weights) {
    }

    static Coefficients coefficients(int inSize, int outSize, ResampleFilter filter) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support * filterScale;
        int[] start = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int lo = Math.max(0, (int) (center - support + 0.5));
            int hi = Math.min(inSize, (int) (center + support + 0.5));
            double[] w = new double[Math.max(0, hi - lo)];
            double sum = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = filter.weight((i + lo - center + 0.5) / filterScale);
                sum += w[i];
            }
            int[] fixed = new int[w.length];
            for (int i = 0; i < w.length; i++) {
                double v = sum != 0 ? w[i] / sum : w[i];
                fixed[i] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            start[o] = lo;
            weights[o] = fixed;
        }
        return new Coefficients(start, weights);
    }

    private static RgbImage horizontal(RgbImage in, int outW, ResampleFilter filter) {
        Coefficients k = coefficients(in.width(), outW, filter);
        int h = in.height();
        RgbImage out = RgbImage.blank(outW, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                int[] w = k.weights()[x];
                for (int c = 0; c < 3; c++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < w.length; i++) {
                        acc += in.get(k.start()[x] + i, y, c) * w[i];
                    }
                    out.set(x, y, c, clip8(acc));
                }
            }
        }
        return out;
    }

    private static RgbImage vertical(RgbImage in, int outH, ResampleFilter filter) {
        Coefficients k = coefficients(in.height(), outH, filter);
        int w0 = in.width();
        RgbImage out = RgbImage.blank(w0, outH);
        for (int y = 0; y < outH; y++) {
            int[] w = k.weights()[y];
            for (int x = 0; x < w0; x++) {
                for (int c = 0; c < 3; c++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < w.length; i++) {
                        acc += in.get(x, k.start()[y] + i, c) * w[i];
                    }
                    out.set(x, y, c, clip8(acc));
                }
            }
        }
        return out;
    }

    private static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
