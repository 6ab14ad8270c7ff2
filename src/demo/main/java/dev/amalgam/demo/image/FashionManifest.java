package dev.amalgam.demo.image;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.datasets.Dataset;
import dev.amalgam.eval.datasets.DatasetManifest;
import dev.amalgam.eval.datasets.IdxDataset;
import dev.amalgam.eval.datasets.ImageExample;
import dev.amalgam.eval.datasets.ManifestDatasets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the image suite's Fashion-MNIST comes from: the dataset manifest {@code datasets/fashion-mnist.yaml}
 * (format idx, splits train and test), found from the working directory or any directory above it
 * (the repository root, also when Maven runs a module's tests in its own directory), or given with
 * {@code -Damalgam.fashion.manifest=FILE}.
 */
public final class FashionManifest {
    public static final String PROPERTY = "amalgam.fashion.manifest";
    public static final Path RELATIVE = Path.of("datasets", "fashion-mnist.yaml");

    private FashionManifest() {
    }

    /** The manifest file; one clear line when it is nowhere to be found. */
    public static Path locate() {
        String given = System.getProperty(PROPERTY);
        if (given != null) {
            Path p = Path.of(given);
            if (!Files.isRegularFile(p)) {
                throw new AmalgamException(p + ": Fashion-MNIST dataset manifest not found (-D" + PROPERTY + ")");
            }
            return p;
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(RELATIVE);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AmalgamException(RELATIVE + ": Fashion-MNIST dataset manifest not found in " + cwd
                + " or any directory above it (run from the repository, or set -D" + PROPERTY + "=FILE)");
    }

    /** The directory the manifest's files are in (its {@code path}). */
    public static Path dataDir() {
        Path manifest = locate();
        Path p = Path.of(DatasetManifest.load(manifest).path());
        return p.isAbsolute() ? p : manifest.toAbsolutePath().getParent().resolve(p).normalize();
    }

    /** Split {@code split} ("train" or "test") as IDX images. */
    public static IdxDataset split(String split) {
        Path manifest = locate();
        Dataset<ImageExample> d = ManifestDatasets.openImages(manifest, split);
        if (!(d instanceof IdxDataset idx)) {
            throw new AmalgamException(manifest + ": format must be idx for the image suite's Fashion-MNIST");
        }
        return idx;
    }
}
