package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/** Adds i.i.d. N(0, c^2) noise to every channel value in [0, 1]. */
public final class GaussianNoise implements Corruption {
    static final double[] SIGMA = {0.04, 0.06, 0.08, 0.09, 0.10};

    @Override
    public String name() {
        return "gaussian_noise";
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        Corruption.checkSeverity(severity);
        double c = SIGMA[severity - 1];
        double[] x = UnitPixels.of(image);
        for (int i = 0; i < x.length; i++) {
            x[i] += c * rng.nextGaussian();
        }
        return UnitPixels.toImage(x, image.width(), image.height());
    }
}
