package dev.amalgam.cli;

import dev.amalgam.AmalgamException;
import dev.amalgam.report.MarkdownTable;
import dev.amalgam.report.ReportTables;
import dev.amalgam.run.Cell;
import dev.amalgam.run.InputFingerprint;
import dev.amalgam.eval.api.Sweep;
import dev.amalgam.run.RunEngine;
import dev.amalgam.run.RunPlan;
import dev.amalgam.run.RunRecipe;
import dev.amalgam.run.RunRecipeParser;
import dev.amalgam.run.SuiteKinds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amalgam run RECIPE.yaml}: merge (methods × sweeps × ±LwPTV) → evaluate ID + OOD (+ unseen
 * tasks) → report under runs/&lt;name&gt;/, resumable cell by cell. Recipe schema: docs/run.md.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Merge-then-evaluate run from a YAML recipe (sweeps, ±LwPTV, unseen tasks); resumable. See docs/run.md.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RECIPE.yaml", description = "Run recipe.")
    Path recipe;

    @Option(names = "--out", description = "Output directory (default runs/<name>).")
    Path out;

    @Option(names = "--fresh", description = "Forget finished cells and recompute everything.")
    boolean fresh;

    @Option(names = "--resume", description = "Reuse finished cells (the default).")
    boolean resume;

    @Option(names = "--dry-run", description = "List the cells (id, cached or not) and exit.")
    boolean dryRun;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Compute the cells as Spark tasks: local[*], local[2], "
            + "spark://HOST:7077, yarn, k8s://URL. OUT must be storage every worker sees. See docs/spark.md.")
    String spark;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. "
            + "spark.task.resource.gpu.amount=1. Only with --spark.")
    Map<String, String> sparkConf;

    @Override
    public Integer call() {
        if (fresh && resume) {
            throw new AmalgamException("--fresh and --resume exclude each other");
        }
        if (sparkConf != null && spark == null) {
            throw new AmalgamException("--spark-conf needs --spark MASTER");
        }
        RunRecipe r = RunRecipeParser.parse(recipe);
        Path home = Path.of(System.getProperty("amalgam.home", "."));
        Path dir = out != null ? out : home.resolve("runs").resolve(r.name());
        if (dryRun) {
            return dryRun(r, dir, home);
        }
        RunEngine.Summary s = Sweep.recipe(recipe).out(dir).fresh(fresh)
                .spark(spark, sparkConf).run();
        System.out.println("## " + s.report().title() + "\n");
        System.out.println(MarkdownTable.render(ReportTables.results(s.report().results(), "results"), true));
        return 0;
    }

    private int dryRun(RunRecipe r, Path dir, Path home) {
        SuiteKinds.checkPaths(r.suite(), home, r.file().toString(), r.tasks() == null ? List.of() : r.tasks());
        boolean stale = !fresh && InputFingerprint.stale(dir, InputFingerprint.of(r.suite(), home));
        for (Cell c : RunPlan.of(r, dir, fresh || stale).cells()) {
            boolean cached = !fresh && !stale && java.nio.file.Files.isRegularFile(dir.resolve("cells").resolve(c.id() + ".json"));
            System.out.printf("%s  %-6s  %s%n", c.id(), cached ? "cached" : "todo", c.label());
        }
        return 0;
    }
}
