package dev.amalgam.merge.job;

import dev.amalgam.merge.MemorySink;

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
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.merge.lwptv.Lwptv;
import dev.amalgam.merge.mergekit.EngineAdapters;
import dev.amalgam.merge.mergekit.MergeKitMethod;
import dev.amalgam.merge.mergekit.MergeKitMethods;
import dev.amalgam.merge.mergekit.MergeKitPlan;
import dev.amalgam.merge.mergekit.TensorParameters;
import dev.amalgam.merge.mergekit.TokenizerFiles;
import dev.amalgam.merge.mergekit.VocabularyPlan;
import dev.amalgam.merge.mergekit.PermutedEmbeddings;
import dev.amalgam.merge.mergekit.EmbeddingRows;
import dev.amalgam.merge.lwptv.LwptvOptions;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.io.ParameterBlocks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.amalgam.merge.CheckpointSink;
import dev.amalgam.merge.HfArchitectures;
import dev.amalgam.merge.LayoutAlignment;
import dev.amalgam.merge.MergeInputs;
import dev.amalgam.merge.MergeMethod;
import dev.amalgam.merge.MergeSink;
import dev.amalgam.merge.MethodParams;
import dev.amalgam.merge.ModulatedSink;
import dev.amalgam.merge.StreamingExecutor;
import dev.amalgam.merge.TaskHeads;
import dev.amalgam.merge.TaskModulated;

/**
 * The library entry point for one merge: opens the checkpoints named by a recipe, builds the method
 * (optionally wrapped by LwPTV), streams it with {@link StreamingExecutor} and writes a Hugging Face
 * directory (or, for EMR/TALL, a modulated directory), atomically.
 */
public final class MergeJob {

    /**
     * Output and execution settings (CLI flags).
     *
     * @param layout whose names and config.json the output takes when fine-tunes were saved from another
     *               model class than the base ({@link LayoutAlignment}); the base's by default
     */
    public record Options(Path out, DType outDtype, long maxShardSize, Device device, boolean allowNonFinite,
                          StreamingExecutor.Progress progress, LayoutAlignment.Layout layout) {
        public Options {
            layout = layout == null ? LayoutAlignment.Layout.BASE : layout;
        }

        public Options(Path out, DType outDtype, long maxShardSize, Device device, boolean allowNonFinite,
                       StreamingExecutor.Progress progress) {
            this(out, outDtype, maxShardSize, device, allowNonFinite, progress, LayoutAlignment.Layout.BASE);
        }
    }

    /**
     * What ran: the configured method (for EMR/TALL a TaskModulated), and the LwPTV wrapper if any.
     *
     * @param notes one line per fine-tune renamed onto the base (mapping, merged tensors, head kept aside)
     */
    public record Result(Path out, MergeMethod method, Lwptv lwptv, long millis, List<String> notes) {
    }

    private MergeJob() {
    }

    public static Result run(MergeRecipe recipe, Options o) {
        return runWith(recipe, o, null);
    }

    /** As {@link #run}, with {@code override} in place of the recipe's method when not null (benchmarks). */
    public static Result runWith(MergeRecipe recipe, Options o, MergeMethod override) {
        return execute(recipe, o, override, null);
    }

    /**
     * As {@link #runWith}, into {@code memory} instead of a directory ({@code o.out()} is not used): a sweep cell
     * evaluates the merged model, or each task's reconstruction, without writing it to disk and reading it back.
     */
    public static Result runInto(MergeRecipe recipe, Options o, MergeMethod override, MemorySink memory) {
        return execute(recipe, o, override, java.util.Objects.requireNonNull(memory));
    }

