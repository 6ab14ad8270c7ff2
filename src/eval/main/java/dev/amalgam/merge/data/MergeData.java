package dev.amalgam.merge.data;

import dev.amalgam.AmalgamException;

import java.util.Map;

/**
 * What a data-aware merge runs on: the forward pass and, per task name, its unlabeled examples.
 *
 * @param source where the examples come from, for messages (e.g. "demo-image suite, split train")
 * @param owner  closed with the data (a suite opened for a recipe), or null
 */
public record MergeData(DataModel model, Map<String, TaskExamples> tasks, String source, AutoCloseable owner)
        implements AutoCloseable {
    public MergeData {
        tasks = Map.copyOf(tasks);
    }

    /** Data whose examples need nothing closed (or whose owner is closed elsewhere). */
    public MergeData(DataModel model, Map<String, TaskExamples> tasks, String source) {
        this(model, tasks, source, null);
    }

    /** Closes what the examples were read from (a suite opened for a recipe's data: key). */
    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException(source + ": cannot close", e);
            }
        }
    }

    /** The examples of {@code task}; a task without data is refused with one line. */
    public TaskExamples examples(String task, String method) {
        TaskExamples e = tasks.get(task);
        if (e == null || e.size() == 0) {
            throw new AmalgamException(method + ": no data for task '" + task + "' in " + source + " (tasks with data: "
                    + new java.util.TreeSet<>(tasks.keySet()) + "); name each model's task under the recipe's data: key "
                    + "(docs/merging.md#data-aware-methods)");
        }
        return e;
    }
}
