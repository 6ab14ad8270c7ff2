package dev.amalgam.eval.api;

import dev.amalgam.io.OutputLock;
import dev.amalgam.run.InputFingerprint;
import dev.amalgam.run.RunEngine;
import dev.amalgam.run.RunPlan;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.RunRecipeParser;
import dev.amalgam.run.SuiteKinds;

import java.nio.file.Path;

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

    /** Runs the cells left in this process and writes the report; holds the output directory's lock meanwhile. */
    public RunEngine.Summary run() {
        RunRecipe r = RunRecipeParser.parse(recipe);
        Path home = Path.of(System.getProperty("amalgam.home", "."));
        Path dir = out != null ? out : home.resolve("runs").resolve(r.name());
        try (OutputLock lock = OutputLock.acquire(dir)) {
            boolean stale = !fresh && InputFingerprint.stale(dir, InputFingerprint.of(r.suite(), home));
            RunEngine.Summary s = RunEngine.run(RunPlan.of(r, dir, fresh || stale),
                    () -> SuiteKinds.open(r.suite(), home, r.file().toString()), true);
            InputFingerprint.record(dir, InputFingerprint.of(r.suite(), home));
            return s;
        }
    }
}
