package dev.amalgam.merge;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.Provenance;
import dev.amalgam.io.TensorSource;
import dev.amalgam.merge.lwptv.Lwptv;
import dev.amalgam.merge.lwptv.LwptvOptions;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.tensor.ParameterBlocks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The library entry point for one merge: opens the checkpoints named by a recipe, builds the method
 * (optionally wrapped by LwPTV), streams it with {@link StreamingExecutor} and writes a Hugging Face
 * directory (or, for EMR/TALL, a modulated directory), atomically.
 */
public final class MergeJob {

    /** Output and execution settings (CLI flags). */
    public record Options(Path out, DType outDtype, long maxShardSize, Device device, boolean allowNonFinite,
                          StreamingExecutor.Progress progress) {
    }

    /** What ran: the configured method (for EMR/TALL a TaskModulated), and the LwPTV wrapper if any. */
    public record Result(Path out, MergeMethod method, Lwptv lwptv, long millis) {
    }

    private MergeJob() {
    }

    public static Result run(MergeRecipe recipe, Options o) {
        return runWith(recipe, o, null);
    }

    /** As {@link #run}, with {@code override} in place of the recipe's method when not null (benchmarks). */
    public static Result runWith(MergeRecipe recipe, Options o, MergeMethod override) {
        long start = System.nanoTime();
        List<Checkpoint> opened = new ArrayList<>();
        try {
            Checkpoint base = open(recipe.base(), opened);
            List<TensorSource> models = new ArrayList<>();
            List<String> tasks = new ArrayList<>();
            List<Path> inputFiles = new ArrayList<>(base.weightFiles());
            for (MergeRecipe.ModelEntry m : recipe.models()) {
                Checkpoint c = open(m.path(), opened);
                checkSameArchitecture(base, c);
                models.add(c);
                tasks.add(m.taskName());
                inputFiles.addAll(c.weightFiles());
            }
            if (new java.util.HashSet<>(tasks).size() != tasks.size()) {
                throw new AmalgamException("task names must be unique, got " + tasks + " (set models[].name in the recipe)");
            }
            MergeMethod method = override != null ? override : buildMethod(recipe);
            LwptvOptions lw = recipe.lwptv() == null ? null : LwptvOptions.from(recipe.lwptv());
            Lwptv lwptv = lw == null ? null : lw.wrap(method);
            MergeMethod run = lwptv != null ? lwptv : method;

            List<Path> inputs = new ArrayList<>();
            inputs.add(recipe.base());
            recipe.models().forEach(m -> inputs.add(m.path()));
            byte[] recipeYaml = toYaml(recipe);
            Map<String, String> meta = new LinkedHashMap<>(Provenance.metadata(inputFiles, Provenance.Mode.QUICK));
            meta.put("recipe_sha256", sha256(recipeYaml));
            meta.put("merge_method", run.describe());
            DType outDtype = o.outDtype() != null ? o.outDtype()
                    : recipe.outDtype() != null ? DType.parseUser(recipe.outDtype()) : null;
            ParameterBlocks.Granularity g = lw == null ? ParameterBlocks.Granularity.BLOCK : lw.granularity();
            StreamingExecutor exec = new StreamingExecutor(o.device(), n -> ParameterBlocks.groupOf(n, g),
                    !o.allowNonFinite(), o.progress());
            MergeInputs in = new MergeInputs(base, models, tasks);
            if (run instanceof TaskModulated) {
                try (ModulatedSink sink = new ModulatedSink(o.out(), o.maxShardSize(), meta, inputs, recipe.base())) {
                    sink.addSideFile("amalgam_recipe.yml", recipeYaml);
                    exec.run(run, in, new SideFilesOnCommit(sink, lwptv, sink::addSideFile));
                }
            } else {
                Checkpoint tok = tokenizerSource(recipe, base, opened);
                try (CheckpointSink sink = new CheckpointSink(o.out(), outDtype, o.maxShardSize(), meta, inputs,
                        tok.auxFiles(), base.config())) {
                    sink.addSideFile("amalgam_recipe.yml", recipeYaml);
                    exec.run(run, in, new SideFilesOnCommit(sink, lwptv, sink::addSideFile));
                }
            }
            return new Result(o.out(), method, lwptv, (System.nanoTime() - start) / 1_000_000);
        } finally {
            opened.forEach(Checkpoint::close);
        }
    }

    /** Builds the registry method with recipe-level keys (per-model weights/densities, scope, seed) folded in. */
    public static MergeMethod buildMethod(MergeRecipe recipe) {
        Map<String, Object> p = new LinkedHashMap<>(recipe.parameters());
        String method = recipe.method();
        foldPerModel(recipe, p, "weight", "weights");
        foldPerModel(recipe, p, "density", "density");
        if (recipe.scope() != null) {
            if (!(method.equals("ties") || method.equals("dare_ties"))) {
                throw new AmalgamException("recipe 'scope' applies to ties and dare_ties, not " + method);
            }
            p.putIfAbsent("scope", recipe.scope());
        }
        if (method.startsWith("dare")) {
            p.putIfAbsent("seed", recipe.seed());
        }
        return MergeMethods.create(new MethodParams(method, p));
    }

