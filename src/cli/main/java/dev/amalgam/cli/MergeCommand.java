package dev.amalgam.cli;

import ai.djl.Device;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.ByteSizes;
import dev.amalgam.io.DType;
import dev.amalgam.io.OutputLock;
import dev.amalgam.io.ShardedWriter;
import dev.amalgam.merge.LayoutAlignment;
import dev.amalgam.merge.job.MergeJob;
import dev.amalgam.recipe.MergeRecipe;
import dev.amalgam.recipe.RecipeParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code amalgam merge RECIPE.yaml --out DIR} or the flag form {@code --method ... --base ... --models ...}. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Merge fine-tuned checkpoints of one base model.",
                "Recipe form:  amalgam merge RECIPE.yaml --out DIR",
                "Flag form:    amalgam merge --method ties --base B --models A1,A2 --param k=20 --param lambda=0.3 --out DIR"})
public final class MergeCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", description = "MergeKit-compatible YAML recipe (+ Amalgam keys).")
    Path recipeFile;

    @Option(names = "--out", required = true, description = "Output directory (must not exist).")
    Path out;

    @Option(names = "--method", description = "Merge method (flag form), e.g. task_arithmetic, ties, emr, cart.")
    String method;

    @Option(names = "--base", description = "Pre-trained checkpoint (flag form).")
    Path base;

    @Option(names = "--models", split = ",", description = "Fine-tuned checkpoints, comma-separated (flag form).")
    List<Path> models;

    @Option(names = "--tasks", split = ",", description = "Task names for --models (default: directory names).")
    List<String> tasks;

    @Option(names = "--param", description = "Method hyperparameter KEY=VALUE (repeatable; lists as a,b,c).")
    List<String> params = new ArrayList<>();

    @Option(names = "--lwptv", arity = "0..1", fallbackValue = "", paramLabel = "OPTS", preprocessor = LwptvValue.class,
            description = "Wrap the method with LwPTV; optional KEY=VALUE,... (score, k, rule, threshold, keep_ratio, granularity).")
    String lwptv;

    @Option(names = "--scope", description = "global or tensor (TIES-family selection scope).")
    String scope;

    @Option(names = "--seed", description = "Seed for random methods (DARE). Default 0.")
    Long seed;

    @Option(names = "--out-dtype", description = "Output dtype: bf16, f16 or f32 (default: the recipe's out_dtype, else its dtype, "
            + "else each tensor's input dtype).")
    String outDtype;

    @Option(names = "--dtype", description = "MergeKit's dtype: round every input to bf16, f16 or f32 before merging; also the "
            + "output dtype unless --out-dtype/out_dtype is given (overrides the recipe's dtype).")
    String dtype;

    @Option(names = "--max-shard-size", defaultValue = "5GB", description = "Largest output shard, e.g. 500MB, 2GB (default 5GB).")
    String maxShardSize;

    @Option(names = "--device", defaultValue = "${env:AMALGAM_DEVICE:-cpu}",
            description = "cpu or gpu (default ${DEFAULT-VALUE}: AMALGAM_DEVICE, else cpu; docs/gpu.md).")
    String device;

    @Option(names = "--allow-nonfinite", description = "Merge even if inputs contain NaN/Inf.")
    boolean allowNonFinite;

    @Option(names = "--layout", defaultValue = "base", paramLabel = "base|finetune",
            description = "Fine-tunes saved from another model class than the base (BertForSequenceClassification of a "
                    + "BertModel …): the output takes the base's names and config.json (default) or the first such "
                    + "fine-tune's. Their task heads go to OUT/heads/<task>/ either way.")
    String layout;

    @Override
    public Integer call() {
        try (OutputLock lock = OutputLock.acquire(out)) {
            return merge();
        }
    }

    private int merge() {
        MergeRecipe recipe = recipeFile != null ? withOverrides(RecipeParser.parse(recipeFile)) : fromFlags();
        if (dtype != null) {
            DType.parseUser(dtype);
            recipe = recipe.withDtype(dtype);
        }
        ShardedWriter.requireNewOutput(out, List.of());
        MergeJob.Options o = new MergeJob.Options(out, outDtype == null ? null : DType.parseUser(outDtype),
                ByteSizes.parse(maxShardSize), device(device), allowNonFinite, ConsoleProgress.create("merge"),
                LayoutAlignment.Layout.parse(layout));
        MergeJob.Result r;
        try {
            r = MergeJob.run(recipe, o);
        } catch (AmalgamException e) {
            String where = recipeFile == null ? null : recipeFile.toString();
            throw where == null || e.getMessage().startsWith(where) ? e : new AmalgamException(where + ": " + e.getMessage());
        }
        r.notes().forEach(n -> System.err.println("amalgam: " + n));
        System.err.printf("amalgam: merged %d models with %s in %.1f s -> %s%n", recipe.models().size(),
                r.lwptv() != null ? r.lwptv().describe() : r.method().describe(), r.millis() / 1000.0, out);
        return 0;
    }

    static Device device(String name) {
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu": return Device.cpu();
            case "gpu": case "cuda":
                if (ai.djl.engine.Engine.getInstance().getGpuCount() == 0) {
                    throw new AmalgamException("--device gpu: no GPU visible to the PyTorch engine (the bundled libtorch is CPU-only: run with AMALGAM_DEVICE=gpu and a CUDA libtorch, docs/gpu.md)");
                }
                return Device.gpu();
            default: throw new AmalgamException("--device must be cpu or gpu, got '" + name + "'");
        }
    }

    private MergeRecipe withOverrides(MergeRecipe r) {
        if (method != null || base != null || models != null) {
            throw new AmalgamException("give either a recipe file or --method/--base/--models, not both");
        }
        Map<String, Object> p = new LinkedHashMap<>(r.parameters());
        p.putAll(parseParams());
        return r.withParameters(p, scope != null ? scope : r.scope(), seed != null ? seed : r.seed(),
                lwptv != null ? parseKv(lwptv, "--lwptv") : r.lwptv());
    }

    private MergeRecipe fromFlags() {
        if (method == null || base == null || models == null || models.isEmpty()) {
            throw new AmalgamException("give a recipe file, or all of --method, --base and --models");
        }
        if (tasks != null && tasks.size() != models.size()) {
            throw new AmalgamException("--tasks has " + tasks.size() + " names for " + models.size() + " models");
        }
        List<MergeRecipe.ModelEntry> entries = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Path p = models.get(i);
            String name = tasks != null ? tasks.get(i) : p.getFileName().toString().replaceFirst("\\.safetensors$", "");
            entries.add(new MergeRecipe.ModelEntry(p, name, Map.of()));
        }
        if (scope != null && !scope.equals("global") && !scope.equals("tensor")) {
            throw new AmalgamException("--scope must be global or tensor, got '" + scope + "'");
        }
        return new MergeRecipe(method + (lwptv != null ? "+lwptv" : ""), method, base, entries, parseParams(), null, "base",
                scope, seed == null ? 0L : seed, lwptv == null ? null : parseKv(lwptv, "--lwptv"));
    }

    private Map<String, Object> parseParams() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kv : params) {
            m.putAll(parseKv(kv, "--param"));
        }
        return m;
    }

    /** "a=1,b=x" → map; a value containing ',' needs its own --param (lists: --param weights=0.3,0.7 is one key). */
    static Map<String, Object> parseKv(String text, String flag) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return m;
        }
        if (flag.equals("--param")) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new AmalgamException(flag + " expects KEY=VALUE, got '" + text + "'");
            }
            m.put(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
            return m;
        }
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new AmalgamException(flag + " expects KEY=VALUE[,KEY=VALUE...], got '" + part + "'");
            }
            m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return m;
    }
}
