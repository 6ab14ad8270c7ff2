package dev.amalgam.merge.data;

import dev.amalgam.AmalgamException;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.recipe.MergeRecipe;

/** Binds a run cell's data-aware method to the data of the suite it is evaluated on. */
public final class SuiteData {
    private SuiteData() {
    }

    /**
     * The recipe's method with the suite's task data bound when it is data-aware (and the recipe names
     * no data of its own), else null (the merge builds its method as usual).
     */
    public static MergeMethod methodFor(MergeRecipe recipe, Object suite, String suiteName) {
        if (recipe.parameters().containsKey("data")) {
            return null;
        }
        MergeMethod m = MergeJob.buildMethod(recipe);
        DataAwareMethod d = DataAwareMethod.of(m);
        if (d == null) {
            return null;
        }
        if (!(suite instanceof MergeDataProvider p)) {
            throw new AmalgamException(d.name() + ": the " + suiteName + " suite provides no task data for data-aware merges "
                    + "(suites that do: demo-image, demo-text, text, clip-tasks)");
        }
        d.bind(p.mergeData(d.split()));
        return m;
    }
}
