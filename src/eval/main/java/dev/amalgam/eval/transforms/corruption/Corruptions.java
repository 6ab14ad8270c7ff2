package dev.amalgam.eval.transforms.corruption;

import dev.amalgam.eval.datasets.Splits;
import dev.amalgam.eval.image.RgbImage;

import java.util.List;
import java.util.Random;

/** The seven corruptions of FusionBench's robustness benchmark, by name, with per-image seeding. */
public final class Corruptions {
    public static final List<Corruption> ALL = List.of(new GaussianNoise(), new ImpulseNoise(), new MotionBlur(),
            new Pixelate(), new Contrast(), new JpegCompression(), new Spatter());

    private Corruptions() {
    }

    public static List<String> names() {
        return ALL.stream().map(Corruption::name).toList();
    }

    public static Corruption byName(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new dev.amalgam.AmalgamException("unknown corruption '" + name + "' (known: "
                        + String.join(", ", names()) + ")"));
    }

    /**
     * The generator for image {@code imageIndex} of a dataset: depends only on (seed, index,
     * corruption, severity), so results do not depend on evaluation order or batching.
     */
    public static Random rngFor(long seed, long imageIndex, String corruption, int severity) {
        long s = Splits.mix(seed, imageIndex);
        s = Splits.mix(s, corruption.hashCode() * 8L + severity);
        return new Random(s);
    }

    public static RgbImage apply(String corruption, RgbImage image, int severity, long seed, long imageIndex) {
        return byName(corruption).apply(image, severity, rngFor(seed, imageIndex, corruption, severity));
    }
}
