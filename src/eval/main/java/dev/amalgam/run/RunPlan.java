package dev.amalgam.run;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link RunEngine} executes: the cells, the ID tasks (empty = every task of the suite), the
 * held-out tasks, where results go, and how the run reports itself.
 *
 * @param charts    per method entry (by {@link Cell#methodIndex()}), the title of its sweep chart
 * @param logPrefix prefix of the one-line-per-cell log on stderr, e.g. "run[text-sweep]"
 * @param fresh     forget finished cells first (otherwise they are reused)
 * @param where     what user errors name (the recipe file)
 */
public record RunPlan(String title, List<Cell> cells, List<String> tasks, List<String> heldout, List<String> charts,
                      Path out, boolean keep, boolean fresh, String logPrefix,
                      String where) {

    /** The plan of a recipe: its expanded cells, writing under {@code out}. */
    public static RunPlan of(RunRecipe r, Path out, boolean fresh) {
        List<String> charts = r.methods().stream().map(m -> m.label() != null ? m.label() : m.method()).toList();
        return new RunPlan("amalgam run — " + r.name() + " (" + r.suite().kind() + " suite)", CellGrid.expand(r),
                r.tasks(), r.heldout(), charts, out, r.keep(), fresh, "run[" + r.name() + "]", r.file().toString());
    }
}
