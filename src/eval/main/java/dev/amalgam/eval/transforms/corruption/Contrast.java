package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/** Pulls every channel toward its own spatial mean: (x - mean) * c + mean, so the std shrinks by c. */
public final class Contrast implements Corruption {
    static final double[] FACTOR = {0.75, 0.5, 0.4, 0.3, 0.15};

    @Override
    public String name() {
        return "contrast";
    }

    public static double factor(int severity) {
        Corruption.checkSeverity(severity);
        return FACTOR[severity - 1];
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        double c = factor(severity);
        double[] x = UnitPixels.of(image);
        int n = image.width() * image.height();
        for (int ch = 0; ch < 3; ch++) {
            double mean = 0;
            for (int p = 0; p < n; p++) {
                mean += x[3 * p + ch];
            }
            mean /= n;
            for (int p = 0; p < n; p++) {
                x[3 * p + ch] = (x[3 * p + ch] - mean) * c + mean;
            }
        }
        return UnitPixels.toImage(x, image.width(), image.height());
    }
}
