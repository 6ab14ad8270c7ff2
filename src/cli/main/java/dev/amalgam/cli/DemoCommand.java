package dev.amalgam.cli;

import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.AmalgamException;
import dev.amalgam.demo.DemoMethods;
import dev.amalgam.demo.DemoRunner;
import dev.amalgam.demo.ImageDemoSuite;
import dev.amalgam.demo.TextDemoSuite;
import dev.amalgam.io.OutputLock;
import dev.amalgam.merge.job.MergeMethods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amalgam demo}: the offline merge-then-evaluate benchmark. Builds the zoo under models/zoo
 * on first use (real pretrained MiniLM from Maven Central, real packaged corpora, seeded fine-tunes),
 * then merges with every method (data-free, then data-aware), each with and without LwPTV, and evaluates ID and OOD.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Offline merge-then-evaluate benchmark (builds the model zoo on first use).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--zoo", defaultValue = "models/zoo", description = "Zoo cache directory (default ${DEFAULT-VALUE}).")
    Path zoo;

    @Option(names = "--out", description = "Report directory (default runs/demo, or runs/demo-ablation).")
    Path out;

    @Option(names = "--suite", split = ",", defaultValue = "text,image",
            description = "Which halves to run: text, image (default ${DEFAULT-VALUE}).")
    List<String> suites;

    @Option(names = "--ablation", description = "Instead of the main table: TA, TIES and EMR under each LwPTV score/rule/granularity.")
    boolean ablation;

    @Option(names = "--eval-cap", defaultValue = "200", description = "Examples per split evaluated (default ${DEFAULT-VALUE}).")
    int evalCap;

    @Option(names = "--methods", split = ",", description = "Method names, or 'all' (default: all but the slow ones: "
            + "WUDI, RegMean++, AdaMerging, which take tens of minutes on 2 cores; the demo names them when it leaves them out).")
    List<String> methods;

    @Option(names = "--lwptv", defaultValue = "", description = "LwPTV options KEY=VALUE,... (default: Amalgam's defaults).")
    String lwptv;

    @Override
    public Integer call() throws Exception {
        List<DemoMethods.Method> chosen = new ArrayList<>();
        boolean all = methods != null && methods.contains("all");
        java.util.Set<String> leftOut = new java.util.LinkedHashSet<>();
        for (DemoMethods.Method m : DemoMethods.all()) {
            if (methods == null && m.slow()) {
                leftOut.add(m.name());
                continue;
            }
            if (methods != null && !all && !methods.contains(m.name())) {
                continue;
            }
            if (!MergeMethods.all().containsKey(m.name())) {
                System.err.println("demo: skipping " + m.name() + " (not available in this build)");
                continue;
            }
            chosen.add(m);
        }
        if (!leftOut.isEmpty()) {
            System.err.println("demo: left out for time (add them with --methods NAME,... or --methods all): "
                    + String.join(", ", leftOut));
        }
        if (chosen.isEmpty()) {
            throw new AmalgamException("--methods selects no known method; known: " + DemoMethods.all().stream().map(DemoMethods.Method::name).toList());
        }
        for (String s : suites) {
            if (!s.equals("text") && !s.equals("image")) {
                throw new AmalgamException("--suite takes text and/or image, got '" + s + "'");
            }
        }
        Path home = Path.of(System.getProperty("amalgam.home", "."));
        Map<String, Map<String, Object>> variants = new LinkedHashMap<>();
        if (ablation) {
            chosen.removeIf(m -> !List.of("task_arithmetic", "ties", "emr").contains(m.name()));
            variants.put(" [topk_share, keep 0.75, block]", Map.of());
            variants.put(" [energy, keep 0.75, block]", Map.of("score", "energy"));
            variants.put(" [redundancy, keep 0.75, block]", Map.of("score", "redundancy"));
            variants.put(" [topk_share, keep 0.5, block]", Map.of("keep_ratio", 0.5));
            variants.put(" [topk_share, threshold 0.9, block]", Map.of("rule", "threshold", "threshold", 0.9));
            variants.put(" [topk_share, keep 0.75, tensor]", Map.of("granularity", "tensor"));
        } else {
            variants.put("", MergeCommand.parseKv(lwptv, "--lwptv"));
        }
        Path outDir = home.resolve(out != null ? out : Path.of(ablation ? "runs/demo-ablation" : "runs/demo"));
        Path zooDir = home.resolve(zoo);
        try (OutputLock lock = OutputLock.acquire(outDir)) {
            runSuites(chosen, variants, home, outDir, zooDir);
        }
        return 0;
    }

    private void runSuites(List<DemoMethods.Method> chosen, Map<String, Map<String, Object>> variants, Path home,
                           Path outDir, Path zooDir) throws Exception {
        if (suites.contains("text")) {
            try (EvaluationSuite s = TextDemoSuite.open(zooDir, home, evalCap)) {
                print(s, DemoRunner.report(s, new DemoRunner.Options(outDir.resolve("text"), chosen, variants)));
            }
        }
        if (suites.contains("image")) {
            try (EvaluationSuite s = new ImageDemoSuite(zooDir)) {
                print(s, DemoRunner.report(s, new DemoRunner.Options(outDir.resolve("image"), chosen, variants)));
            }
        }
    }

    /** The suite's results table and LwPTV effect on standard output, as the report's Markdown has them. */
    private static void print(EvaluationSuite suite, dev.amalgam.report.Report report) {
        System.out.println("## " + suite.title() + "\n");
        System.out.println(dev.amalgam.report.MarkdownTable.render(
                dev.amalgam.report.ReportTables.results(report.results(), "results"), true));
        for (tech.tablesaw.api.Table t : report.tables()) {
            if (t.name().equals(dev.amalgam.run.ComparisonTables.LWPTV_EFFECT)) {
                System.out.println("### LwPTV effect\n\n" + dev.amalgam.report.DifferenceTable.NOTE + "\n");
                System.out.println(dev.amalgam.report.MarkdownTable.render(t, true));
            }
        }
    }
}
