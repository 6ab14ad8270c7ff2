package dev.amalgam.merge.data;

import dev.amalgam.AmalgamException;

import java.util.Map;
import java.util.ServiceLoader;

/** Opens what a recipe's data keys name, as the "data" parameter carries it: per-model files or a suite. */
final class RecipeData {
    private RecipeData() {
    }

    /**
     * Opens the per-model files ({@link TaskDataFiles}) or the suite a parsed spec names and takes its
     * {@code split}; the suite stays open with the data.
     */
    static MergeData open(Object spec, String split, String method) {
        if (TaskDataFiles.isPerModel(spec)) {
            return TaskDataOpener.open((Map<?, ?>) spec);
        }
        if (!(spec instanceof Map<?, ?> m) || !m.containsKey("suite")) {
            throw new AmalgamException(method + ": parameter 'data' is set by a recipe's data: key (docs/merging.md#data-aware-methods)");
        }
        for (SuiteDataOpener o : ServiceLoader.load(SuiteDataOpener.class, RecipeData.class.getClassLoader())) {
            return o.open(m, split, method);
        }
        throw new AmalgamException(method + ": data.suite needs the suites (dev.amalgam.run) on the class path");
    }
}
