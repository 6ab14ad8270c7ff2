package dev.amalgam.run;

import dev.amalgam.AmalgamException;
import ai.djl.Device;
import dev.amalgam.eval.clip.ClipTaskOptions;
import dev.amalgam.eval.clip.ClipTaskSuite;
import dev.amalgam.eval.run.EvaluationSuite;
import dev.amalgam.eval.run.TextTaskSuite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** Registry of suite kinds a run recipe can name ({@code suite: {kind: ...}}): one line per kind. */
public final class SuiteKinds {

    /** How to open one kind: the option keys it accepts (besides kind) and a factory. */
    public record Kind(Set<String> options, Function<SuiteOptions, EvaluationSuite> open) {
    }

    private static final Map<String, Kind> KINDS = new TreeMap<>();

    static {
        register("text", Set.of("pretrained", "data", "models", "eval_cap", "max_length"), SuiteKinds::textSuite);
        register("clip-tasks", Set.of("pretrained", "data", "models", "suite", "catalog", "corruptions", "severity",
                "limit", "batch_size", "head_cache", "seed"), SuiteKinds::clipTasks);
        for (SuiteKindProvider p : java.util.ServiceLoader.load(SuiteKindProvider.class, SuiteKinds.class.getClassLoader())) {
            p.registerKinds();
        }
    }

    private SuiteKinds() {
    }

    /** Adds (or replaces) a kind; suites in other packages plug in here. */
    public static synchronized void register(String kind, Set<String> options, Function<SuiteOptions, EvaluationSuite> open) {
        KINDS.put(kind, new Kind(Set.copyOf(options), open));
    }