    private static Result execute(MergeRecipe recipe, Options o, MergeMethod override, MemorySink memory) {
        long start = System.nanoTime();
        List<Checkpoint> opened = new ArrayList<>();
        Map<Path, Checkpoint> byPath = new java.util.HashMap<>();
        java.util.function.Function<Path, Checkpoint> open = p -> byPath.computeIfAbsent(p, q -> open(q, opened));
        try {
            boolean mergekit = override == null && EngineAdapters.isMergeKit(recipe.method(), variantKeys(recipe));
            MergeInputs in;
            MergeMethod method;
            ObjectNode config;
            VocabularyPlan vocab = null;
            LayoutAlignment.Result alignment;
            if (mergekit) {
                MergeKitPlan plan = MergeKitPlan.of(recipe, open, o.layout());
                alignment = plan.alignment();
                MergeKitMethod m = MergeKitMethods.get(recipe.method()).factory().create(
                        new TensorParameters(recipe.method(), recipe.parameters(), plan.contexts()), plan.hasBase(), recipe.seed());
                m.validate(recipe.name(), plan.perModel());
                if (!recipe.usesSlices()) {
                    List<Map<String, Object>> taskParams = new ArrayList<>();
                    recipe.models().forEach(e -> taskParams.add(e.parameters()));
                    m.requireModelParams(recipe.name(), recipe.base() == null ? taskParams.subList(1, taskParams.size())
                            : taskParams, List.of());
                }
                in = plan.inputs();
                method = m;
                config = plan.config();
                if (recipe.tokenizer() != null || recipe.tokenizerSource() != null) {
                    vocab = vocabulary(recipe, plan, open);
                    List<TensorSource> all = new ArrayList<>(in.models());
                    all.add(in.base());
                    List<TensorSource> wrapped = PermutedEmbeddings.wrap(vocab, all);
                    in = new MergeInputs(wrapped.get(all.size() - 1), wrapped.subList(0, all.size() - 1), in.taskNames());
                    if (config != null) {
                        config.put("vocab_size", vocab.rows());
                    }
                }
                in = EmbeddingRows.rectify(in, recipe.method());
            } else {
                if (recipe.usesSlices()) {
                    throw new AmalgamException("slices: apply to MergeKit methods; '" + recipe.method() + "' with "
                            + variantKeys(recipe).keySet() + " runs on Amalgam's engine, which merges whole models (use models:)");
                }
                if (recipe.base() == null) {
                    throw new AmalgamException(recipe.method() + " needs base_model");
                }
                Checkpoint base = open.apply(recipe.base());
                List<Checkpoint> models = new ArrayList<>();
                List<String> tasks = new ArrayList<>();
                for (MergeRecipe.ModelEntry m : recipe.models()) {
                    models.add(open.apply(m.path()));
                    tasks.add(m.taskName());
                }
                alignment = LayoutAlignment.align(base, models, tasks, o.layout());
                in = new MergeInputs(alignment.base(), alignment.models(), tasks);
                method = override != null ? override : buildMethod(recipe);
                config = alignment.config();
            }
            Checkpoint first = opened.get(0);
            for (Checkpoint c : opened) {
                if (alignment != null && alignment.mapped(c)) {
                    checkSameFamily(first, c);
                } else {
                    checkSameArchitecture(first, c);
                }
            }
            List<String> notes = alignment == null ? List.of() : alignment.notes();
            Map<String, dev.amalgam.io.ShardedWriter.Content> heads = alignment == null ? Map.of()
                    : TaskHeads.files(alignment);
            if (new java.util.HashSet<>(in.taskNames()).size() != in.taskNames().size()) {
                throw new AmalgamException("task names must be unique, got " + in.taskNames() + " (set models[].name in the recipe)");
            }
            LwptvOptions lw = recipe.lwptv() == null ? null : LwptvOptions.from(recipe.lwptv());
            Lwptv lwptv = lw == null ? null : lw.wrap(method);
            MergeMethod run = lwptv != null ? lwptv : method;

            List<Path> inputs = new ArrayList<>(byPath.keySet());
            List<Path> inputFiles = new ArrayList<>();
            opened.forEach(c -> inputFiles.addAll(c.weightFiles()));
            byte[] recipeYaml = withHeader(toYaml(recipe), run.describe());
            Map<String, String> meta = new LinkedHashMap<>(Provenance.metadata(inputFiles, Provenance.Mode.QUICK));
            meta.put("recipe_sha256", sha256(recipeYaml));
            meta.put("merge_method", run.describe());
            DType outDtype = o.outDtype() != null ? o.outDtype()
                    : recipe.outDtype() != null ? DType.parseUser(recipe.outDtype())
                    : method instanceof MergeKitMethod mk && mk.forcedOutputDtype() != null ? mk.forcedOutputDtype()
                    : recipe.dtype() != null ? DType.parseUser(recipe.dtype()) : null;
            ParameterBlocks.Granularity g = lw == null ? ParameterBlocks.Granularity.BLOCK : lw.granularity();
            StreamingExecutor exec = new StreamingExecutor(o.device(), n -> ParameterBlocks.groupOf(n, g),
                    !o.allowNonFinite(), o.progress()).roundInputsTo(recipe.dtype() == null ? null : DType.parseUser(recipe.dtype()));
            if (mergekit) {
                exec.allowNoTasks();
            }
            Path baseDir = recipe.base() != null ? recipe.base() : first.location();
            if (memory != null) {
                memory.outputDtype(outDtype);
                exec.run(run, in, memory);
            } else if (run instanceof TaskModulated) {
                if (o.layout() == LayoutAlignment.Layout.FINETUNE && !notes.isEmpty()) {
                    throw new AmalgamException("--layout finetune: " + run.name() + " writes a task-modulated output that "
                            + "'amalgam materialize' rebuilds under the base's names; use the base's layout (the default)");
                }
                try (ModulatedSink sink = new ModulatedSink(o.out(), o.maxShardSize(), meta, inputs, baseDir)) {
                    sink.addSideFile("amalgam_recipe.yml", recipeYaml);
                    heads.forEach(sink::addSideFile);
                    exec.run(run, in, new SideFilesOnCommit(sink, lwptv, sink::addSideFile));
                }
            } else {
                TokenizerFiles tok = TokenizerFiles.choose(recipe, first, opened, open, vocab);
                try (CheckpointSink sink = new CheckpointSink(o.out(), outDtype, o.maxShardSize(), meta, inputs,
                        tok.auxFiles(), config)) {
                    sink.addSideFile("amalgam_recipe.yml", recipeYaml);
                    tok.sideFiles().forEach(sink::addSideFile);
                    heads.forEach(sink::addSideFile);
                    exec.run(run, in, new SideFilesOnCommit(sink, lwptv, sink::addSideFile));
                }
            }
            return new Result(o.out(), method, lwptv, (System.nanoTime() - start) / 1_000_000, notes);
        } finally {
            opened.forEach(Checkpoint::close);
        }
    }

