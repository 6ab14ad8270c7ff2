package dev.amalgam.eval.datasets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset manifest (YAML, see datasets/README.md): where a dataset lives on disk, its format,
 * label names and splits. Relative paths are resolved against the manifest's directory.
 *
 * @param format  idx | image_folder | csv | tsv | jsonl | sklearn_digits
 * @param task    optional task id in eval/suites/tasks (class names + prompt templates)
 * @param holdout optional seeded stratified split of one split into two (e.g. digits: all to train/test)
 * @param labelOffset idx only: added to stored labels (EMNIST letters: -1)
 * @param transpose   idx only: images are stored transposed (EMNIST)
 */
public record DatasetManifest(String name, String format, String path, String task, List<String> labels,
                              List<String> classDirs, String textColumn, String labelColumn,
                              Map<String, SplitSpec> splits, Holdout holdout, String description,
                              Integer labelOffset, Boolean transpose) {

    /** One split: IDX {@code images}+{@code labels}, a text {@code file}, or an image-folder {@code dir}. */
    public record SplitSpec(String images, String labels, String file, String dir) {
    }

    /** Splits {@code from} into {@code names[0]} (fraction of each class) and {@code names[1]} (the rest). */
    public record Holdout(String from, double fraction, long seed, List<String> names) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static DatasetManifest load(Path yaml) {
        DatasetManifest m;
        try {
            m = YAML.readValue(yaml.toFile(), DatasetManifest.class);
        } catch (IOException e) {
            throw new AmalgamException(yaml + ": bad dataset manifest (" + firstLine(e.getMessage()) + ")", e);
        }
        if (m == null || m.name() == null || m.format() == null || m.path() == null) {
            throw new AmalgamException(yaml + ": dataset manifest needs name, format and path");
        }
        return m;
    }

    /** Split names this manifest provides, holdout splits included. */
    public List<String> splitNames() {
        Map<String, Boolean> names = new LinkedHashMap<>();
        if (splits != null) {
            splits.keySet().forEach(k -> names.put(k, true));
        } else {
            names.put("all", true);
        }
        if (holdout != null) {
            holdoutNames().forEach(k -> names.put(k, true));
        }
        return List.copyOf(names.keySet());
    }

    List<String> holdoutNames() {
        return holdout.names() != null && holdout.names().size() == 2 ? holdout.names() : List.of("test", "train");
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