    public static synchronized Map<String, Kind> all() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(KINDS));
    }

    /**
     * Checks without opening anything that the suite's paths exist and that the recipe's tasks are among
     * its models (for {@code run --dry-run}): one line naming the key and what to do.
     */
    public static void checkPaths(RunRecipe.SuiteSpec spec, Path home, String where, List<String> tasks) {
        SuiteOptions o = new SuiteOptions(spec.options(), spec.baseDir(), home, where, Device.cpu());
        String hint = spec.options().values().stream().anyMatch(v -> String.valueOf(v).contains("models/zoo"))
                ? " (the demo zoo: build it with ./amalgam demo)" : "";
        for (String key : List.of("pretrained", "data", "catalog")) { // a demo "zoo" is built on use
            if (spec.options().containsKey(key) && !java.nio.file.Files.exists(o.path(key, null))) {
                throw new AmalgamException(where + ": key 'suite." + key + "': " + o.path(key, null) + " does not exist" + hint);
            }
        }
        if (spec.options().get("models") instanceof Map<?, ?> models) {
            for (Map.Entry<?, ?> e : models.entrySet()) {
                Path p = spec.baseDir().resolve(String.valueOf(e.getValue())).normalize();
                if (!java.nio.file.Files.exists(p)) {
                    throw new AmalgamException(where + ": key 'suite.models." + e.getKey() + "': " + p + " does not exist" + hint);
                }
            }
            for (String t : tasks) {
                if (!models.containsKey(t)) {
                    throw new AmalgamException(where + ": key 'tasks': unknown task '" + t + "'; the suite's models: "
                            + new TreeSet<>(models.keySet().stream().map(String::valueOf).toList()));
                }
            }
        }
    }

    /** Fails with one line naming {@code where} when the kind is unknown or an option key is not accepted. */
    public static synchronized void check(String kind, Set<String> keys, String where) {
        Kind k = KINDS.get(kind);
        if (k == null) {
            throw new AmalgamException(where + ": key 'suite.kind': unknown suite kind '" + kind + "'; known: " + KINDS.keySet());
        }
        for (String key : keys) {
            if (!key.equals("kind") && !k.options().contains(key)) {
                throw new AmalgamException(where + ": unknown key 'suite." + key + "' for kind " + kind + "; known: "
                        + new TreeSet<>(k.options()));
            }
        }
    }

    public static EvaluationSuite open(RunRecipe.SuiteSpec spec, Path home, String where) {
        return open(spec, home, where, Device.cpu());
    }

    /** @param device where suites that take a device evaluate (a Spark task's GPU; the text suites run on CPU) */
    public static EvaluationSuite open(RunRecipe.SuiteSpec spec, Path home, String where, Device device) {
        Kind k;
        synchronized (SuiteKinds.class) {
            k = KINDS.get(spec.kind());
        }
        check(spec.kind(), spec.options().keySet(), where);
        return k.open().apply(new SuiteOptions(spec.options(), spec.baseDir(), home, where, device));
    }

    /** {pretrained: DIR, data: DIR, models: {task: DIR}}: a BERT-family encoder and its fine-tuned classifiers. */
    private static EvaluationSuite textSuite(SuiteOptions o) {
        Map<String, Path> models = o.models(true);
        return new TextTaskSuite(o.path("pretrained", null), o.path("data", null), models,
                o.integer("max_length", TextTaskSuite.DEFAULT_MAX_LENGTH), o.integer("eval_cap", 200));
    }

    /**
     * A CLIP model and its fine-tunes on local image-folder tasks (docs/eval.md): {pretrained, data, models:
     * {task: DIR}, suite: ta8|tall14|tall20|NAME (default: the models' tasks), catalog, corruptions, ...}.
     */
    private static EvaluationSuite clipTasks(SuiteOptions o) {
        Map<String, Path> models = o.models(false);
        Object suite = o.options().get("suite");
        if (suite == null && models.isEmpty()) {
            throw new AmalgamException(o.where() + ": key 'suite.suite': give a task suite (ta8, tall14, tall20) or suite.models");
        }
        Object c = o.options().getOrDefault("corruptions", "all");
        String corruptions = c instanceof java.util.List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(c);
        return new ClipTaskSuite(new ClipTaskOptions(o.path("pretrained", null), models, o.path("data", null),
                suite == null ? null : String.valueOf(suite), suite == null ? List.copyOf(models.keySet()) : null,
                o.options().containsKey("catalog") ? o.path("catalog", null) : null,
                ClipTaskOptions.parseCorruptions(corruptions), o.integer("severity", ClipTaskOptions.DEFAULT_SEVERITY),
                o.options().containsKey("limit") ? o.integer("limit", 0) : 0,
                o.integer("batch_size", ClipTaskOptions.DEFAULT_BATCH),
                o.options().containsKey("head_cache") ? o.path("head_cache", null) : ClipTaskOptions.defaultCacheDir(),
                o.device(), o.seed()));
    }

    /** A suite's options with typed getters; paths resolve against the recipe's directory. */
    public record SuiteOptions(Map<String, Object> options, Path baseDir, Path home, String where, Device device) {

        public Path path(String key, Path def) {
            Object v = options.get(key);
            if (v == null) {
                if (def == null) {
                    throw new AmalgamException(where + ": missing key 'suite." + key + "'");
                }
                return def;
            }
            return resolve(String.valueOf(v), "suite." + key);
        }

        Path resolve(String value, String key) {
            Path p = baseDir.resolve(value).normalize();
            if (!Files.exists(p) && !key.equals("suite.zoo") && !key.equals("suite.head_cache")) { // created on use
                throw new AmalgamException(where + ": key '" + key + "': " + p + " not found"
                        + (p.toString().contains("models/zoo") ? " (the demo zoo: build it with ./amalgam demo)" : ""));
            }
            return p;
        }

        /** suite.models: task → checkpoint directory. */
        public Map<String, Path> models(boolean required) {
            Map<String, Path> models = new LinkedHashMap<>();
            Object m = options.get("models");
            if (m == null && !required) {
                return models;
            }
            if (!(m instanceof Map<?, ?> mm) || mm.isEmpty()) {
                throw new AmalgamException(where + ": key 'suite.models': expected a mapping task: DIR");
            }
            mm.forEach((t, dir) -> models.put(String.valueOf(t), resolve(String.valueOf(dir), "suite.models." + t)));
            return models;
        }

        /** suite.seed: any integer, default 0. */
        public long seed() {
            Object v = options.getOrDefault("seed", 0);
            if (!(v instanceof Integer || v instanceof Long)) {
                throw new AmalgamException(where + ": key 'suite.seed': expected an integer, got '" + v + "'");
            }
            return ((Number) v).longValue();
        }

        public int integer(String key, int def) {
            Object v = options.get(key);
            if (v == null) {
                return def;
            }
            if (!(v instanceof Integer i) || i <= 0) {
                throw new AmalgamException(where + ": key 'suite." + key + "': expected a positive integer, got '" + v + "'");
            }
            return i;
        }
    }
}
