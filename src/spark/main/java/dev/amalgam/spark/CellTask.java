package dev.amalgam.spark;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.run.Cell;
import dev.amalgam.run.CellResult;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import java.nio.file.Path;

/**
 * One Spark task: compute one cell (merge → evaluate) and store it under {@code OUT/cells}, on the device
 * the task was given. Returns the cell id and the ID tasks it was evaluated on, for the driver.
 * A retried attempt whose cell an earlier attempt already stored reads it back instead (the store has one
 * file per cell id), so no cell is computed into the store twice.
 */
final class CellTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;
    /** Starts what a task returns for a user error (one line, exit 2 on the driver) instead of a cell. */
    static final String USER_ERROR = "!";

    private final String recipeText;
    private final String recipeFile;
    private final String home;
    private final String out;
    private final String gpuResource;

    CellTask(String recipeText, String recipeFile, String home, String out, String gpuResource) {
        this.recipeText = recipeText;
        this.recipeFile = recipeFile;
        this.home = home;
        this.out = out;
        this.gpuResource = gpuResource;
    }

    @Override
    public String call(String id) {
        Device device = TaskDevice.of(TaskContext.get().resourcesJMap(), gpuResource);
        ExecutorWorkers.Lease lease = ExecutorWorkers.take(recipeText, Path.of(recipeFile), Path.of(home), Path.of(out), device);
        try {
            Cell c = lease.cell(id);
            CellResult r = lease.worker().compute(c);
            return r.cell().id() + "\t" + String.join(",", lease.worker().tasks());
        } catch (AmalgamException e) {
            // bad input fails the same way on every attempt: report it instead of having Spark retry it
            return USER_ERROR + e.getMessage();
        } finally {
            lease.release();
        }
    }
}
