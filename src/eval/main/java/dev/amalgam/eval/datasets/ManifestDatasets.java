package dev.amalgam.eval.datasets;

import dev.amalgam.train.TextExample;
import dev.amalgam.train.Example;

import dev.amalgam.AmalgamException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Opens the splits a {@link DatasetManifest} describes. */
public final class ManifestDatasets {
    private static final java.util.Set<String> IMAGE_FORMATS = java.util.Set.of("idx", "image_folder", "sklearn_digits");

    private ManifestDatasets() {
    }

    /** Loads {@code manifest} (a YAML file) and opens split {@code split}. */
    public static Dataset<? extends Example> open(Path manifest, String split) {
        return open(DatasetManifest.load(manifest), manifest.toAbsolutePath().getParent(), split);
    }

    /** Like {@link #open(Path, String)}, for image formats (idx, image_folder, sklearn_digits). */
    @SuppressWarnings("unchecked")
    public static Dataset<ImageExample> openImages(Path manifest, String split) {
        DatasetManifest m = DatasetManifest.load(manifest);
        if (!IMAGE_FORMATS.contains(m.format().toLowerCase(Locale.ROOT))) {
            throw new AmalgamException(manifest + ": format " + m.format() + " is not an image format");
        }
        return (Dataset<ImageExample>) open(m, manifest.toAbsolutePath().getParent(), split);
    }

    /** Like {@link #open(Path, String)}, for text formats (csv, tsv, jsonl). */
    @SuppressWarnings("unchecked")
    public static Dataset<TextExample> openTexts(Path manifest, String split) {
        DatasetManifest m = DatasetManifest.load(manifest);
        if (IMAGE_FORMATS.contains(m.format().toLowerCase(Locale.ROOT))) {
            throw new AmalgamException(manifest + ": format " + m.format() + " is not a text format");
        }
        return (Dataset<TextExample>) open(m, manifest.toAbsolutePath().getParent(), split);
    }

    public static Dataset<? extends Example> open(DatasetManifest m, Path baseDir, String split) {
        if (m.holdout() != null && m.holdoutNames().contains(split)
                && (m.splits() == null || !m.splits().containsKey(split))) {
            DatasetManifest.Holdout h = m.holdout();
            String from = h.from() != null ? h.from() : "all";
            Dataset<? extends Example> whole = open(m, baseDir, from);
            int which = m.holdoutNames().indexOf(split);
            return holdout(whole, h.fraction(), h.seed(), m.name() + "/" + split, which);
        }
        Path root = resolve(baseDir, m.path());
        String format = m.format().toLowerCase(Locale.ROOT);
        String name = m.name() + "/" + split;
        DatasetManifest.SplitSpec s = null;
        if (m.splits() != null) {
            s = m.splits().get(split);
            if (s == null) {
                throw new AmalgamException(m.name() + ": no split '" + split + "' (has " + m.splitNames() + ")");
            }
        } else if (!"all".equals(split)) {
            throw new AmalgamException(m.name() + ": no split '" + split + "' (has " + m.splitNames() + ")");
        }
        return switch (format) {
            case "idx" -> {
                if (s == null || s.images() == null || s.labels() == null) {
                    throw new AmalgamException(m.name() + ": idx split '" + split + "' needs images and labels");
                }
                yield IdxReader.read(root.resolve(s.images()), root.resolve(s.labels()), required(m.labels(), m), name,
                        m.labelOffset() == null ? 0 : m.labelOffset(), Boolean.TRUE.equals(m.transpose()));
            }
            case "image_folder" -> ImageFolderReader.read(s == null ? root
                    : root.resolve(s.dir() != null ? s.dir() : split), m.classDirs(), m.labels(), name);
            case "csv", "tsv", "jsonl" -> {
                Path file = s == null ? root : root.resolve(s.file() != null ? s.file() : split + "." + format);
                yield TextTableReader.read(file, TextTableReader.Format.valueOf(format.toUpperCase(Locale.ROOT)),
                        m.textColumn() != null ? m.textColumn() : "text",
                        m.labelColumn() != null ? m.labelColumn() : "label", m.labels(), name);
            }
            case "sklearn_digits" -> DigitsReader.read(s == null ? root : root.resolve(s.file()), name);
            default -> throw new AmalgamException(m.name() + ": unknown dataset format '" + m.format() + "'");
        };
    }

    private static <E extends Example> Dataset<E> holdout(Dataset<E> whole, double fraction, long seed, String name, int which) {
        List<Subset<E>> parts = Splits.stratifiedSplit(whole, fraction, seed, name, name);
        return parts.get(which);
    }

    private static List<String> required(List<String> labels, DatasetManifest m) {
        if (labels == null || labels.isEmpty()) {
            throw new AmalgamException(m.name() + ": format " + m.format() + " needs 'labels'");
        }
        return labels;
    }

    private static Path resolve(Path base, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }
}
