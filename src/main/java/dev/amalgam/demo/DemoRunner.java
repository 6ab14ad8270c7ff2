package dev.amalgam.demo;

import ai.djl.Device;
import dev.amalgam.eval.heads.LinearHead;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.merge.Materializer;
import dev.amalgam.merge.MergeJob;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.TaskModulated;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.report.MarkdownTable;
import dev.amalgam.report.Report;
import dev.amalgam.report.ReportTables;
import dev.amalgam.report.ReportWriter;
import dev.amalgam.report.ResultTable;
import dev.amalgam.report.Saliency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo benchmark on the text suite: pre-trained (linear probes), individual fine-tunes, then every
 * data-free method with and without LwPTV, each evaluated ID and OOD on every task with that task's
 * own head; EMR/TALL are evaluated by per-task reconstruction. Writes CSV/Markdown/HTML to OUT.
 */
public final class DemoRunner {

    /**
     * @param lwptvVariants label suffix → LwPTV options; each method runs once without LwPTV and once per variant
     */
    public record Options(Path zoo, Path out, Path repoRoot, int evalCap, List<DemoMethods.Method> methods,
                          Map<String, Map<String, Object>> lwptvVariants) {
    }

    private DemoRunner() {
    }

    public static ResultTable run(Options o) throws IOException {
        long start = System.nanoTime();
        TextZoo zoo = new TextZoo(o.zoo());
        List<String> tasks = zoo.build(o.repoRoot());
        System.err.printf("demo: zoo ready (%.0f s); evaluating ...%n", (System.nanoTime() - start) / 1e9);
        Path merges = o.out().resolve("merges");
        TextZoo.deleteTree(merges);
        Files.createDirectories(merges);
        ResultTable table = new ResultTable(tasks, tasks);
        Saliency saliency = null;
        Map<String, LinearHead> heads = new LinkedHashMap<>();
        for (String t : tasks) {
            heads.put(t, dev.amalgam.train.FineTunedHead.read(zoo.model(t)).toLinearHead());
        }
        try (TextSuiteEvaluator ev = new TextSuiteEvaluator(zoo.pretrained(), zoo.data(), tasks, TextZoo.MAX_LENGTH, o.evalCap())) {
            long s = System.nanoTime();
            Map<String, Double> id = new LinkedHashMap<>();
            Map<String, Double> ood = new LinkedHashMap<>();
            for (String t : tasks) {
                LinearHead probe = LinearProbe.fit(ev.features(t, "train"), ev.labels(t, "train"),
                        heads.get(t).numClasses(), 300, 0.05, 1e-4);
                id.put(t, ev.accuracy(t, "test", probe));
                ood.put(t, ev.accuracy(t, "ood", probe));
            }
            table.add("Pre-trained (linear probe)", ResultTable.Kind.PRETRAINED, id, ood);
            log("pre-trained", s);

            s = System.nanoTime();
            id = new LinkedHashMap<>();
            ood = new LinkedHashMap<>();
            for (String t : tasks) {
                try (Checkpoint c = Checkpoints.open(zoo.model(t))) {
                    ev.setWeights(c);
                }
                id.put(t, ev.accuracy(t, "test", heads.get(t)));
                ood.put(t, ev.accuracy(t, "ood", heads.get(t)));
            }
            table.add("Individual fine-tuned", ResultTable.Kind.INDIVIDUAL, id, ood);
            log("individual", s);

            for (DemoMethods.Method m : o.methods()) {
                List<String> variants = new ArrayList<>();
                variants.add(null);
                variants.addAll(o.lwptvVariants().keySet());
                for (String variant : variants) {
                    boolean withLwptv = variant != null;
                    s = System.nanoTime();
                    String label = m.label() + (withLwptv ? " + LwPTV" + variant : "");
                    Path out = merges.resolve(m.name() + (withLwptv ? "-lwptv" : ""));
                    List<MergeRecipe.ModelEntry> models = new ArrayList<>();
                    for (String t : tasks) {
                        models.add(new MergeRecipe.ModelEntry(zoo.model(t), t, Map.of()));
                    }
                    MergeRecipe r = new MergeRecipe(label, m.name(), zoo.pretrained(), models, m.params(), null, "base",
                            null, 0L, withLwptv ? o.lwptvVariants().get(variant) : null);
                    MergeJob.Result res = MergeJob.run(r, new MergeJob.Options(out, null, 5L << 30, Device.cpu(), false,
                            StreamingExecutor.Progress.NONE));
                    id = new LinkedHashMap<>();
                    ood = new LinkedHashMap<>();
                    boolean modulated = (res.lwptv() != null ? res.lwptv() : res.method()) instanceof TaskModulated;
                    if (!modulated) {
                        try (Checkpoint c = Checkpoints.open(out)) {
                            ev.setWeights(c);
                        }
                    }
                    for (String t : tasks) {
                        if (modulated) {
                            Path taskModel = merges.resolve("task-model");
                            Materializer.materialize(out, t, taskModel, null, 5L << 30);
                            try (Checkpoint c = Checkpoints.open(taskModel)) {
                                ev.setWeights(c);
                            }
                            TextZoo.deleteTree(taskModel);
                        }
                        id.put(t, ev.accuracy(t, "test", heads.get(t)));
                        ood.put(t, ev.accuracy(t, "ood", heads.get(t)));
                    }
                    table.add(label, ResultTable.Kind.MERGED, id, ood);
                    if (withLwptv && saliency == null && res.lwptv() != null) {
                        saliency = new Saliency(res.lwptv().taskNames(), res.lwptv().layerNames(), res.lwptv().saliency());
                        Files.writeString(o.out().resolve("lwptv-saliency-" + m.name() + ".csv"),
                                dev.amalgam.merge.LwptvTables.csv(res.lwptv(), false));
                        Files.writeString(o.out().resolve("lwptv-masks-" + m.name() + ".csv"),
                                dev.amalgam.merge.LwptvTables.csv(res.lwptv(), true));
                    }
                    TextZoo.deleteTree(out);
                    log(label, s);
                }
            }
        }
        TextZoo.deleteTree(merges);
        Report report = new Report("Amalgam demo — text suite (all-MiniLM-L6-v2, 4 real tasks, ID vs OOD)", table,
                List.of(), saliency);
        ReportWriter.write(report, o.out());
        System.out.println(MarkdownTable.render(ReportTables.results(table, "results"), true));
        System.err.printf("demo: done in %.0f s; report: %s%n", (System.nanoTime() - start) / 1e9,
                o.out().resolve("report.html"));
        return table;
    }

    private static void log(String what, long start) {
        System.err.printf("demo: %-45s %6.1f s%n", what, (System.nanoTime() - start) / 1e9);
    }
}
