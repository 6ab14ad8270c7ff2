package dev.amalgam.run;

import dev.amalgam.AmalgamException;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.io.TempDirs;
import dev.amalgam.report.Progress;
import dev.amalgam.report.Report;
import dev.amalgam.report.ReportWriter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Executes a {@link RunPlan}: every cell not already stored under {@code OUT/cells} is computed on
 * the suite (opened only if something is left to compute), stored, and logged; then the report is
 * written from all stored cells. Re-running continues where a killed run stopped.
 */
public final class RunEngine {

    /** @param computed cells evaluated by this call; reused cells came from earlier runs */
    public record Summary(List<CellResult> results, int computed, int reused, Report report, List<Path> files) {
    }

    private RunEngine() {
    }

    /**
     * @param suite       opens the suite (called at most once, only when a cell must be computed)
     * @param closeSuite  close the suite at the end (false when the caller owns it)
     */
    public static Summary run(RunPlan plan, Supplier<EvaluationSuite> suite, boolean closeSuite) {
        long start = System.nanoTime();
        CellStore store = new CellStore(plan.out().resolve("cells"));
        TempDirs.sweep(plan.out().resolve("cells")); // cell files half-written by a killed run
        if (plan.fresh()) {
            CellEvaluator.delete(plan.out().resolve("cells"));
        }
        List<Cell> todo = plan.cells().stream().filter(c -> !store.has(c)).toList();
        EvaluationSuite open = null;
        List<String> tasks = plan.tasks();
        int done = 0;
        try (Progress bar = todo.isEmpty() ? null : Progress.start(plan.logPrefix(), todo.size())) {
            CellEvaluator evaluator = null;
            for (Cell c : plan.cells()) {
                if (!todo.contains(c)) {
                    System.err.printf("%s: %-50s %8s (cached %s)%n", plan.logPrefix(), store.read(c).label(), "", c.id());
                    continue;
                }
                if (evaluator == null) {
                    open = suite.get();
                    tasks = checkTasks(plan, open);
                    evaluator = new CellEvaluator(open, tasks, plan.heldout(), plan.out().resolve("merges"),
                            plan.out().resolve("masks"), plan.keep());
                }
                bar.message(c.label());
                CellResult r = evaluator.evaluate(c);
                store.write(r);
                done++;
                bar.step();
                System.err.printf("%s: %-50s %6.1f s (cell %s, %d/%d)%n", plan.logPrefix(), r.label(), r.seconds(),
                        c.id(), done, todo.size());
            }
        } finally {
            if (open != null && closeSuite) {
                open.close();
            }
            if (!plan.keep()) {
                CellEvaluator.delete(plan.out().resolve("merges"));
            }
        }
        List<CellResult> results = new ArrayList<>();
        plan.cells().forEach(c -> results.add(store.read(c)));
        Report report = RunReport.build(plan, tasks, results);
        List<Path> files = ReportWriter.write(report, plan.out());
        System.err.printf("%s: %d cells (%d computed, %d cached) in %.0f s; report: %s%n", plan.logPrefix(),
                plan.cells().size(), done, plan.cells().size() - done, (System.nanoTime() - start) / 1e9,
                plan.out().resolve("report.html"));
        return new Summary(results, done, plan.cells().size() - done, report, files);
    }

    /** The ID tasks (all of the suite's when the plan names none); every named task must be the suite's. */
    private static List<String> checkTasks(RunPlan plan, EvaluationSuite suite) {
        List<String> known = suite.tasks();
        List<String> named = new ArrayList<>(plan.tasks());
        named.addAll(plan.heldout());
        for (String t : named) {
            if (!known.contains(t)) {
                String key = plan.heldout().contains(t) ? "unseen.heldout" : plan.heldout().isEmpty() ? "tasks" : "unseen.merge";
                throw new AmalgamException(plan.where() + ": key '" + key + "': unknown task '" + t + "'; tasks of the "
                        + suite.name() + " suite: " + known);
            }
        }
        return plan.tasks().isEmpty() ? known : plan.tasks();
    }
}
