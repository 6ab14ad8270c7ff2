package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/** Salt-and-pepper noise: each channel value independently, with probability c, becomes 0 or 1 (even odds). */
public final class ImpulseNoise implements Corruption {
    static final double[] AMOUNT = {0.01, 0.02, 0.03, 0.05, 0.07};

    @Override
    public String name() {
        return "impulse_noise";
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        Corruption.checkSeverity(severity);
        double c = AMOUNT[severity - 1];
        double[] x = UnitPixels.of(image);
        for (int i = 0; i < x.length; i++) {
            boolean flipped = rng.nextDouble() < c;
            boolean salt = rng.nextBoolean();
            if (flipped) {
                x[i] = salt ? 1.0 : 0.0;
            }
        }
        return UnitPixels.toImage(x, image.width(), image.height());
    }
}
