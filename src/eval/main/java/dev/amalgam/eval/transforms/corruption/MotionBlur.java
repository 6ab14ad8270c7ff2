package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/**
 * Motion blur along a random direction, angle uniform in [-45, 45) degrees, with the reference's
 * (radius, sigma) constants. The reference calls ImageMagick's MotionBlurImage; this is a simplified
 * re-implementation of the same idea: a one-sided line kernel of 2 * radius + 1 taps, tap i at
 * distance i along the direction (rounded to the pixel grid) weighted by exp(-i^2 / (2 sigma^2)),
 * weights normalised, image edges replicated. Not bit-identical to ImageMagick.
 */
public final class MotionBlur implements Corruption {
    static final double[][] RADIUS_SIGMA = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};

    @Override
    public String name() {
        return "motion_blur";
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        Corruption.checkSeverity(severity);
        double radius = RADIUS_SIGMA[severity - 1][0];
        double sigma = RADIUS_SIGMA[severity - 1][1];
        double angle = StrictMath.toRadians(-45.0 + 90.0 * rng.nextDouble());
        return blur(image, radius, sigma, angle);
    }

    static RgbImage blur(RgbImage image, double radius, double sigma, double angle) {
        int taps = (int) (2 * Math.ceil(radius) + 1);
        double[] weight = new double[taps];
        int[] dx = new int[taps];
        int[] dy = new int[taps];
        double sum = 0;
        for (int i = 0; i < taps; i++) {
            weight[i] = StrictMath.exp(-(double) i * i / (2 * sigma * sigma));
            sum += weight[i];
            dx[i] = (int) Math.round(i * StrictMath.cos(angle));
            dy[i] = (int) Math.round(i * StrictMath.sin(angle));
        }
        int w = image.width();
        int h = image.height();
        double[] x = UnitPixels.of(image);
        double[] out = new double[x.length];
        for (int y = 0; y < h; y++) {
            for (int px = 0; px < w; px++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    for (int i = 0; i < taps; i++) {
                        int sx = Math.min(w - 1, Math.max(0, px + dx[i]));
                        int sy = Math.min(h - 1, Math.max(0, y + dy[i]));
                        acc += weight[i] * x[3 * (sy * w + sx) + c];
                    }
                    out[3 * (y * w + px) + c] = acc / sum;
                }
            }
        }
        return UnitPixels.toImage(out, w, h);
    }
}
