package dev.amalgam.run;

import ai.djl.Device;
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
 * Executes a {@link RunPlan}: every cell not already stored under {@code OUT/cells} is computed by a
 * {@link CellRunner} (in this process by default, the suite opened only if something is left to
 * compute), stored, and logged; then the report is written from all stored cells. Re-running continues
 * where a killed run stopped.
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
        return run(plan, local(suite, closeSuite, Device.cpu()));
    }

    /** Runs {@code plan}, computing the cells it has left with {@code runner}. */
    public static Summary run(RunPlan plan, CellRunner runner) {
        long start = System.nanoTime();
        CellStore store = new CellStore(plan.out().resolve("cells"));
        TempDirs.sweep(plan.out().resolve("cells")); // cell files half-written by a killed run
        TempDirs.sweep(plan.out().resolve("outcomes"));
        if (plan.fresh()) {
            CellEvaluator.delete(plan.out().resolve("cells"));
            CellEvaluator.delete(plan.out().resolve("outcomes"));
        }
        List<Cell> todo = plan.cells().stream().filter(c -> !store.has(c)).toList();
        for (Cell c : plan.cells()) {
            if (!todo.contains(c)) {
                dev.amalgam.Messages.err().printf("%s: %-50s %8s (cached %s)%n", plan.logPrefix(), store.read(c).label(), "", c.id());
            }
        }
        List<String> tasks = plan.tasks();
        try {
            if (!todo.isEmpty()) {
                tasks = runner.computeAll(plan, todo);
            }
        } finally {
            if (!plan.keep()) {
                CellEvaluator.delete(plan.out().resolve("merges"));
            }
        }
        List<CellResult> results = new ArrayList<>();
        for (Cell c : plan.cells()) {
            if (!store.has(c)) {
                throw new AmalgamException(store.file(c) + ": cell '" + c.label() + "' was computed but is not in the cell "
                        + "store; every worker must write the same " + plan.out() + " the driver reads (docs/spark.md)");
            }
            results.add(store.read(c));
        }
        Report report = RunReport.build(plan, tasks, results);
        List<Path> files = ReportWriter.write(report, plan.out());
        dev.amalgam.Messages.err().printf("%s: %d cells (%d computed, %d cached) in %.0f s; report: %s%n", plan.logPrefix(),
                plan.cells().size(), todo.size(), plan.cells().size() - todo.size(), (System.nanoTime() - start) / 1e9,
                plan.out().resolve("report.html"));
        return new Summary(results, todo.size(), plan.cells().size() - todo.size(), report, files);
    }

    /** Computes cells one after the other in this process, with a progress bar and one log line per cell. */
    public static CellRunner local(Supplier<EvaluationSuite> suite, boolean closeSuite, Device device) {
        return (plan, todo) -> {
            try (CellWorker worker = new CellWorker(plan, suite, closeSuite, device);
                 Progress bar = Progress.start(plan.logPrefix(), todo.size())) {
                int done = 0;
                for (Cell c : todo) {
                    bar.message(c.label());
                    CellResult r = worker.compute(c);
                    done++;
                    bar.step();
                    logCell(plan, r, done, todo.size());
                }
                return worker.tasks();
            }
        };
    }

    /** The one log line of a computed cell. */
    public static void logCell(RunPlan plan, CellResult r, int done, int total) {
        dev.amalgam.Messages.err().printf("%s: %-50s %6.1f s (cell %s, %d/%d)%n", plan.logPrefix(), r.label(), r.seconds(),
                r.cell().id(), done, total);
    }

    /** The ID tasks (all of the suite's when the plan names none); every named task must be the suite's. */
    static List<String> checkTasks(RunPlan plan, EvaluationSuite suite) {
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
