package dev.amalgam.serving;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DjlServingExporter} should produce.
 *
 * @param kind          what to serve; null = from config.json {@code model_type}
 * @param task          the task of a modulated (EMR/TALL) output to materialise; for CLIP also the suite
 *                      task whose class names and templates make the zero-shot head
 * @param classes       CLIP class names (instead of a suite task)
 * @param templates     CLIP prompt templates with {@code {}} for the class name
 * @param suiteDir      a directory of suite YAML files (null = the built-in suites)
 * @param head          a fine-tuned checkpoint whose head.safetensors/head.json to use (BERT); null = MODEL_DIR's
 * @param amalgamJar    the Amalgam jar to ship under libs/ (null = the jar these classes came from)
 * @param zip           also write {@code OUT.zip}
 * @param maxNewTokens  greedy generation length (text generation)
 * @param batchSize     DJL Serving {@code batch_size}
 * @param maxBatchDelay DJL Serving {@code max_batch_delay} (ms)
 */
public record ExportRequest(ServingKind kind, String task, List<String> classes, List<String> templates,
                            Path suiteDir, Path head, Path amalgamJar, boolean zip, int maxNewTokens,
                            int batchSize, int maxBatchDelay) {

    public static ExportRequest defaults() {
        return new ExportRequest(null, null, List.of(), List.of(), null, null, null, false, 32, 1, 100);
    }

    public ExportRequest withTask(String t) {
        return new ExportRequest(kind, t, classes, templates, suiteDir, head, amalgamJar, zip, maxNewTokens,
                batchSize, maxBatchDelay);
    }

    public ExportRequest withClasses(List<String> c, List<String> t) {
        return new ExportRequest(kind, task, c, t, suiteDir, head, amalgamJar, zip, maxNewTokens, batchSize,
                maxBatchDelay);
    }

    public ExportRequest withJar(Path jar, boolean z) {
        return new ExportRequest(kind, task, classes, templates, suiteDir, head, jar, z, maxNewTokens, batchSize,
                maxBatchDelay);
    }

    public ExportRequest withMaxNewTokens(int n) {
        return new ExportRequest(kind, task, classes, templates, suiteDir, head, amalgamJar, zip, n, batchSize,
                maxBatchDelay);
    }
}
