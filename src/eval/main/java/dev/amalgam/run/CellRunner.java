package dev.amalgam.run;

import java.util.List;

/**
 * Where {@link RunEngine} computes the cells a run has left: in this process ({@link RunEngine#local}) or
 * spread over a cluster (the Spark module, docs/spark.md). Either way every cell ends up stored under
 * {@code OUT/cells} once, and the engine writes the report from the store.
 */
public interface CellRunner {

    /**
     * Computes and stores every cell of {@code todo}.
     *
     * @return the ID tasks the cells were evaluated on ({@code plan.tasks()} when the plan names them)
     */
    List<String> computeAll(RunPlan plan, List<Cell> todo);
}
