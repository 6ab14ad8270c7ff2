package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.io.OutputLock;
import dev.amalgam.serving.DjlServingExporter;
import dev.amalgam.serving.ExportRequest;
import dev.amalgam.serving.ServingKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code amalgam export MODEL_DIR --format djl-serving --out DIR}: a DJL Serving model directory (see docs/serving.md). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a model as a DJL Serving model directory (serving.properties + weights + libs/amalgam.jar).")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL_DIR",
            description = "HF model directory (fine-tuned BERT with head, GPT-2/Llama-family LM, CLIP) or an EMR/TALL output.")
    Path modelDir;

    @Option(names = "--format", defaultValue = "djl-serving", description = "Export format (only djl-serving).")
    String format;

    @Option(names = "--out", required = true, description = "Output model directory (must not exist).")
    Path out;

    @Option(names = "--task", description = "Task of an EMR/TALL output to materialise; for CLIP also the suite task "
            + "giving class names and templates.")
    String task;

    @Option(names = "--kind", description = "text-classification, text-generation or zero-shot-image-classification "
            + "(default: from config.json model_type).")
    String kind;

    @Option(names = "--classes", split = ",", description = "CLIP class names, comma-separated.")
    List<String> classes;

    @Option(names = "--templates", split = "\\|", description = "CLIP prompt templates with {} for the class, '|'-separated.")
    List<String> templates;

    @Option(names = "--suites", description = "Directory of task-suite YAML files (default: the built-in suites).")
    Path suites;

    @Option(names = "--head", description = "Fine-tuned checkpoint whose head.safetensors/head.json to serve (BERT).")
    Path head;

    @Option(names = "--amalgam-jar", description = "Amalgam jar to ship under libs/ (default: the running one).")
    Path amalgamJar;

    @Option(names = "--zip", description = "Also write OUT.zip.")
    boolean zip;

    @Option(names = "--max-new-tokens", defaultValue = "32", description = "Greedy generation length (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--batch-size", defaultValue = "1")
    int batchSize;

    @Option(names = "--max-batch-delay", defaultValue = "100", description = "Milliseconds (default ${DEFAULT-VALUE}).")
    int maxBatchDelay;

    @Override
    public Integer call() {
        if (!"djl-serving".equals(format)) {
            throw new AmalgamException("--format " + format + " is not supported (use djl-serving)");
        }
        if (maxNewTokens < 0 || batchSize < 1 || maxBatchDelay < 0) {
            throw new AmalgamException("--max-new-tokens ≥ 0, --batch-size ≥ 1 and --max-batch-delay ≥ 0 required");
        }
        ExportRequest req = new ExportRequest(kind == null ? null : ServingKind.parse(kind), task,
                classes == null ? List.of() : classes.stream().map(String::trim).filter(s -> !s.isEmpty()).toList(),
                templates == null ? List.of() : Arrays.asList(templates.toArray(new String[0])),
                suites, head, amalgamJar, zip, maxNewTokens, batchSize, maxBatchDelay);
        DjlServingExporter.Result r;
        try (OutputLock lock = OutputLock.acquire(out)) {
            r = DjlServingExporter.export(modelDir, out, req);
        }
        System.err.println("amalgam: exported " + r.kind().id() + " model to " + r.dir()
                + (r.zip() != null ? " and " + r.zip() : ""));
        System.err.println("serve with: cp " + r.dir().resolve("libs") + "/*.jar \"$MODEL_SERVER_HOME/deps/\" && djl-serving -m "
                + r.dir().getFileName() + "::PyTorch=file://" + r.dir() + "   (see docs/serving.md)");
        return 0;
    }
}
