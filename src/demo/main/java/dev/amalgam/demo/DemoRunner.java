package dev.amalgam.demo;

import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.report.Report;
import dev.amalgam.report.ResultTable;
import dev.amalgam.run.Cell;
import dev.amalgam.run.CellGrid;
import dev.amalgam.run.RunEngine;
import dev.amalgam.run.RunPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo as a built-in run over one {@link EvaluationSuite}: pre-trained, individual fine-tunes,
 * then every method without LwPTV and with each LwPTV variant, each evaluated ID and OOD on every
 * task (EMR/TALL by per-task reconstruction) by {@link RunEngine}. Writes results.csv/.md,
 * report.html and lwptv-masks.csv (the first LwPTV cell's masks) to OUT.
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
        return report(suite, o).results();
    }

    /** As {@link #run}, returning the whole report: the results and the comparison tables (docs/run.md, "Statistics"). */
    public static Report report(EvaluationSuite suite, Options o) throws IOException {
        long start = System.nanoTime();
        Map<String, Object> context = Map.of("demo", suite.name());
        List<Cell> cells = new ArrayList<>();
        cells.add(CellGrid.baseline(context, ResultTable.Kind.PRETRAINED, suite.pretrainedLabel()));
        cells.add(CellGrid.baseline(context, ResultTable.Kind.INDIVIDUAL, "Individual fine-tuned"));
        if (suite.hasMultiTaskModel()) {
            cells.add(CellGrid.baseline(context, ResultTable.Kind.MULTITASK, "Multi-task fine-tuned (upper bound)"));
        }
        Cell firstLwptv = null;
        for (int i = 0; i < o.methods().size(); i++) {
            DemoMethods.Method m = o.methods().get(i);
            cells.add(CellGrid.merged(context, m.label(), m.name(), m.params(), null, i));
            for (Map.Entry<String, Map<String, Object>> v : o.lwptvVariants().entrySet()) {
                Cell c = CellGrid.merged(context, m.label() + " + LwPTV" + v.getKey(), m.name(), m.params(), v.getValue(), i);
                cells.add(c);
                firstLwptv = firstLwptv == null ? c : firstLwptv;
            }
        }
        List<String> charts = o.methods().stream().map(DemoMethods.Method::label).toList();
        // fresh: the zoo behind the demo may have been rebuilt since the last run
        RunPlan plan = new RunPlan(suite.title(), cells, suite.tasks(), List.of(), charts, o.out(), false, true,
                "demo[" + suite.name() + "]", "demo");
        RunEngine.Summary s = RunEngine.run(plan, () -> suite, false);
        if (firstLwptv != null) {
            Files.copy(o.out().resolve("masks").resolve(firstLwptv.id() + ".csv"), o.out().resolve("lwptv-masks.csv"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        dev.amalgam.Messages.err().printf("demo: %s suite done in %.0f s; report: %s%n", suite.name(), (System.nanoTime() - start) / 1e9,
                o.out().resolve("report.html"));
        return s.report();
    }
}
