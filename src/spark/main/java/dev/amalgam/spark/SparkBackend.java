package dev.amalgam.spark;

import dev.amalgam.run.CellRunner;
import dev.amalgam.run.ClusterBackend;
import dev.amalgam.run.RunRecipe;

import java.nio.file.Path;
import java.util.Map;

/** {@code amalgam run RECIPE --spark MASTER}: the cells as Spark tasks (docs/spark.md). */
public final class SparkBackend implements ClusterBackend {

    @Override
    public String flag() {
        return "--spark";
    }

    @Override
    public CellRunner runner(String master, Map<String, String> conf, RunRecipe recipe, Path home) {
        return new SparkCellRunner(SparkSettings.of(master, conf), recipe, home);
    }
}
