package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.clip.ClipFineTuning;
import dev.amalgam.io.DType;
import dev.amalgam.io.OutputLock;
import dev.amalgam.model.HfConfig;
import dev.amalgam.train.ConsoleFineTuneListener;
import dev.amalgam.train.FineTuneConfig;
import dev.amalgam.train.FineTuneListener;
import dev.amalgam.train.FineTuneResult;
import dev.amalgam.train.TextFineTuning;
import dev.amalgam.train.TrainableModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amalgam finetune --model DIR --task DIR --out DIR}, chosen by the model's config.json
 * {@code model_type}: a BERT-family model gets full fine-tuning of backbone + new linear head on a text
 * task; a CLIP model gets its vision tower fine-tuned against frozen zero-shot heads on an image task
 * ({@link ClipFineTuning}). Options that do not apply to the model's kind are refused, not ignored.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Fine-tune a pretrained model and save the best weights (by validation accuracy) as a "
                + "checkpoint directory. By config.json model_type: bert -> backbone + new linear head on a text "
                + "task; clip -> the vision tower against frozen zero-shot heads (built with the model's own text "
                + "tower from the task's class names and templates) on an image task."})
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory (config.json, safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--task", required = true, paramLabel = "DIR",
            description = "Task directory. bert: train.jsonl and val.jsonl ({\"text\",\"label\"} lines). clip: "
                    + "train/ (one folder per class) and optionally val/, or a manifest.yaml (docs/datasets.md).")
    Path task;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output checkpoint directory (new).")
    Path out;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-steps", defaultValue = "0", description = "Total updates; overrides --epochs when > 0.")
    int maxSteps;

    @Option(names = "--lr", defaultValue = "2e-5", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--head-lr-multiplier", defaultValue = "1", description = "Head lr = lr x this (default: ${DEFAULT-VALUE}).")
    double headLrMultiplier;

    @Option(names = "--weight-decay", defaultValue = "0.01",
            description = "AdamW decoupled weight decay, not on biases/norms (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--warmup-ratio", defaultValue = "0.1", description = "Linear warm-up share (default: ${DEFAULT-VALUE}).")
    double warmupRatio;

    @Option(names = "--batch-size", defaultValue = "16", description = "Examples per update (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of head init, dropout, shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patience", defaultValue = "3",
            description = "Stop after this many evaluations without a better val accuracy; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--eval-every", defaultValue = "0", description = "Evaluate every N updates; 0 = each epoch.")
    int evalEvery;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "Global gradient-norm clip; 0 = off (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--max-length", defaultValue = "128", description = "Max tokens per text (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = {"--out-dtype", "--dtype"}, defaultValue = "f32",
            description = "Saved tensor type: f32, bf16, f16 (default: ${DEFAULT-VALUE}; --dtype is the same option).")
    String dtype;

    @Option(names = "--pooling", defaultValue = "auto",
            description = "BERT sentence vector: auto (pooler if present, else mean), cls, mean (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--task-name", paramLabel = "NAME",
            description = "clip only: the catalog task whose class names and prompt templates build the zero-shot "
                    + "head (default: the --task directory's name).")
    String taskName;

    @Option(names = "--suites-dir", paramLabel = "DIR",
            description = "clip only: suite/task YAML directory to find --task-name in (default: the built-in catalog).")
    Path suitesDir;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    /** Options of the BERT path only, and of the CLIP path only. */
    private static final List<String> BERT_ONLY = List.of("--head-lr-multiplier", "--max-length", "--pooling");
    private static final List<String> CLIP_ONLY = List.of("--task-name", "--suites-dir");

    @Override
    public Integer call() {
        dev.amalgam.io.ModulatedDirectory.refuse(model);
        Path configFile = model.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new AmalgamException(configFile + ": not found (--model must be a Hugging Face model directory)");
        }
        String type = HfConfig.read(configFile).text("model_type", "");
        boolean clip = type.equals("clip");
        if (!clip && !TrainableModels.modelTypes().contains(type)) {
            List<String> known = new ArrayList<>(TrainableModels.modelTypes());
            known.add("clip");
            throw new AmalgamException(configFile + ": model_type '" + type + "' cannot be fine-tuned (supported: "
                    + String.join(", ", known) + ")");
        }
        refuse(clip ? BERT_ONLY : CLIP_ONLY, clip ? "a CLIP model" : "a " + type + " model");
        FineTuneConfig cfg = new FineTuneConfig(lr, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps,
                batchSize, seed, patience, evalEvery, maxGradNorm, 0.9, 0.999, 1e-8);
        FineTuneListener listener = quiet ? FineTuneListener.NONE : new ConsoleFineTuneListener(System.err);
        FineTuneResult r;
        try (OutputLock lock = OutputLock.acquire(out)) {
            r = clip
                    ? ClipFineTuning.run(model, task, taskName != null ? taskName : task.toAbsolutePath().normalize()
                            .getFileName().toString(), suitesDir, out, cfg, DType.parseUser(dtype), listener)
                    : TextFineTuning.run(model, task, out, cfg, maxLength, DType.parseUser(dtype),
                            Map.of("pooling", pooling), listener);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (Double.isNaN(r.bestValAccuracy())) {
            w.printf(Locale.ROOT, "%s: %d updates (no validation split: the last weights are saved)%n", out, r.steps());
        } else {
            w.printf(Locale.ROOT, "%s: best val accuracy %.4f at step %d of %d%s%n", out, r.bestValAccuracy(),
                    r.bestStep(), r.steps(), r.stoppedEarly() ? " (early stop)" : "");
        }
        w.flush();
        return 0;
    }

    private void refuse(List<String> options, String kind) {
        for (String o : options) {
            if (spec.commandLine().getParseResult().hasMatchedOption(o)) {
                throw new AmalgamException("finetune: " + o + " does not apply to " + kind + " (" + model.resolve(
                        "config.json") + ")");
            }
        }
    }
}
