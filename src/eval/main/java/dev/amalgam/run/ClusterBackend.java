package dev.amalgam.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * A cluster that computes the cells of {@code amalgam run}, found with {@link java.util.ServiceLoader} so the
 * core needs none of its jars: the Spark module (spark/, docs/spark.md) provides one, and the launcher
 * puts it on the class path when {@code --spark} is given.
 */
public interface ClusterBackend {

    /** The command-line flag this back end serves, e.g. {@code --spark}. */
    String flag();

    /**
     * @param master where to run (for Spark: {@code local[2]}, {@code spark://HOST:7077}, {@code yarn}, ...)
     * @param conf   extra settings ({@code --spark-conf KEY=VALUE})
     * @param home   the Amalgam home the suite resolves against; workers must see it at the same path
     */
    CellRunner runner(String master, Map<String, String> conf, RunRecipe recipe, Path home);
}
