package dev.amalgam.eval.api;

import dev.amalgam.AmalgamException;
import dev.amalgam.Messages;
import dev.amalgam.io.OutputLock;
import dev.amalgam.run.CellRunner;
import dev.amalgam.run.ClusterBackend;
import dev.amalgam.run.InputFingerprint;
import dev.amalgam.run.RunEngine;
import dev.amalgam.run.RunPlan;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.RunRecipeParser;
import dev.amalgam.run.SuiteKinds;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs a sweep from a Java program, as {@code amalgam run RECIPE} does (docs/run.md): every cell (method ×
 * parameters × LwPTV option) merged and evaluated, cached cells reused, the report written.
 *
 * <pre>{@code
 * RunEngine.Summary s = Sweep.recipe(Path.of("eval/recipes/text-sweep.yaml")).out(Path.of("runs/text-sweep")).run();
 * s.report().results();   // the results table; s.files(): results.csv, report.html, …
 * }</pre>
 */
public final class Sweep {
    private final Path recipe;
    private Path out;
    private boolean fresh;
    private String spark;
    private Map<String, String> sparkConf = Map.of();

    private Sweep(Path recipe) {
        this.recipe = recipe;
    }

    /** The sweep a run recipe describes. */
    public static Sweep recipe(Path yaml) {
        return new Sweep(yaml);
    }

    /** Where cells and the report go (default: {@code runs/<name>} under amalgam.home, else the working directory). */
    public Sweep out(Path dir) {
        this.out = dir;
        return this;
    }

    /** Forgets every cached cell first. */
    public Sweep fresh(boolean value) {
        this.fresh = value;
        return this;
    }

    /**
     * Runs each cell as a task on a Spark master ({@code local[N]}, {@code spark://…}, {@code yarn}, …; docs/spark.md)
     * instead of in this process; needs the Spark module on the class path.
     */
    public Sweep spark(String master, Map<String, String> conf) {
        this.spark = master;
        this.sparkConf = conf == null ? Map.of() : Map.copyOf(conf);
        return this;
    }

    /** Runs the cells left and writes the report; holds the output directory's lock meanwhile. */
    public RunEngine.Summary run() {
        RunRecipe r = RunRecipeParser.parse(recipe);
        Path home = Path.of(System.getProperty("amalgam.home", "."));
        Path dir = out != null ? out : home.resolve("runs").resolve(r.name());
        try (OutputLock lock = OutputLock.acquire(dir)) {
            boolean stale = !fresh && InputFingerprint.stale(dir, InputFingerprint.of(r.suite(), home));
            if (stale) {
                Messages.err().println("amalgam run: the checkpoints behind the suite changed since the cached cells were "
                        + "computed (" + dir.resolve(InputFingerprint.FILE) + "); recomputing every cell");
            }
            RunPlan plan = RunPlan.of(r, dir, fresh || stale);
            RunEngine.Summary s = spark == null
                    ? RunEngine.run(plan, () -> SuiteKinds.open(r.suite(), home, r.file().toString()), true)
                    : RunEngine.run(plan, sparkRunner(r, home));
            // after the run: a demo suite may have built its zoo on first use
            InputFingerprint.record(dir, InputFingerprint.of(r.suite(), home));
            return s;
        }
    }

    private CellRunner sparkRunner(RunRecipe r, Path home) {
        for (ClusterBackend b : ServiceLoader.load(ClusterBackend.class)) {
            if (b.flag().equals("--spark")) {
                return b.runner(spark, sparkConf, r, home);
            }
        }
        throw new AmalgamException("--spark: the Spark module is not on the class path; run through ./amalgam, which adds "
                + "src/spark/target when --spark is given, or spark-submit (docs/spark.md)");
    }
}
