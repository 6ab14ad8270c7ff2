package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

/** Conversions between 8-bit RGB and doubles in [0, 1] (HWC order), the space the reference corruptions work in. */
final class UnitPixels {
    private UnitPixels() {
    }

    static double[] of(RgbImage im) {
        byte[] b = im.rgb();
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (b[i] & 0xff) / 255.0;
        }
        return out;
    }

    /** clip(x, 0, 1) * 255, truncated to an integer (as {@code np.uint8} does). */
    static RgbImage toImage(double[] x, int width, int height) {
        byte[] out = new byte[x.length];
        for (int i = 0; i < x.length; i++) {
            double v = Math.min(1.0, Math.max(0.0, x[i])) * 255.0;
            out[i] = (byte) (int) v;
        }
        return new RgbImage(width, height, out);
    }
}
