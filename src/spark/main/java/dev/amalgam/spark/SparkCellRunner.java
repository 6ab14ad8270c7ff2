package dev.amalgam.spark;

import dev.amalgam.AmalgamException;
import dev.amalgam.run.Cell;
import dev.amalgam.run.CellRunner;
import dev.amalgam.run.RunPlan;
import dev.amalgam.run.RunRecipe;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Computes a run's cells as Spark tasks, one task per cell (one partition each), on executors that
 * write every finished cell into the run's cell store; the driver gathers which cells finished and the
 * engine then writes the report from the store, as for a run in one process (docs/spark.md).
 */
final class SparkCellRunner implements CellRunner {
    private final SparkConf conf;
    private final RunRecipe recipe;
    private final Path home;
    /** What the last run's listener saw (failed attempts, lost executors), for the log and tests. */
    private CellListener last;

    SparkCellRunner(SparkConf conf, RunRecipe recipe, Path home) {
        this.conf = conf;
        this.recipe = recipe;
        this.home = home;
    }

    @Override
    public List<String> computeAll(RunPlan plan, List<Cell> todo) {
        String text;
        try {
            text = Files.readString(recipe.file());
        } catch (IOException e) {
            throw new AmalgamException(recipe.file() + ": cannot read recipe: " + e.getMessage());
        }
        List<String> ids = todo.stream().map(Cell::id).toList();
        CellTask task = new CellTask(text, recipe.file().toAbsolutePath().toString(), home.toAbsolutePath().toString(),
                plan.out().toAbsolutePath().toString(), conf.get(SparkSettings.GPU_RESOURCE, "gpu"));
        conf.setIfMissing("spark.app.name", "amalgam run " + recipe.name());
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel(conf.get("spark.amalgam.logLevel", "WARN"));
            last = new CellListener(plan, todo);
            sc.sc().addSparkListener(last);
            System.err.printf("%s: %d cells as Spark tasks on %s (application %s)%n", plan.logPrefix(), todo.size(),
                    sc.master(), sc.sc().applicationId());
            List<String> done = sc.parallelize(ids, ids.size()).map(task).collect();
            last.close();
            for (String d : done) {
                if (d.startsWith(CellTask.USER_ERROR)) {
                    throw new AmalgamException(d.substring(CellTask.USER_ERROR.length()));
                }
            }
            // an attempt that read its cell back never opened the suite: it knows only the plan's tasks
            return done.stream().map(d -> d.split("\t", -1)[1]).filter(t -> !t.isEmpty()).findFirst()
                    .map(t -> Arrays.asList(t.split(","))).orElse(plan.tasks());
        } catch (AmalgamException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AmalgamException("Spark job of " + plan.logPrefix() + " failed: " + firstLine(e)
                    + " (finished cells are stored; run again to resume)");
        } finally {
            if (conf.get("spark.master").startsWith("local")) {
                ExecutorWorkers.closeAll(); // the executors were this JVM: free their suites
            }
        }
    }

    CellListener lastListener() {
        return last;
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        return m.lines().findFirst().orElse(m);
    }
}
