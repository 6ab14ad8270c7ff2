package dev.amalgam.demo;

import dev.amalgam.eval.run.EvaluationSuite;
import ai.djl.Device;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.merge.LwptvTables;
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
 * The merge-then-evaluate loop of the demo over one {@link EvaluationSuite}: pre-trained, individual
 * fine-tunes, then every method without LwPTV and with each LwPTV variant, each evaluated ID and OOD
 * on every task (EMR/TALL by per-task reconstruction). Writes results.csv/.md and report.html to OUT.
 */
public final class DemoRunner {

    /**
     * @param lwptvVariants label suffix → LwPTV options; each method runs once without LwPTV and once per variant
     */
    public record Options(Path out, List<DemoMethods.Method> methods, Map<String, Map<String, Object>> lwptvVariants) {
    }

    private DemoRunner() {
    }

    public static ResultTable run(EvaluationSuite suite, Options o) throws IOException {
        long start = System.nanoTime();
        List<String> tasks = suite.tasks();
        Path merges = o.out().resolve("merges");
        TextZoo.deleteTree(merges);
        Files.createDirectories(merges);
        ResultTable table = new ResultTable(tasks, suite.oodColumns());
        Saliency saliency = null;

        EvaluationSuite.Scores pre = suite.pretrainedScores();
        table.add(suite.pretrainedLabel(), ResultTable.Kind.PRETRAINED, pre.id(), pre.ood());
        log(suite, "pre-trained", start);

        long s = System.nanoTime();
        Map<String, Double> id = new LinkedHashMap<>();
        Map<String, Double> ood = new LinkedHashMap<>();
        for (String t : tasks) {
            try (Checkpoint c = Checkpoints.open(suite.taskModelDir(t))) {
                suite.setWeights(c);
            }
            EvaluationSuite.Scores sc = suite.evaluate(t);
            id.putAll(sc.id());
            ood.putAll(sc.ood());
        }
        table.add("Individual fine-tuned", ResultTable.Kind.INDIVIDUAL, id, ood);
        log(suite, "individual", s);

        s = System.nanoTime();
        suite.multiTaskScores().ifPresent(mt -> {
            table.add("Multi-task fine-tuned (upper bound)", ResultTable.Kind.MULTITASK, mt.id(), mt.ood());
        });
        log(suite, "multi-task", s);

        for (DemoMethods.Method m : o.methods()) {
            List<String> variants = new ArrayList<>();
            variants.add(null);
            variants.addAll(o.lwptvVariants().keySet());
            for (String variant : variants) {
                s = System.nanoTime();
                String label = m.label() + (variant != null ? " + LwPTV" + variant : "");
                Path out = merges.resolve(m.name() + (variant != null ? "-lwptv" : ""));
                List<MergeRecipe.ModelEntry> models = new ArrayList<>();
                for (String t : tasks) {
                    models.add(new MergeRecipe.ModelEntry(suite.taskModelDir(t), t, Map.of()));
                }
                MergeRecipe r = new MergeRecipe(label, m.name(), suite.pretrainedDir(), models, m.params(), null, "base",
                        null, 0L, variant != null ? o.lwptvVariants().get(variant) : null);
                MergeJob.Result res = MergeJob.run(r, new MergeJob.Options(out, null, 5L << 30, Device.cpu(), false,
                        StreamingExecutor.Progress.NONE));
                boolean modulated = (res.lwptv() != null ? res.lwptv() : res.method()) instanceof TaskModulated;
                if (!modulated) {
                    try (Checkpoint c = Checkpoints.open(out)) {
                        suite.setWeights(c);
                    }
                }
                id = new LinkedHashMap<>();
                ood = new LinkedHashMap<>();
                for (String t : tasks) {
                    if (modulated) {
                        Path taskModel = merges.resolve("task-model");
                        Materializer.materialize(out, t, taskModel, null, 5L << 30);
                        try (Checkpoint c = Checkpoints.open(taskModel)) {
                            suite.setWeights(c);
                        }
                        TextZoo.deleteTree(taskModel);
                    }
                    EvaluationSuite.Scores sc = suite.evaluate(t);
                    id.putAll(sc.id());
                    ood.putAll(sc.ood());
                }
                table.add(label, ResultTable.Kind.MERGED, id, ood);
                if (variant != null && saliency == null && res.lwptv() != null) {
                    saliency = new Saliency(res.lwptv().taskNames(), res.lwptv().layerNames(), res.lwptv().saliency());
                    Files.createDirectories(o.out());
                    Files.writeString(o.out().resolve("lwptv-masks.csv"), LwptvTables.csv(res.lwptv(), true));
                }
                TextZoo.deleteTree(out);
                log(suite, label, s);
            }
        }
        TextZoo.deleteTree(merges);
        ReportWriter.write(new Report(suite.title(), table, List.of(), saliency), o.out());
        System.out.println("## " + suite.title() + "\n");
        System.out.println(MarkdownTable.render(ReportTables.results(table, "results"), true));
        System.err.printf("demo: %s suite done in %.0f s; report: %s%n", suite.name(), (System.nanoTime() - start) / 1e9,
                o.out().resolve("report.html"));
        return table;
    }

    private static void log(EvaluationSuite suite, String what, long start) {
        System.err.printf("demo[%s]: %-50s %6.1f s%n", suite.name(), what, (System.nanoTime() - start) / 1e9);
    }
}
