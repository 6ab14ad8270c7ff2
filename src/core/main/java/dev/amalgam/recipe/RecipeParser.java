package dev.amalgam.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads recipes in MergeKit's YAML grammar (docs/mergekit.md) into {@link MergeRecipe}. Every key is
 * either implemented or refused with one line naming the file and the key; nothing is ignored.
 */
public final class RecipeParser {
    private static final Set<String> KNOWN = Set.of("merge_method", "base_model", "models", "slices", "parameters",
            "dtype", "out_dtype", "tokenizer_source", "tokenizer", "chat_template", "modules", "name", "scope", "seed",
            "lwptv", "data");
    private static final Set<String> MODEL_KEYS = Set.of("model", "parameters", "name", "data");
    private static final Set<String> SLICE_KEYS = Set.of("sources", "base_model", "parameters", "residual_weight");
    private static final Set<String> SOURCE_KEYS = Set.of("model", "layer_range", "parameters");

    private RecipeParser() {
    }

    public static MergeRecipe parse(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AmalgamException(file + ": recipe file not found");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read recipe: " + e.getMessage());
        }
        return parse(text, file.toAbsolutePath().getParent(), file.toString());
    }

    public static MergeRecipe parse(String text, Path baseDir, String where) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new AmalgamException(where + ": invalid YAML" + at + ": "
                    + e.getOriginalMessage().replaceAll("\\s+", " ").trim());
        }
        if (root == null || !root.isObject()) {
            throw new AmalgamException(where + ": a recipe must be a YAML mapping");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k)) {
                throw new AmalgamException(where + ": unknown recipe key '" + k + "'; known: " + new TreeSet<>(KNOWN));
            }
        }
        refuse(root, where);
        String method = text(root, "merge_method", where, true);
        String baseStr = text(root, "base_model", where, false);
        Path base = baseStr == null ? null : resolve(baseDir, baseStr, where + ": base_model");
        boolean hasModels = root.hasNonNull("models");
        boolean hasSlices = root.hasNonNull("slices");
        if (hasModels == hasSlices) {
            throw new AmalgamException(where + ": give exactly one of 'models' and 'slices'");
        }
        List<MergeRecipe.ModelEntry> models = new ArrayList<>();
        boolean baseListed = false;
        Map<String, Object> baseParams = Map.of();
        List<MergeRecipe.Slice> slices = List.of();
        if (hasModels) {
            JsonNode modelsNode = root.get("models");
            if (!modelsNode.isArray() || modelsNode.isEmpty()) {
                throw new AmalgamException(where + ": 'models' must be a non-empty list of {model: PATH, parameters: {...}}");
            }
            int i = 0;
            for (JsonNode m : modelsNode) {
                MergeRecipe.ModelEntry e = modelEntry(m, where + ": models[" + i + "]", baseDir);
                if (base != null && e.path().equals(base)) {
                    if (baseListed) {
                        throw new AmalgamException(where + ": models[" + i + "]: the base model is listed twice");
                    }
                    baseListed = true;
                    baseParams = e.parameters();
                } else {
                    models.add(e);
                }
                i++;
            }
        } else {
            slices = slices(root.get("slices"), where, baseDir);
        }
        String dtype = dtype(root, "dtype", where);
        String scope = text(root, "scope", where, false);
        if (scope != null && !scope.equals("global") && !scope.equals("tensor")) {
            throw new AmalgamException(where + ": scope must be 'global' or 'tensor', got '" + scope + "'");
        }
        if (root.hasNonNull("seed") && !root.get("seed").canConvertToLong()) {
            throw new AmalgamException(where + ": seed must be an integer");
        }
        long seed = root.hasNonNull("seed") ? root.get("seed").asLong() : 0L;
        String tokenizerSource = text(root, "tokenizer_source", where, false);
        if (tokenizerSource != null && !tokenizerSource.equals("base") && !tokenizerSource.equals("union")) {
            tokenizerSource = resolve(baseDir, tokenizerSource, where + ": tokenizer_source").toString();
        }
        String chatTemplate = text(root, "chat_template", where, false);
        Map<String, Object> tokenizer = root.hasNonNull("tokenizer") ? tokenizer(root.get("tokenizer"), where + ": tokenizer", baseDir)
                : null;
        Map<String, Object> lwptv = root.has("lwptv") && !root.get("lwptv").isNull()
                ? params(root.get("lwptv"), where + ": lwptv") : null;
        String name = text(root, "name", where, false);
        Map<String, Object> parameters = params(root.get("parameters"), where + ": parameters");
        if (root.hasNonNull("data")) { // data-aware methods: where each task's examples come from
            parameters = new LinkedHashMap<>(parameters);
            parameters.put("data", RecipeDataParser.get(where).parse(root.get("data"), where, baseDir));
        }
        Map<String, Map.Entry<JsonNode, String>> taskData = modelData(root, models, base, baseDir, where);
        if (!taskData.isEmpty()) {
            if (root.hasNonNull("data")) {
                throw new AmalgamException(where + ": give each model's data either under the top-level data: key "
                        + "or under models[].data, not both");
            }
            if (parameters.containsKey("split")) {
                throw new AmalgamException(where + ": parameters.split: names a suite split; models[].data reads files");
            }
            Map<String, Path> dirs = new LinkedHashMap<>();
            models.forEach(e -> dirs.put(e.taskName(), e.path()));
            parameters = new LinkedHashMap<>(parameters);
            parameters.put("data", RecipeDataParser.get(where).parseModelData(taskData, dirs, base, where, baseDir));
        }
        return new MergeRecipe(name != null ? name : method, method, base, models, slices,
                parameters, dtype, dtype(root, "out_dtype", where),
                tokenizerSource, chatTemplate, tokenizer, baseListed, baseParams, scope, seed, lwptv);
    }

    /**
     * Each model's {@code data:} node with its key, by task name; empty when none has one. Either every
     * fine-tune names its data or none does.
     */
    private static Map<String, Map.Entry<JsonNode, String>> modelData(JsonNode root, List<MergeRecipe.ModelEntry> models,
                                                                     Path base, Path baseDir, String where) {
        Map<String, Map.Entry<JsonNode, String>> out = new LinkedHashMap<>();
        JsonNode list = root.get("models");
        if (list == null || !list.isArray()) {
            return out;
        }
        List<String> missing = new ArrayList<>();
        int i = 0;
        int fineTune = 0;
        for (JsonNode m : list) {
            String key = "models[" + i++ + "]";
            Path p = modelPath(baseDir, m.isObject() ? m.get("model").asText() : m.asText(), where + ": " + key);
            boolean isBase = base != null && p.equals(base);
            if (m.isObject() && m.has("data")) {
                if (isBase) {
                    throw new AmalgamException(where + ": " + key + ".data: the base model needs no data");
                }
                out.put(models.get(fineTune).taskName(), Map.entry(m.get("data"), key + ".data"));
            } else if (!isBase) {
                missing.add(key);
            }
            fineTune += isBase ? 0 : 1;
        }
        if (!out.isEmpty() && !missing.isEmpty()) {
            throw new AmalgamException(where + ": " + missing.get(0) + ": has no data: block but other models do; "
                    + "name every fine-tune's data");
        }
        return out;
    }

    /** MergeKit keys whose feature Amalgam does not implement: one line each, with the reason. */
    private static void refuse(JsonNode root, String where) {
        if (root.has("modules")) {
            throw new AmalgamException(where + ": key 'modules' (MergeKit multi-module merges) is not implemented; "
                    + "use 'models' or 'slices' (docs/mergekit.md)");
        }
        if (root.hasNonNull("tokenizer") && root.hasNonNull("tokenizer_source")) {
            throw new AmalgamException(where + ": give either 'tokenizer' or 'tokenizer_source', not both (as in MergeKit)");
        }
    }

    private static MergeRecipe.ModelEntry modelEntry(JsonNode m, String mw, Path baseDir) {
        JsonNode pathNode;
        Map<String, Object> params = Map.of();
        String taskName = null;
        if (m.isTextual()) {
            pathNode = m;
        } else if (m.isObject()) {
            checkKeys(m, MODEL_KEYS, mw);
            pathNode = m.get("model");
            params = params(m.get("parameters"), mw + ".parameters");
            taskName = m.hasNonNull("name") ? m.get("name").asText() : null;
        } else {
            throw new AmalgamException(mw + ": expected a path or {model: PATH, parameters: {...}}");
        }
        if (pathNode == null || !pathNode.isTextual() || pathNode.asText().isBlank()) {
            throw new AmalgamException(mw + ": missing 'model' path");
        }
        Path p = modelPath(baseDir, pathNode.asText(), mw);
        return new MergeRecipe.ModelEntry(p, taskName != null ? taskName : defaultTaskName(p), params);
    }

    private static List<MergeRecipe.Slice> slices(JsonNode node, String where, Path baseDir) {
        if (!node.isArray() || node.isEmpty()) {
            throw new AmalgamException(where + ": 'slices' must be a non-empty list of {sources: [...]}");
        }
        List<MergeRecipe.Slice> out = new ArrayList<>();
        int i = 0;
        for (JsonNode s : node) {
            String sw = where + ": slices[" + i + "]";
            if (!s.isObject()) {
                throw new AmalgamException(sw + ": expected {sources: [...], parameters: {...}}");
            }
            checkKeys(s, SLICE_KEYS, sw);
            if (s.has("residual_weight")) {
                throw new AmalgamException(sw + ": key 'residual_weight' is refused: MergeKit parses it but never applies it, "
                        + "so it cannot mean anything here either");
            }
            JsonNode src = s.get("sources");
            if (src == null || !src.isArray() || src.isEmpty()) {
                throw new AmalgamException(sw + ": 'sources' must be a non-empty list of {model: PATH, layer_range: [a, b]}");
            }
            List<MergeRecipe.SliceSource> sources = new ArrayList<>();
            int j = 0;
            for (JsonNode x : src) {
                String xw = sw + ".sources[" + j + "]";
                if (!x.isObject()) {
                    throw new AmalgamException(xw + ": expected {model: PATH, layer_range: [a, b]}");
                }
                checkKeys(x, SOURCE_KEYS, xw);
                JsonNode model = x.get("model");
                if (model == null || !model.isTextual() || model.asText().isBlank()) {
                    throw new AmalgamException(xw + ": missing 'model' path");
                }
                JsonNode lr = x.get("layer_range");
                if (lr == null || !lr.isArray() || lr.size() != 2 || !lr.get(0).canConvertToInt() || !lr.get(1).canConvertToInt()
                        || !lr.get(0).isIntegralNumber() || !lr.get(1).isIntegralNumber()) {
                    throw new AmalgamException(xw + ": 'layer_range' must be [start, end] (integers, end exclusive)");
                }
                int from = lr.get(0).asInt();
                int to = lr.get(1).asInt();
                if (from < 0 || to <= from) {
                    throw new AmalgamException(xw + ": layer_range [" + from + ", " + to + "] must have 0 <= start < end");
                }
                sources.add(new MergeRecipe.SliceSource(modelPath(baseDir, model.asText(), xw), from, to,
                        params(x.get("parameters"), xw + ".parameters")));
                j++;
            }
            int layers = sources.get(0).layers();
            for (MergeRecipe.SliceSource x : sources) {
                if (x.layers() != layers) {
                    throw new AmalgamException(sw + ": all sources of a slice must cover the same number of layers, got "
                            + sources.stream().map(MergeRecipe.SliceSource::layers).toList());
                }
            }
            String sb = text(s, "base_model", sw, false);
            out.add(new MergeRecipe.Slice(sources, sb == null ? null : resolve(baseDir, sb, sw + ".base_model"),
                    params(s.get("parameters"), sw + ".parameters")));
            i++;
        }
        return out;
    }

    /** MergeKit's tokenizer block: source (union), tokens {TOKEN: {source, force}}, pad_to_multiple_of; paths resolved. */
    private static Map<String, Object> tokenizer(JsonNode n, String where, Path baseDir) {
        if (!n.isObject()) {
            throw new AmalgamException(where + ": expected {source, tokens, pad_to_multiple_of}");
        }
        checkKeys(n, Set.of("source", "tokens", "pad_to_multiple_of"), where);
        Map<String, Object> out = new LinkedHashMap<>();
        String source = n.hasNonNull("source") ? n.get("source").asText() : "union";
        out.put("source", source.equals("union") || source.equals("base") ? source
                : resolve(baseDir, source, where + ".source").toString());
        if (n.hasNonNull("pad_to_multiple_of")) {
            if (!n.get("pad_to_multiple_of").canConvertToInt() || n.get("pad_to_multiple_of").asInt() <= 0) {
                throw new AmalgamException(where + ".pad_to_multiple_of: must be a positive integer");
            }
            out.put("pad_to_multiple_of", n.get("pad_to_multiple_of").asInt());
        }
        Map<String, Object> tokens = new LinkedHashMap<>();
        if (n.hasNonNull("tokens")) {
            if (!n.get("tokens").isObject()) {
                throw new AmalgamException(where + ".tokens: expected a mapping TOKEN: {source, force}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.get("tokens").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String tw = where + ".tokens." + e.getKey();
                JsonNode cfg = e.getValue();
                if (!cfg.isObject()) {
                    throw new AmalgamException(tw + ": expected {source, force}");
                }
                checkKeys(cfg, Set.of("source", "force"), tw);
                Map<String, Object> c = new LinkedHashMap<>();
                if (cfg.has("force")) {
                    c.put("force", cfg.get("force").asBoolean());
                }
                JsonNode src = cfg.get("source");
                if (src != null && src.isTextual()) {
                    c.put("source", resolve(baseDir, src.asText(), tw + ".source").toString());
                } else if (src != null && src.isObject()) {
                    checkKeys(src, Set.of("kind", "model", "token", "token_id"), tw + ".source");
                    Map<String, Object> sm = new LinkedHashMap<>();
                    sm.put("kind", src.path("kind").asText());
                    if (src.has("model")) {
                        sm.put("model", resolve(baseDir, src.get("model").asText(), tw + ".source.model").toString());
                    }
                    if (src.has("token")) {
                        sm.put("token", src.get("token").asText());
                    }
                    if (src.has("token_id")) {
                        sm.put("token_id", src.get("token_id").asInt());
                    }
                    c.put("source", sm);
                } else if (src != null && !src.isNull()) {
                    throw new AmalgamException(tw + ".source: expected a model path or {kind: zero|model_token, ...}");
                }
                tokens.put(e.getKey(), c);
            }
        }
        out.put("tokens", tokens);
        return out;
    }

    static String defaultTaskName(Path p) {
        Path f = p.getFileName();
        String s = f == null ? p.toString() : f.toString();
        return s.replaceFirst("\\.safetensors$", "");
    }

    private static Path modelPath(Path baseDir, String s, String where) {
        if (s.contains("+") && !Files.exists(resolve(baseDir, s, where))) {
            throw new AmalgamException(where + ": '" + s + "' looks like MergeKit's MODEL+LORA syntax; LoRA application is "
                    + "not implemented (merge the adapter into the model first)");
        }
        return resolve(baseDir, s, where);
    }

    private static Path resolve(Path baseDir, String s, String where) {
        try {
            Path p = Path.of(s);
            return (p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            throw new AmalgamException(where + ": '" + s + "' is not a valid path (" + e.getReason() + ")");
        }
    }

    private static void checkKeys(JsonNode n, Set<String> known, String where) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new AmalgamException(where + ": unknown key '" + k + "' (expected " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    private static String dtype(JsonNode root, String key, String where) {
        String s = text(root, key, where, false);
        if (s == null) {
            return null;
        }
        try {
            DType.parseUser(s.replaceFirst("^torch\\.", ""));
        } catch (AmalgamException e) {
            throw new AmalgamException(where + ": " + key + ": unknown dtype '" + s + "' (float32, float16, bfloat16)");
        }
        return s.replaceFirst("^torch\\.", "");
    }

    private static String text(JsonNode root, String key, String where, boolean required) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                throw new AmalgamException(where + ": missing required key '" + key + "'");
            }
            return null;
        }
        if (!n.isValueNode()) {
            throw new AmalgamException(where + ": '" + key + "' must be a single value");
        }
        return n.asText();
    }

    /** A parameters mapping: each value a scalar, a list of scalars (gradient), or filter conditionals. */
    static Map<String, Object> params(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new AmalgamException(where + ": expected a mapping of name: value");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), setting(e.getValue(), where + "." + e.getKey(), true));
        }
        return out;
    }

    private static Object setting(JsonNode v, String where, boolean allowConditional) {
        if (v.isValueNode() && !v.isNull()) {
            return scalar(v);
        }
        if (v.isObject() && allowConditional) {
            return conditional(v, where);
        }
        if (v.isArray() && !v.isEmpty()) {
            boolean conditionals = v.get(0).isObject();
            List<Object> list = new ArrayList<>();
            int i = 0;
            for (JsonNode x : v) {
                if (conditionals && x.isObject() && allowConditional) {
                    list.add(conditional(x, where + "[" + i + "]"));
                } else if (!conditionals && x.isValueNode() && !x.isNull()) {
                    list.add(scalar(x));
                } else {
                    throw new AmalgamException(where + "[" + i + "]: a list must hold only scalars (a gradient) "
                            + (allowConditional ? "or only {filter, value} entries" : "inside a conditional's value"));
                }
                i++;
            }
            return list;
        }
        throw new AmalgamException(where + ": expected a number, a list of numbers or {filter, value} entries, got " + v);
    }

    private static Map<String, Object> conditional(JsonNode x, String where) {
        checkKeys(x, Set.of("filter", "value"), where);
        if (!x.has("value")) {
            throw new AmalgamException(where + ": a conditional needs 'value'");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        JsonNode f = x.get("filter");
        if (f != null && !f.isNull() && !f.isTextual()) {
            throw new AmalgamException(where + ".filter: must be a string");
        }
        c.put("filter", f == null || f.isNull() ? null : f.asText());
        c.put("value", setting(x.get("value"), where + ".value", false));
        return c;
    }

    private static Object scalar(JsonNode x) {
        if (x.isNumber()) {
            return x.numberValue();
        }
        if (x.isBoolean()) {
            return x.booleanValue();
        }
        return x.asText();
    }
}