    private static void foldPerModel(MergeRecipe r, Map<String, Object> p, String modelKey, String methodKey) {
        List<Object> values = new ArrayList<>();
        for (MergeRecipe.ModelEntry m : r.models()) {
            values.add(m.parameters().get(modelKey));
        }
        if (values.stream().allMatch(Objects::isNull)) {
            return;
        }
        if (values.stream().anyMatch(Objects::isNull)) {
            throw new AmalgamException("per-model '" + modelKey + "' must be given for every model or none");
        }
        for (MergeRecipe.ModelEntry m : r.models()) {
            for (String k : m.parameters().keySet()) {
                if (!k.equals("weight") && !k.equals("density")) {
                    throw new AmalgamException(m.path() + ": per-model parameter '" + k + "' is not supported (weight, density)");
                }
            }
        }
        boolean allSame = values.stream().distinct().count() == 1;
        if (methodKey.equals("density") && allSame) {
            p.putIfAbsent(methodKey, values.get(0));
        } else {
            p.putIfAbsent(methodKey, values);
        }
    }

    private static Checkpoint open(Path p, List<Checkpoint> opened) {
        Checkpoint c = Checkpoints.open(p);
        opened.add(c);
        return c;
    }

    private static Checkpoint tokenizerSource(MergeRecipe r, Checkpoint base, List<Checkpoint> opened) {
        String src = r.tokenizerSource();
        if (src == null || src.equals("base")) {
            return base;
        }
        for (int i = 0; i < r.models().size(); i++) {
            MergeRecipe.ModelEntry m = r.models().get(i);
            if (m.path().toString().equals(src) || m.taskName().equals(src) || m.path().endsWith(src)) {
                return (Checkpoint) opened.get(i + 1);
            }
        }
        throw new AmalgamException("tokenizer_source '" + src + "' is neither 'base' nor one of the models");
    }

    static void checkSameArchitecture(Checkpoint base, Checkpoint other) {
        if (base.config() == null || other.config() == null) {
            return;
        }
        for (String key : List.of("model_type", "architectures")) {
            JsonNode a = base.config().get(key);
            JsonNode b = other.config().get(key);
            if (a != null && b != null && !a.equals(b)) {
                throw new AmalgamException(other.describe() + ": config.json " + key + " " + b + " differs from base's " + a
                        + " — models to merge must share one architecture");
            }
        }
    }

    static byte[] toYaml(MergeRecipe r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("merge_method", r.method());
        m.put("base_model", r.base().toString());
        List<Map<String, Object>> models = new ArrayList<>();
        for (MergeRecipe.ModelEntry e : r.models()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("model", e.path().toString());
            x.put("name", e.taskName());
            if (!e.parameters().isEmpty()) {
                x.put("parameters", e.parameters());
            }
            models.add(x);
        }
        m.put("models", models);
        m.put("parameters", r.parameters());
        if (r.outDtype() != null) {
            m.put("out_dtype", r.outDtype());
        }
        m.put("tokenizer_source", r.tokenizerSource());
        if (r.scope() != null) {
            m.put("scope", r.scope());
        }
        m.put("seed", r.seed());
        if (r.lwptv() != null) {
            m.put("lwptv", r.lwptv());
        }
        try {
            return new ObjectMapper(new YAMLFactory()).writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the LwPTV saliency/mask tables to the output just before the sink commits. */
    private record SideFilesOnCommit(MergeSink sink, Lwptv lwptv, java.util.function.BiConsumer<String, byte[]> add)
            implements MergeSink {
        public void begin(List<dev.amalgam.io.TensorInfo> plan, MergeMethod m, MergeInputs in) {
            sink.begin(plan, m, in);
        }

        public void writeMerged(dev.amalgam.io.TensorInfo info, ai.djl.ndarray.NDArray a) {
            sink.writeMerged(info, a);
        }

        public void writeCopied(dev.amalgam.io.TensorInfo info, java.nio.ByteBuffer b) {
            sink.writeCopied(info, b);
        }

        public void writeModulation(dev.amalgam.io.TensorInfo info, TaskModulated.Modulation mod) {
            sink.writeModulation(info, mod);
        }

        public void commit(MergeMethod m) {
            if (lwptv != null) {
                add.accept("lwptv_saliency.csv", LwptvTables.csv(lwptv, false).getBytes(StandardCharsets.UTF_8));
                add.accept("lwptv_masks.csv", LwptvTables.csv(lwptv, true).getBytes(StandardCharsets.UTF_8));
            }
            sink.commit(m);
        }
    }
}
