package dev.amalgam.cli;

import dev.amalgam.eval.run.SuiteTasks;
import dev.amalgam.eval.run.SyntheticTextSuite;
import dev.amalgam.eval.run.TextSuiteRun;
import dev.amalgam.report.Report;
import dev.amalgam.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amalgam bench eval}: where the time of a text-suite evaluation goes — loading and tokenising,
 * the encoder's forward passes (feature extraction), the heads, and report writing. Uses the demo zoo
 * ({@code ZOO/text}) when it has been built, else a random-weight MiniLM-shaped BERT on random sentences.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Time split of a text-suite evaluation: load/tokenise, forward, heads, report.")
final class BenchEvalCommand implements Callable<Integer> {

    @Option(names = "--zoo", defaultValue = "models/zoo", description = "Demo zoo (uses ZOO/text if built; default ${DEFAULT-VALUE}).")
    Path zoo;

    @Option(names = "--limit", defaultValue = "200", description = "Examples per split (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--synthetic-tasks", defaultValue = "2", description = "Tasks of the synthetic suite (default ${DEFAULT-VALUE}).")
    int syntheticTasks;

    @Option(names = "--max-length", defaultValue = "64", description = "Max tokens per text (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--out", defaultValue = "bench-results", description = "Result directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getErr();
        Path text = zoo.resolve("text");
        Path work = Files.createTempDirectory("amalgam-bench-eval");
        try {
            TextSuiteRun.Options options;
            String source;
            List<String> tasks = zooTasks(text);
            if (tasks != null) {
                Map<String, Path> heads = new LinkedHashMap<>();
                tasks.forEach(t -> heads.put(t, text.resolve(t)));
                options = new TextSuiteRun.Options(text.resolve(tasks.get(0)), text.resolve("data"), tasks,
                        List.of("test", "ood"), heads, maxLength, limit);
                source = "demo zoo " + text + " (" + tasks.size() + " tasks, fine-tuned MiniLM, task '" + tasks.get(0) + "' backbone)";
            } else {
                log.println("bench eval: no built zoo under " + text + " (run 'amalgam demo' to build it); "
                        + "using a random-weight MiniLM-shaped BERT on random sentences");
                log.flush();
                tasks = new ArrayList<>();
                for (int i = 0; i < syntheticTasks; i++) {
                    tasks.add("task" + i);
                }
                SyntheticTextSuite.writeModel(work.resolve("model"), 384, 6, 12, 1536, 1);
                SyntheticTextSuite.writeData(work.resolve("data"), tasks, limit, 2);
                options = new TextSuiteRun.Options(work.resolve("model"), work.resolve("data"), tasks,
                        List.of("test", "ood"), Map.of(), maxLength, limit);
                source = "synthetic MiniLM-shaped BERT (384 hidden, 6 layers, random weights), " + tasks.size()
                        + " tasks of random 6–25-word sentences";
            }
            long t0 = System.nanoTime();
            TextSuiteRun.Outcome o = TextSuiteRun.run(options);
            long r0 = System.nanoTime();
            ReportWriter.write(new Report("bench eval", o.table(), List.of(), null), work.resolve("report"));
            double report = (System.nanoTime() - r0) / 1e9;
            double total = (System.nanoTime() - t0) / 1e9;
            int examples = 0;
            for (String t : tasks) {
                examples += Math.min(limit, lines(options.dataDir().resolve(t).resolve("test.jsonl")))
                        + Math.min(limit, lines(options.dataDir().resolve(t).resolve("ood.jsonl")));
            }
            double[] secs = {o.timing().loadSeconds(), o.timing().forwardSeconds(), o.timing().headSeconds(), report};
            String[] names = {"load weights + tokenise", "forward (feature extraction)", "heads (logits + accuracy)",
                "report writing (CSV/MD/HTML)"};
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < secs.length; i++) {
                rows.add(List.of(names[i], BenchResults.f(secs[i], 3), BenchResults.f(100 * secs[i] / total, 1)));
            }
            rows.add(List.of("total", BenchResults.f(total, 3), "100.0"));
            List<String> notes = List.of(Instant.now().toString() + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores", source, examples + " examples (test + ood, at most " + limit + " per split), max length "
                    + maxLength + "; forward: " + BenchResults.f(examples / o.timing().forwardSeconds(), 1) + " examples/s");
            String md = BenchResults.write(out, "eval", "amalgam bench eval", notes, List.of("phase", "seconds", "share %"), rows);
            spec.commandLine().getOut().print(md);
            spec.commandLine().getOut().flush();
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    /** Tasks of a built zoo (data + a fine-tuned head per task), or null. */
    private static List<String> zooTasks(Path text) {
        if (!Files.isDirectory(text.resolve("data"))) {
            return null;
        }
        List<String> tasks = SuiteTasks.list(text.resolve("data"));
        for (String t : tasks) {
            if (!Files.isRegularFile(text.resolve(t).resolve("head.json"))) {
                return null;
            }
        }
        return tasks;
    }

    private static long lines(Path f) throws java.io.IOException {
        try (var s = Files.lines(f)) {
            return s.filter(l -> !l.isBlank()).count();
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
