package dev.amalgam.api;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;
import dev.amalgam.io.TensorSource;
import dev.amalgam.merge.MemorySink;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.recipe.RecipeParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges fine-tuned checkpoints from a Java program: the library's front door to what {@code amalgam merge} does.
 * Either from a recipe file (MergeKit's YAML, docs/mergekit.md) or built step by step:
 *
 * <pre>{@code
 * Merge.Result r = Merge.method("ties")
 *         .base(Path.of("bert-base"))
 *         .finetune("sst2", Path.of("bert-sst2"))
 *         .finetune("mnli", Path.of("bert-mnli"))
 *         .param("density", 0.2).param("weight", 1.0)
 *         .writeTo(Path.of("merged"));
 * }</pre>
 *
 * Method names and parameters are those of {@code amalgam merge --help} and docs/merging.md. Bad input throws an
 * {@link AmalgamException} whose message names the file, tensor or key, before anything is written; the output
 * directory appears only when the merge is complete.
 */
public final class Merge {
    private final Path recipeFile;
    private final String method;
    private Path base;
    private final List<MergeRecipe.ModelEntry> models = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private Map<String, Object> lwptv;
    private long seed;
    private Device device = Device.cpu();
    private DType outputDtype;
    private long maxShardSize = 5L << 30;

    private Merge(Path recipeFile, String method) {
        this.recipeFile = recipeFile;
        this.method = method;
    }

    /** A merge described by a recipe file (MergeKit YAML, with Amalgam's keys such as {@code lwptv:}). */
    public static Merge recipe(Path yaml) {
        return new Merge(yaml, null);
    }

    /** A merge with the named method ({@code task_arithmetic}, {@code ties}, {@code emr}, …), built step by step. */
    public static Merge method(String name) {
        return new Merge(null, name);
    }

    /** The pre-trained model the fine-tunes share (a Hugging Face directory or a safetensors file). */
    public Merge base(Path dir) {
        builderOnly("base");
        this.base = dir;
        return this;
    }

    /** Adds a fine-tune, named by its task (the name reports and per-task outputs use). */
    public Merge finetune(String task, Path dir) {
        builderOnly("finetune");
        models.add(new MergeRecipe.ModelEntry(dir, task, Map.of()));
        return this;
    }

    /** Sets a method parameter, as under a recipe's {@code parameters:} (e.g. {@code lambda}, {@code density}). */
    public Merge param(String key, Object value) {
        builderOnly("param");
        params.put(key, value);
        return this;
    }

    /** Wraps the method in LwPTV with its defaults (docs/methods/lwptv.md). */
    public Merge lwptv() {
        return lwptv(Map.of());
    }

    /** Wraps the method in LwPTV with these options ({@code score}, {@code rule}, {@code granularity}, …). */
    public Merge lwptv(Map<String, Object> options) {
        builderOnly("lwptv");
        this.lwptv = new LinkedHashMap<>(options);
        return this;
    }

    /** The seed of randomised methods (DARE, DELLA); 0 by default. */
    public Merge seed(long value) {
        builderOnly("seed");
        this.seed = value;
        return this;
    }

    /** Where tensors are merged (CPU by default; a GPU needs a CUDA libtorch, docs/gpu.md). */
    public Merge device(Device d) {
        this.device = d;
        return this;
    }

    /** The float dtype of the written tensors ({@code bf16}, {@code f16}, {@code f32}); by default each input's. */
    public Merge outputDtype(String dtype) {
        this.outputDtype = DType.parseUser(dtype);
        return this;
    }

    /** The largest shard written, in bytes (5 GiB by default). */
    public Merge maxShardSize(long bytes) {
        this.maxShardSize = bytes;
        return this;
    }

    /** What a merge did. */
    public record Result(Path out, String method, long millis, List<String> notes) {
    }

    /** Runs the merge and writes a Hugging Face directory at {@code out}, which must not exist yet. */
    public Result writeTo(Path out) {
        MergeJob.Result r = MergeJob.run(recipe(), options(out));
        return new Result(r.out(), (r.lwptv() != null ? r.lwptv() : r.method()).describe(), r.millis(), r.notes());
    }

    /**
     * Runs the merge into memory, nothing written: the merged tensors (or, for EMR and TALL masks, each task's
     * reconstruction) as {@link TensorSource}s to load into a model.
     */
    public InMemory inMemory() {
        MemorySink sink = new MemorySink();
        MergeJob.runInto(recipe(), options(null), null, sink);
        return new InMemory(sink, recipe().base());
    }

    /** A merge kept in memory. */
    public static final class InMemory {
        private final MemorySink sink;
        private final Path base;

        private InMemory(MemorySink sink, Path base) {
            this.sink = sink;
            this.base = base;
        }

        /** Whether the method made one model per task (EMR, TALL masks): read them with {@link #task}. */
        public boolean perTask() {
            return sink.modulated();
        }

        /** The merged model. */
        public TensorSource merged() {
            if (perTask()) {
                throw new AmalgamException("this method makes one model per task: read them with task(name)");
            }
            return sink.merged();
        }

        /** Task {@code name}'s model (EMR, TALL masks), rebuilt per tensor over {@code pretrained} as it is read. */
        public TensorSource task(String name, TensorSource pretrained) {
            return sink.task(name, pretrained);
        }

        /** The pre-trained model the merge started from. */
        public Path base() {
            return base;
        }
    }

    private MergeRecipe recipe() {
        if (recipeFile != null) {
            return RecipeParser.parse(recipeFile);
        }
        if (base == null) {
            throw new AmalgamException(method + ": give the pre-trained model with base(dir)");
        }
        if (models.isEmpty()) {
            throw new AmalgamException(method + ": give at least one fine-tune with finetune(task, dir)");
        }
        return new MergeRecipe(method, method, base, List.copyOf(models), Map.copyOf(params), null, "base", null, seed,
                lwptv == null ? null : Map.copyOf(lwptv));
    }

    private MergeJob.Options options(Path out) {
        return new MergeJob.Options(out, outputDtype, maxShardSize, device, false, StreamingExecutor.Progress.NONE);
    }

    private void builderOnly(String what) {
        if (recipeFile != null) {
            throw new AmalgamException(recipeFile + ": " + what + "(…) does not apply to a merge read from a recipe file; "
                    + "write it in the recipe");
        }
    }
}
