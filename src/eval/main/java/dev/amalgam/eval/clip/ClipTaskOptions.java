package dev.amalgam.eval.clip;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.eval.transforms.corruption.Corruptions;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ClipTaskSuite} evaluates and how.
 *
 * @param pretrainedDir HF CLIPModel directory (config.json, safetensors, tokenizer.json); its frozen text
 *                      tower builds the zero-shot heads and it is the "pre-trained" row
 * @param taskModels    task → fine-tuned model dir (vision tower), for individual rows and merging; may be empty
 * @param dataRoot      {@code <root>/<task>/{manifest.yaml | test/<class dirs>}} (docs/datasets.md)
 * @param suite         ta8, tall14, tall20 or a suite of {@code catalogDir}; null when {@code tasks} is given
 * @param tasks         explicit task list (overrides the suite's); null for the suite's tasks
 * @param catalogDir    suite/task YAML directory (SuiteCatalog.fromDirectory); null for the built-in catalog
 * @param corruptions   corruption names evaluated as OOD columns (empty: none)
 * @param severity      corruption severity 1..5
 * @param limit         at most this many examples per split, stratified and seeded (0: all)
 * @param batchSize     images per forward pass
 * @param cacheDir      where zero-shot heads are cached
 * @param device        where the model runs
 * @param seed          subsampling and corruption seed
 */
public record ClipTaskOptions(Path pretrainedDir, Map<String, Path> taskModels, Path dataRoot, String suite,
                              List<String> tasks, Path catalogDir, List<String> corruptions, int severity, int limit,
                              int batchSize, Path cacheDir, Device device, long seed) {

    /** The FusionBench-style default severity (see docs/eval.md, "CLIP task suites"). */
    public static final int DEFAULT_SEVERITY = 3;
    /**
     * Images per forward pass. The model keeps every layer's activations of a batch until the batch is
     * done (about 50 MB per image for ViT-B/32, 4× that for ViT-B/16), so the default stays modest.
     */
    public static final int DEFAULT_BATCH = 32;

    public ClipTaskOptions {
        taskModels = Map.copyOf(new LinkedHashMap<>(taskModels));
        tasks = tasks == null ? null : List.copyOf(tasks);
        corruptions = List.copyOf(corruptions);
        if (suite == null && (tasks == null || tasks.isEmpty())) {
            throw new AmalgamException("CLIP task suite: give a suite (ta8, tall14, tall20) or a task list");
        }
        if (severity < 1 || severity > 5) {
            throw new AmalgamException("--severity must be 1..5, got " + severity);
        }
        if (limit < 0 || batchSize <= 0) {
            throw new AmalgamException("--limit must be >= 0 and --batch-size > 0");
        }
        corruptions.forEach(Corruptions::byName);
    }

    /** All 7 corruptions at {@link #DEFAULT_SEVERITY}, all examples, CPU, heads cached under ~/.cache/amalgam/heads. */
    public static ClipTaskOptions of(Path pretrainedDir, Path dataRoot, String suite) {
        return new ClipTaskOptions(pretrainedDir, Map.of(), dataRoot, suite, null, null, Corruptions.names(),
                DEFAULT_SEVERITY, 0, DEFAULT_BATCH, defaultCacheDir(), Device.cpu(), 0);
    }

    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "amalgam", "heads");
    }

    /** Parses {@code all}, {@code none} or a comma list of corruption names. */
    public static List<String> parseCorruptions(String spec) {
        if (spec == null || spec.isBlank() || spec.equals("all")) {
            return Corruptions.names();
        }
        if (spec.equals("none")) {
            return List.of();
        }
        List<String> out = List.of(spec.split(","));
        out.forEach(c -> Corruptions.byName(c.strip()));
        return out.stream().map(String::strip).toList();
    }

    public ClipTaskOptions withTaskModels(Map<String, Path> m) {
        return new ClipTaskOptions(pretrainedDir, m, dataRoot, suite, tasks, catalogDir, corruptions, severity, limit,
                batchSize, cacheDir, device, seed);
    }

    public ClipTaskOptions withTasks(List<String> t) {
        return new ClipTaskOptions(pretrainedDir, taskModels, dataRoot, suite, t, catalogDir, corruptions, severity,
                limit, batchSize, cacheDir, device, seed);
    }

    public ClipTaskOptions withCorruptions(List<String> c, int sev) {
        return new ClipTaskOptions(pretrainedDir, taskModels, dataRoot, suite, tasks, catalogDir, c, sev, limit,
                batchSize, cacheDir, device, seed);
    }

    public ClipTaskOptions withLimit(int n, int batch) {
        return new ClipTaskOptions(pretrainedDir, taskModels, dataRoot, suite, tasks, catalogDir, corruptions, severity,
                n, batch, cacheDir, device, seed);
    }

    public ClipTaskOptions withCache(Path dir) {
        return new ClipTaskOptions(pretrainedDir, taskModels, dataRoot, suite, tasks, catalogDir, corruptions, severity,
                limit, batchSize, dir, device, seed);
    }

    public ClipTaskOptions withCatalog(Path dir) {
        return new ClipTaskOptions(pretrainedDir, taskModels, dataRoot, suite, tasks, dir, corruptions, severity,
                limit, batchSize, cacheDir, device, seed);
    }

    public ClipTaskOptions withDevice(Device d) {
        return new ClipTaskOptions(pretrainedDir, taskModels, dataRoot, suite, tasks, catalogDir, corruptions, severity,
                limit, batchSize, cacheDir, d, seed);
    }
}
