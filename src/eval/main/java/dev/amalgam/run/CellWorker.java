package dev.amalgam.run;

import ai.djl.Device;
import dev.amalgam.eval.run.EvaluationSuite;

import java.util.List;
import java.util.function.Supplier;

/**
 * Computes cells of one plan in this process, opening the suite on the first cell that needs it, and
 * stores each result under {@code OUT/cells}. A cell already stored is read back instead of computed,
 * so a retried or repeated attempt (a Spark task re-run after its executor died) never computes or
 * stores a cell twice: the store holds one file per cell id.
 */
public final class CellWorker implements AutoCloseable {
    private final RunPlan plan;
    private final Supplier<EvaluationSuite> suite;
    private final boolean closeSuite;
    private final Device device;
    private final CellStore store;
    private EvaluationSuite open;
    private CellEvaluator evaluator;
    private List<String> tasks;

    /**
     * @param suite      opens the suite (called at most once, only when a cell must be computed)
     * @param closeSuite close the suite in {@link #close()} (false when the caller owns it)
     * @param device     where merges run (and suites that take a device evaluate)
     */
    public CellWorker(RunPlan plan, Supplier<EvaluationSuite> suite, boolean closeSuite, Device device) {
        this.plan = plan;
        this.suite = suite;
        this.closeSuite = closeSuite;
        this.device = device;
        this.store = new CellStore(plan.out().resolve("cells"));
        this.tasks = plan.tasks();
    }

    /** Whether a finished result of {@code c} is stored. */
    public boolean stored(Cell c) {
        return store.has(c);
    }

    /** Computes {@code c} and stores it, unless it is stored already. */
    public CellResult compute(Cell c) {
        if (store.has(c)) {
            return store.read(c);
        }
        if (evaluator == null) {
            open = suite.get();
            tasks = RunEngine.checkTasks(plan, open);
            evaluator = new CellEvaluator(open, tasks, plan.heldout(), plan.out().resolve("merges"),
                    plan.out().resolve("masks"), plan.keep(), device);
        }
        CellResult r = evaluator.evaluate(c);
        store.write(r);
        return r;
    }

    /** The ID tasks: the plan's, or every task of the suite once it was opened for a plan that names none. */
    public List<String> tasks() {
        return tasks;
    }

    @Override
    public void close() {
        if (open != null && closeSuite) {
            open.close();
        }
        open = null;
        evaluator = null;
    }
}
