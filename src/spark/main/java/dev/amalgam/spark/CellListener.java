package dev.amalgam.spark;

import dev.amalgam.report.Progress;
import dev.amalgam.run.Cell;
import dev.amalgam.run.CellStore;
import dev.amalgam.run.RunEngine;
import dev.amalgam.run.RunPlan;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The driver's view of a Spark run: the progress bar and one log line per finished cell (read back from
 * the shared cell store, as a run in one process prints them), and a line per failed attempt or lost
 * executor, whose cells Spark runs again.
 */
final class CellListener extends SparkListener implements AutoCloseable {
    private final RunPlan plan;
    private final List<Cell> todo;
    private final CellStore store;
    private final Progress bar;
    private final AtomicInteger done = new AtomicInteger();
    final AtomicInteger failedAttempts = new AtomicInteger();
    final AtomicInteger lostExecutors = new AtomicInteger();
    /** Executor id → cells it is computing now. */
    private final Map<String, Integer> running = new ConcurrentHashMap<>();

    CellListener(RunPlan plan, List<Cell> todo) {
        this.plan = plan;
        this.todo = todo;
        this.store = new CellStore(plan.out().resolve("cells"));
        this.bar = Progress.start(plan.logPrefix(), todo.size());
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        running.merge(start.taskInfo().executorId(), 1, Integer::sum);
    }

    /** The executors computing a cell now. */
    List<String> busyExecutors() {
        return running.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        running.merge(end.taskInfo().executorId(), -1, Integer::sum);
        int partition = end.taskInfo().partitionId();
        if (partition < 0 || partition >= todo.size()) {
            return;
        }
        Cell c = todo.get(partition);
        if (end.reason() == Success$.MODULE$) {
            int n = done.incrementAndGet();
            bar.step();
            if (store.has(c)) {
                RunEngine.logCell(plan, store.read(c), n, todo.size());
            }
        } else {
            failedAttempts.incrementAndGet();
            System.err.printf("%s: cell %s, attempt %d failed on executor %s (%s); Spark runs it again%n", plan.logPrefix(),
                    c.id(), end.taskInfo().attemptNumber(), end.taskInfo().executorId(),
                    end.reason().toString().lines().findFirst().orElse(""));
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        lostExecutors.incrementAndGet();
        System.err.printf("%s: executor %s lost (%s)%n", plan.logPrefix(), removed.executorId(), removed.reason());
    }

    @Override
    public void close() {
        bar.close();
    }
}
