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

    /** Defaults of the CLI: kind from model_type, running jar, 32 new tokens, batch 1, 100 ms delay. */
    public static ExportRequest defaults() {
        return new ExportRequest(null, null, List.of(), List.of(), null, null, null, false, 32, 1, 100);
    }
}
