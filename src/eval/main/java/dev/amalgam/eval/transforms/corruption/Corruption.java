package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.image.RgbImage;

import java.util.Random;

/**
 * An image corruption of Hendrycks & Dietterich (2019, ImageNet-C / CIFAR-10-C) at severity 1..5,
 * with the severity constants FusionBench uses (its fusion_bench/dataset/image_corruption/
 * make_corruption.py, which are the CIFAR-10-C constants). Randomness comes only from {@code rng},
 * so a corruption is deterministic given its generator (see {@link Corruptions#rngFor}).
 * Like the reference (which ends in {@code np.uint8(...)}), float results are truncated to 8 bits.
 */
public interface Corruption {

    /** The FusionBench split name: gaussian_noise, impulse_noise, motion_blur, pixelate, contrast, jpeg_compression, spatter. */
    String name();

    RgbImage apply(RgbImage image, int severity, Random rng);

    static void checkSeverity(int severity) {
        if (severity < 1 || severity > 5) {
            throw new IllegalArgumentException("severity must be 1..5, got " + severity);
        }
    }
}
