package dev.amalgam.eval.image;


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
        int inW = in.width();
        byte[] src = in.rgb();
        byte[] dst = new byte[3 * outW * h];
        for (int y = 0; y < h; y++) {
            int rowIn = 3 * y * inW;
            int rowOut = 3 * y * outW;
            for (int x = 0; x < outW; x++) {
                int[] w = k.weights()[x];
                int base = rowIn + 3 * k.start()[x];
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < w.length; i++) {
                    int o = base + 3 * i;
                    r += (src[o] & 0xff) * w[i];
                    g += (src[o + 1] & 0xff) * w[i];
                    b += (src[o + 2] & 0xff) * w[i];
                }
                int o = rowOut + 3 * x;
                dst[o] = (byte) clip8(r);
                dst[o + 1] = (byte) clip8(g);
                dst[o + 2] = (byte) clip8(b);
            }
        }
        return new RgbImage(outW, h, dst);
    }

    private static RgbImage vertical(RgbImage in, int outH, ResampleFilter filter) {
        Coefficients k = coefficients(in.height(), outH, filter);
        int rowLen = 3 * in.width();
        byte[] src = in.rgb();
        byte[] dst = new byte[rowLen * outH];
        int[] acc = new int[rowLen];
        for (int y = 0; y < outH; y++) {
            int[] w = k.weights()[y];
            java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            for (int i = 0; i < w.length; i++) {
                int base = (k.start()[y] + i) * rowLen;
                int wi = w[i];
                for (int j = 0; j < rowLen; j++) {
                    acc[j] += (src[base + j] & 0xff) * wi;
                }
            }
            int out = y * rowLen;
            for (int j = 0; j < rowLen; j++) {
                dst[out + j] = (byte) clip8(acc[j]);
            }
        }
        return new RgbImage(in.width(), outH, dst);
    }

    private static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
