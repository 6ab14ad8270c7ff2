package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.Resample;
import dev.amalgam.eval.image.ResampleFilter;
import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/**
 * Box-downsamples to (int)(size * c) and box-upsamples back (PIL BOX both ways, bit-exact to PIL).
 * The reference is written for 32x32 inputs; here c scales the image's own width and height.
 */
public final class Pixelate implements Corruption {
    static final double[] SCALE = {0.95, 0.9, 0.85, 0.75, 0.65};

    @Override
    public String name() {
        return "pixelate";
    }

    public static double scale(int severity) {
        Corruption.checkSeverity(severity);
        return SCALE[severity - 1];
    }

    @Override
    public RgbImage apply(RgbImage image, int severity, Random rng) {
        double c = scale(severity);
        int w = Math.max(1, (int) (image.width() * c));
        int h = Math.max(1, (int) (image.height() * c));
        RgbImage small = Resample.resize(image, w, h, ResampleFilter.BOX);
        return Resample.resize(small, image.width(), image.height(), ResampleFilter.BOX);
    }
}
