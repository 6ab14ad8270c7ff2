package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/**
 * Liquid spatter. A "liquid layer" is drawn per pixel from N(loc, scale), Gaussian-smoothed
 * (sigma), and zeroed below a threshold, as in the reference. Severities 1-3 are water, 4-5 mud.
 * <ul>
 *   <li>Mud (as the reference): mask = 1 where the layer exceeds the threshold, smoothed with
 *       sigma = intensity, values below 0.8 dropped; the image is blended to mud brown
 *       (63, 42, 20)/255 by the mask.</li>
 *   <li>Water (simplified): the reference shades the drops with an edge-distance map (Canny,
 *       distance transform, histogram equalisation, emboss kernel). Here the drop mask is the
 *       liquid layer itself divided by its maximum, times the intensity, and pale turquoise
 *       (175, 238, 238)/255 is added through it: same drops, same colour, no ripple shading.</li>
 * </ul>
 */
public final class Spatter implements Corruption {
    /** loc, scale, sigma, threshold, intensity, mode (0 water, 1 mud). */
    static final double[][] PARAMS = {
        {0.62, 0.1, 0.7, 0.7, 0.5, 0},
        {0.65, 0.1, 0.8, 0.7, 0.5, 0},
        {0.65, 0.3, 1, 0.69, 0.5, 0},
        {0.65, 0.1, 0.7, 0.69, 0.6, 1},
        {0.65, 0.1, 0.5, 0.68, 0.6, 1},
    };
    private static final double[] WATER = {175 / 255.0, 238 / 255.0, 238 / 255.0};
    private static final double[] MUD = {63 / 255.0, 42 / 255.0, 20 / 255.0};

    @Override
    public String name() {
        return "spatter";
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        Corruption.checkSeverity(severity);
        double[] p = PARAMS[severity - 1];
        int w = image.width();
        int h = image.height();
        int n = w * h;
        double[] liquid = new double[n];
        for (int i = 0; i < n; i++) {
            liquid[i] = p[0] + p[1] * rng.nextGaussian();
        }
        liquid = GaussianFilter.blur(liquid, w, h, p[2]);
        for (int i = 0; i < n; i++) {
            if (liquid[i] < p[3]) {
                liquid[i] = 0;
            }
        }
        double[] x = UnitPixels.of(image);
        if (p[5] == 0) {
            double max = 0;
            for (double v : liquid) {
                max = Math.max(max, v);
            }
            if (max > 0) {
                for (int i = 0; i < n; i++) {
                    double m = liquid[i] / max * p[4];
                    for (int c = 0; c < 3; c++) {
                        x[3 * i + c] += m * WATER[c];
                    }
                }
            }
        } else {
            double[] mask = new double[n];
            for (int i = 0; i < n; i++) {
                mask[i] = liquid[i] > p[3] ? 1 : 0;
            }
            mask = GaussianFilter.blur(mask, w, h, p[4]);
            for (int i = 0; i < n; i++) {
                double m = mask[i] < 0.8 ? 0 : mask[i];
                for (int c = 0; c < 3; c++) {
                    x[3 * i + c] = x[3 * i + c] * (1 - m) + MUD[c] * m;
                }
            }
        }
        return UnitPixels.toImage(x, w, h);
    }
}