    /** MergeKit's tokenizer merge for a models-form recipe: output vocabulary and embedding sources. */
    private static VocabularyPlan vocabulary(MergeRecipe r, MergeKitPlan plan, java.util.function.Function<Path, Checkpoint> open) {
        if (r.usesSlices()) {
            throw new AmalgamException("a tokenizer merge (tokenizer_source / tokenizer) with slices is not implemented; use models:");
        }
        // Engine order: the task models, then the base (or the first model when the recipe has no base).
        List<Checkpoint> inputs = new ArrayList<>();
        List<MergeRecipe.ModelEntry> models = r.models();
        for (int i = r.base() == null ? 1 : 0; i < models.size(); i++) {
            inputs.add(open.apply(models.get(i).path()));
        }
        inputs.add(open.apply(r.base() != null ? r.base() : models.get(0).path()));
        Map<Path, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            index.putIfAbsent(inputs.get(i).location().toAbsolutePath().normalize(), i);
        }
        Map<String, Object> t = r.tokenizer();
        String source = t != null ? (String) t.get("source") : r.tokenizerSource();
        @SuppressWarnings("unchecked")
        Map<String, Object> tokens = t == null ? Map.of() : (Map<String, Object>) t.get("tokens");
        int pad = t != null && t.get("pad_to_multiple_of") != null ? (Integer) t.get("pad_to_multiple_of") : 0;
        return new VocabularyPlan(inputs, plan.hasBase(), source, tokens, pad,
                p -> index.get(p.toAbsolutePath().normalize()), open);
    }

    /** The recipe's keys that may select an Amalgam paper variant of a MergeKit-named method. */
    static Map<String, Object> variantKeys(MergeRecipe r) {
        Map<String, Object> keys = new LinkedHashMap<>(r.parameters());
        if (r.scope() != null) {
            keys.put("scope", r.scope());
        }
        return keys;
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

    /** The written recipe starts with a comment naming the method with every effective parameter. */
    static byte[] withHeader(byte[] yaml, String effective) {
        String header = "# Written by amalgam merge; replay with: amalgam merge amalgam_recipe.yml --out DIR\n"
                + "# effective method: " + effective.replace('\n', ' ') + "\n";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(h, h.length + yaml.length);
        System.arraycopy(yaml, 0, out, h.length, yaml.length);
        return out;
    }

    /**
     * For a fine-tune renamed onto the base: the classes may differ (that is the point), but not the
     * family — both known to {@link HfArchitectures} (then one family by construction), or one model_type.
     */
    static void checkSameFamily(Checkpoint base, Checkpoint other) {
        if (HfArchitectures.of(base.config()) != null && HfArchitectures.of(other.config()) != null) {
            return;
        }
        JsonNode a = base.config() == null ? null : base.config().get("model_type");
        JsonNode b = other.config() == null ? null : other.config().get("model_type");
        if (a != null && b != null && !a.equals(b)) {
            throw new AmalgamException(other.describe() + ": config.json model_type " + b + " differs from base's " + a
                    + " — models to merge must share one architecture");
        }
    }

    /** The recipe as replayable YAML: MergeKit grammar, absolute paths, every key that was set. */
    static byte[] toYaml(MergeRecipe r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("merge_method", r.method());
        if (r.base() != null) {
            m.put("base_model", r.base().toAbsolutePath().toString());
        }
        if (r.usesSlices()) {
            List<Map<String, Object>> slices = new ArrayList<>();
            for (MergeRecipe.Slice s : r.slices()) {
                Map<String, Object> x = new LinkedHashMap<>();
                List<Map<String, Object>> sources = new ArrayList<>();
                for (MergeRecipe.SliceSource src : s.sources()) {
                    Map<String, Object> y = new LinkedHashMap<>();
                    y.put("model", src.model().toAbsolutePath().toString());
                    y.put("layer_range", List.of(src.from(), src.to()));
                    if (!src.parameters().isEmpty()) {
                        y.put("parameters", src.parameters());
                    }
                    sources.add(y);
                }
                x.put("sources", sources);
                if (s.base() != null) {
                    x.put("base_model", s.base().toAbsolutePath().toString());
                }
                if (!s.parameters().isEmpty()) {
                    x.put("parameters", s.parameters());
                }
                slices.add(x);
            }
            m.put("slices", slices);
        } else {
            List<Map<String, Object>> models = new ArrayList<>();
            if (r.baseListed()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("model", r.base().toAbsolutePath().toString());
                if (!r.baseParameters().isEmpty()) {
                    x.put("parameters", r.baseParameters());
                }
                models.add(x);
            }
            for (MergeRecipe.ModelEntry e : r.models()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("model", e.path().toAbsolutePath().toString());
                x.put("name", e.taskName());
                if (!e.parameters().isEmpty()) {
                    x.put("parameters", e.parameters());
                }
                models.add(x);
            }
            m.put("models", models);
        }
        if (!r.parameters().isEmpty()) {
            m.put("parameters", r.parameters());
        }
        if (r.dtype() != null) {
            m.put("dtype", r.dtype());
        }
        if (r.outDtype() != null) {
            m.put("out_dtype", r.outDtype());
        }
        if (r.tokenizerSource() != null) {
            m.put("tokenizer_source", r.tokenizerSource());
        }
        if (r.chatTemplate() != null) {
            m.put("chat_template", r.chatTemplate());
        }
        if (r.tokenizer() != null) {
            m.put("tokenizer", r.tokenizer());
        }
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
