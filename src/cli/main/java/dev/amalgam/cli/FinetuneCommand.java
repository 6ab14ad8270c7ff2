package dev.amalgam.cli;

import dev.amalgam.io.DType;
import dev.amalgam.io.OutputLock;
import dev.amalgam.train.ConsoleFineTuneListener;
import dev.amalgam.train.FineTuneConfig;
import dev.amalgam.train.FineTuneListener;
import dev.amalgam.train.FineTuneResult;
import dev.amalgam.train.TextFineTuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code amalgam finetune --model DIR --task DIR --out DIR}: full fine-tuning of backbone + linear head. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a pretrained model (backbone + new linear head) on a text task; save the best "
                + "weights (by validation accuracy) as a checkpoint directory.")
final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory (config.json, safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--task", required = true, paramLabel = "DIR",
            description = "Task directory with train.jsonl and val.jsonl ({\"text\",\"label\"} lines).")
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

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        dev.amalgam.io.ModulatedDirectory.refuse(model);
        FineTuneConfig cfg = new FineTuneConfig(lr, headLrMultiplier, weightDecay, warmupRatio, epochs, maxSteps,
                batchSize, seed, patience, evalEvery, maxGradNorm, 0.9, 0.999, 1e-8);
        FineTuneListener listener = quiet ? FineTuneListener.NONE : new ConsoleFineTuneListener(System.err);
        FineTuneResult r;
        try (OutputLock lock = OutputLock.acquire(out)) {
            r = TextFineTuning.run(model, task, out, cfg, maxLength, DType.parseUser(dtype), Map.of("pooling", pooling), listener);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s: best val accuracy %.4f at step %d of %d%s%n", out, r.bestValAccuracy(), r.bestStep(),
                r.steps(), r.stoppedEarly() ? " (early stop)" : "");
        w.flush();
        return 0;
    }
}
