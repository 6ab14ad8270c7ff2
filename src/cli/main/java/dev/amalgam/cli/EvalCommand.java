package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.clip.ClipTaskOptions;
import dev.amalgam.eval.clip.ClipTaskRun;
import dev.amalgam.eval.run.EvalOutput;
import dev.amalgam.eval.run.LmEvalRun;
import dev.amalgam.eval.run.SuiteTasks;
import dev.amalgam.eval.run.TextSuiteRun;
import dev.amalgam.report.MarkdownTable;
import dev.amalgam.report.Report;
import dev.amalgam.report.ReportTables;
import dev.amalgam.report.ReportWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amalgam eval MODEL_DIR}: a fine-tuned BERT classifier on the text suite ({@code --suite text}),
 * a CLIP vision tower on a CLIP task suite ({@code --suite ta8|tall14|tall20}, or {@code clip} with
 * {@code --tasks}; zero-shot heads from {@code --heads-from}), or a decoder LM's perplexity, multiple-choice accuracy or exact match. Prints a table and writes
 * CSV/Markdown (and report.html for the suite) to {@code --out}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model directory: text or CLIP task suite accuracy (ID test / OOD) or LM metrics.")
public final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_DIR")
    Path modelDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--suite", paramLabel = "NAME",
                description = "text (a BERT classifier on --data), or a CLIP task suite: ta8, tall14, tall20, "
                        + "clip (with --tasks) on --data-root.")
        String suite;

        @Option(names = "--lm-perplexity", paramLabel = "FILE", description = "Text file, or .jsonl of {\"text\"}.")
        Path perplexity;

        @Option(names = "--lm-choice", paramLabel = "FILE", description = "JSONL of {\"context\", \"choices\", \"label\"}.")
        Path choice;

        @Option(names = "--lm-exact", paramLabel = "FILE", description = "JSONL of {\"prompt\", \"answer\"}.")
        Path exact;
    }

    @Option(names = "--data", paramLabel = "DIR", description = "Suite data: DIR/<task>/{test,ood}.jsonl.")
    Path data;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "Tasks (text: default all in --data; CLIP: a subset of the suite, or any catalog tasks with --suite clip).")
    List<String> tasks;

    @Option(names = "--split", split = ",", defaultValue = "test,ood", paramLabel = "SPLIT",
            description = "Splits: test (ID), ood (default ${DEFAULT-VALUE}).")
    List<String> splits;

    @Option(names = "--head", paramLabel = "TASK=DIR",
            description = "Use DIR's head.safetensors for TASK (default: MODEL_DIR's head for every task).")
    Map<String, Path> heads = new LinkedHashMap<>();

    @Option(names = "--max-length", defaultValue = "128", description = "Max tokens per text (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--limit", defaultValue = "0", description = "At most N examples per split (0: all).")
    int limit;

    @Option(names = "--window", defaultValue = "0", description = "Perplexity window in tokens (0: model positions, ≤ 1024).")
    int window;

    @Option(names = "--stride", defaultValue = "0", description = "Perplexity stride (0: half the window).")
    int stride;

    @Option(names = "--max-new-tokens", defaultValue = "16", description = "Exact match: tokens to generate (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "CLIP suites: DIR/<task>/{test,ood}/<class dirs> or DIR/<task>/manifest.yaml (docs/datasets.md).")
    Path dataRoot;

    @Option(names = "--corruptions", defaultValue = "all", paramLabel = "all|none|LIST",
            description = "CLIP suites: corruptions scored as OOD columns (default ${DEFAULT-VALUE}).")
    String corruptions;

    @Option(names = "--severity", defaultValue = "" + ClipTaskOptions.DEFAULT_SEVERITY,
            description = "CLIP suites: corruption severity 1..5 (default ${DEFAULT-VALUE}).")
    int severity;

    @Option(names = "--heads-from", paramLabel = "PRETRAINED_DIR",
            description = "CLIP suites: pre-trained CLIP whose frozen text tower builds the heads (default: MODEL_DIR).")
    Path headsFrom;

    @Option(names = "--batch-size", defaultValue = "" + ClipTaskOptions.DEFAULT_BATCH,
            description = "CLIP suites: images per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", defaultValue = "${env:AMALGAM_DEVICE:-cpu}",
            description = "CLIP suites: cpu or gpu (default ${DEFAULT-VALUE}: AMALGAM_DEVICE, else cpu; docs/gpu.md).")
    String device;

    @Option(names = "--head-cache", paramLabel = "DIR",
            description = "CLIP suites: zero-shot head cache (default ~/.cache/amalgam/heads).")
    Path headCache;

    @Option(names = "--suites-dir", paramLabel = "DIR",
            description = "CLIP suites: suite/task YAML directory instead of the built-in catalog (eval/suites layout).")
    Path suitesDir;

    @Option(names = "--seed", defaultValue = "0", description = "CLIP suites: subsampling and corruption seed.")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write results (default: eval-<model dir name>).")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isDirectory(modelDir)) {
            throw new AmalgamException(modelDir + ": model directory not found");
        }
        dev.amalgam.io.ModulatedDirectory.refuse(modelDir);
        if (limit < 0 || window < 0 || stride < 0) {
            throw new AmalgamException("--limit, --window and --stride must be >= 0");
        }
        Path outDir = out != null ? out : Path.of("eval-" + modelDir.toAbsolutePath().normalize().getFileName());
        PrintWriter pw = spec.commandLine().getOut();
        if (mode.suite != null) {
            suite(outDir, pw);
        } else {
            LmEvalRun.Kind kind = mode.perplexity != null ? LmEvalRun.Kind.PERPLEXITY
                    : mode.choice != null ? LmEvalRun.Kind.CHOICE : LmEvalRun.Kind.EXACT;
            Path file = mode.perplexity != null ? mode.perplexity : mode.choice != null ? mode.choice : mode.exact;
            var table = LmEvalRun.run(new LmEvalRun.Options(modelDir, kind, file, window, stride, maxNewTokens));
            pw.print(MarkdownTable.render(table, false));
            List<Path> files = EvalOutput.write(table, modelDir.getFileName() + " on " + file.getFileName(), outDir);
            pw.println("wrote " + files);
        }
        pw.flush();
        return 0;
    }

    private void suite(Path outDir, PrintWriter pw) {
        if (!mode.suite.equals("text")) {
            clipSuite(outDir, pw);
            return;
        }
        if (data == null) {
            throw new AmalgamException("--suite text needs --data DIR");
        }
        List<String> t = tasks != null ? tasks : SuiteTasks.list(data);
        var outcome = TextSuiteRun.run(new TextSuiteRun.Options(modelDir, data, t, splits, heads, maxLength,
                limit == 0 ? Integer.MAX_VALUE : limit));
        Report report = new Report(modelDir.getFileName() + " — text suite (ID test / OOD)", outcome.table(), List.of(), null);
        pw.print(MarkdownTable.render(ReportTables.results(outcome.table(), "results"), true));
        pw.println("wrote " + ReportWriter.write(report, outDir));
    }

    private void clipSuite(Path outDir, PrintWriter pw) {
        if (dataRoot == null) {
            throw new AmalgamException("--suite " + mode.suite + " needs --data-root DIR (see docs/datasets.md)");
        }
        boolean explicit = mode.suite.equalsIgnoreCase("clip");
        if (explicit && (tasks == null || tasks.isEmpty())) {
            throw new AmalgamException("--suite clip needs --tasks a,b,...");
        }
        Path pretrained = headsFrom != null ? headsFrom : modelDir;
        ClipTaskOptions o = new ClipTaskOptions(pretrained, Map.of(), dataRoot, explicit ? null : mode.suite, tasks,
                suitesDir, ClipTaskOptions.parseCorruptions(corruptions), severity, limit, batchSize,
                headCache != null ? headCache : ClipTaskOptions.defaultCacheDir(), MergeCommand.device(device), seed);
        var outcome = ClipTaskRun.run(modelDir, o);
        var t = outcome.timing();
        System.err.printf("eval: heads %d built, %d from cache; load %.1f s, evaluation %.1f s%n", t.headsBuilt(),
                t.headsCached(), t.openSeconds(), t.evalSeconds());
        Report report = new Report(modelDir.getFileName() + " — CLIP " + mode.suite + " (ID test / OOD: corruptions at severity "
                + severity + ", natural shifts)", outcome.table(), List.of(), null);
        pw.print(MarkdownTable.render(ReportTables.results(outcome.table(), "results"), true));
        pw.println("wrote " + ReportWriter.write(report, outDir));
    }
}
