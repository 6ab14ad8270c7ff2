package dev.amalgam.merge.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.amalgam.AmalgamException;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.TensorStep;
import dev.amalgam.merge.lwptv.Lwptv;
import dev.amalgam.report.Progress;

import java.util.function.BiConsumer;

/**
 * A merge method that first runs the model on each task's unlabeled examples (docs/methods/data-aware.md):
 * the executor calls {@link #prepare} once before streaming the tensors, with the data bound by
 * {@link #bind} (a recipe's {@code data:} key, or the suite of an {@code amalgam run}).
 */
public abstract class DataAwareMethod implements MergeMethod {
    /** The parameters every data-aware method reads, with that method's defaults. */
    static java.util.List<dev.amalgam.merge.ParamDef> common(String split, String examples, int batch) {
        return java.util.List.of(
                dev.amalgam.merge.ParamDef.global("split", dev.amalgam.merge.ParamDef.Type.TEXT, split, "the suite split the data pass reads"),
                dev.amalgam.merge.ParamDef.depending("examples", dev.amalgam.merge.ParamDef.Type.INTEGER, examples,
                        "examples per task in the data pass"),
                dev.amalgam.merge.ParamDef.global("batch_size", dev.amalgam.merge.ParamDef.Type.INTEGER, batch, "batch size of the data pass"),
                dev.amalgam.merge.ParamDef.depending("data", dev.amalgam.merge.ParamDef.Type.TEXT, "the run's suite",
                        "where each task's examples come from (a recipe's data: block)"));
    }

    static java.util.List<dev.amalgam.merge.ParamDef> with(java.util.List<dev.amalgam.merge.ParamDef> common,
                                                           dev.amalgam.merge.ParamDef... own) {
        java.util.List<dev.amalgam.merge.ParamDef> all = new java.util.ArrayList<>(common);
        all.addAll(java.util.List.of(own));
        return java.util.List.copyOf(all);
    }

    private final String split;
    private final int examples;
    private final int batchSize;
    private MergeData data;
    private final Object dataSpec;
    private int floatTensors;
    private int merged;

    protected DataAwareMethod(MethodParams p, String defaultSplit, int defaultExamples, int defaultBatch) {
        split = p.getString("split", defaultSplit);
        examples = p.getInt("examples", defaultExamples);
        batchSize = p.getInt("batch_size", defaultBatch);
        dataSpec = p.asMap().get("data");
        if (examples < 1 || batchSize < 1) {
            throw new AmalgamException(p.method() + ": 'examples' and 'batch_size' must be at least 1");
        }
    }

    /** The split a suite should hand over (train for RegMean/Fisher, test for AdaMerging). */
    public String split() {
        return split;
    }

    /** Where the examples come from, for {@link #describe}: the suite's split, or the recipe's files. */
    protected String source() {
        return fromFiles() ? "data=models[].data" : "split=" + split;
    }

    private boolean fromFiles() {
        return TaskDataFiles.isPerModel(dataSpec);
    }

    public int examples() {
        return examples;
    }

    public int batchSize() {
        return batchSize;
    }

    public void bind(MergeData d) {
        this.data = d;
    }

    protected MergeData data() {
        if (data == null && dataSpec != null) {
            data = RecipeData.open(dataSpec, split, name());
        }
        if (data == null) {
            throw new AmalgamException(name() + ": needs each task's data: give the recipe a 'data:' key or run it on a "
                    + "suite that provides data (docs/merging.md#data-aware-methods)");
        }
        return data;
    }

    /** Runs the data passes; called once per run before any tensor is merged. */
    @Override
    public final void prepare(MergeInputs in) {
        floatTensors = (int) in.base().names().stream().filter(n -> in.base().info(n).dtype().isFloat()).count();
        merged = 0;
        release();
        for (String t : in.taskNames()) {
            data().examples(t, name()); // every task's data is there before hours of passes start
            String why = needsLogits() ? data().model().noLogits(t) : null;
            if (why != null) {
                throw new AmalgamException(name() + ": needs each task's predictive distribution; " + why);
            }
        }
        long start = System.nanoTime();
        run(in);
        dev.amalgam.Messages.err().printf("%s: data passes over %d tasks (%s) in %.1f s%n", name(), in.taskCount(), data().source(),
                (System.nanoTime() - start) / 1e9);
    }

    protected abstract void run(MergeInputs in);

    /** Whether the method reads the model's predictions (Fisher, AdaMerging), not only its layer inputs. */
    protected boolean needsLogits() {
        return false;
    }

    /** Frees what the passes left for the merge (called after the last tensor). */
    protected abstract void release();

    @Override
    public final NDArray merge(TensorStep step) {
        if (floatTensors == 0) {
            throw new AmalgamException(name() + ": merge before the data passes (StreamingExecutor runs them; a method "
                    + "used outside it calls prepare first)");
        }
        try {
            return mergeTensor(step);
        } finally {
            if (++merged == floatTensors) {
                release();
                if (data != null) {
                    data.close(); // a tokenizer, or the suite a recipe's data: key opened
                    data = null;
                }
            }
        }
    }

    protected abstract NDArray mergeTensor(TensorStep step);

    /**
     * Streams the first {@link #examples()} examples of {@code task} in batches of {@link #batchSize()}
     * through {@code body} (inputs, the batch's manager, closed after), with a progress bar.
     */
    protected void forEachBatch(String label, String task, NDManager parent, BiConsumer<NDList, NDManager> body) {
        TaskExamples ex = data().examples(task, name());
        int n = Math.min(examples, ex.size());
        int batches = (n + batchSize - 1) / batchSize;
        try (Progress bar = Progress.start(label + " " + task, batches)) {
            for (int from = 0; from < n; from += batchSize) {
                try (NDManager m = parent.newSubManager()) {
                    body.accept(ex.batch(from, Math.min(n, from + batchSize), m), m);
                }
                bar.step();
            }
        }
    }

    /** The data-aware method inside {@code method} (itself or LwPTV's host), or null. */
    public static DataAwareMethod of(MergeMethod method) {
        MergeMethod m = method instanceof Lwptv lw ? lw.host() : method;
        return m instanceof DataAwareMethod d ? d : null;
    }
}
