package dev.amalgam.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads MergeKit-compatible YAML (or JSON) recipes into {@link MergeRecipe}. */
public final class RecipeParser {
    private static final Set<String> KNOWN = Set.of("merge_method", "base_model", "models", "parameters",
            "dtype", "out_dtype", "tokenizer_source", "tokenizer", "name", "scope", "seed", "lwptv");
    private static final Set<String> MERGEKIT_UNSUPPORTED = Set.of("slices", "modules", "chat_template");
    private static final Set<String> MODEL_KEYS = Set.of("model", "parameters", "name");

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
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, dir, file.toString());
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
            if (MERGEKIT_UNSUPPORTED.contains(k)) {
                throw new AmalgamException(where + ": MergeKit key '" + k + "' is not supported by Amalgam yet (use models:)");
            }
            if (!KNOWN.contains(k)) {
                throw new AmalgamException(where + ": unknown recipe key '" + k + "'; known: " + new java.util.TreeSet<>(KNOWN));
            }
        }
        String method = text(root, "merge_method", where, true);
        String baseStr = text(root, "base_model", where, true);
        JsonNode modelsNode = root.get("models");
        if (modelsNode == null || !modelsNode.isArray() || modelsNode.isEmpty()) {
            throw new AmalgamException(where + ": 'models' must be a non-empty list of {model: PATH, parameters: {...}}");
        }
        List<MergeRecipe.ModelEntry> models = new ArrayList<>();
        int i = 0;
        for (JsonNode m : modelsNode) {
            String mw = where + ": models[" + i + "]";
            JsonNode pathNode;
            Map<String, Object> params = Map.of();
            String taskName = null;
            if (m.isTextual()) {
                pathNode = m;
            } else if (m.isObject()) {
                for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!MODEL_KEYS.contains(k)) {
                        throw new AmalgamException(mw + ": unknown key '" + k + "' (expected model, parameters, name)");
                    }
                }
                pathNode = m.get("model");
                params = map(m.get("parameters"), mw + ".parameters");
                taskName = m.hasNonNull("name") ? m.get("name").asText() : null;
            } else {
                throw new AmalgamException(mw + ": expected a path or {model: PATH, parameters: {...}}");
            }
            if (pathNode == null || !pathNode.isTextual() || pathNode.asText().isBlank()) {
                throw new AmalgamException(mw + ": missing 'model' path");
            }
            Path p = resolve(baseDir, pathNode.asText());
            models.add(new MergeRecipe.ModelEntry(p, taskName != null ? taskName : defaultTaskName(p), params));
            i++;
        }
        String dtype = text(root, "dtype", where, false);
        if (dtype != null && !dtype.equalsIgnoreCase("float32") && !dtype.equalsIgnoreCase("f32")) {
            // MergeKit's dtype is the compute dtype; Amalgam always computes in F32 (more accurate).
            System.err.println("amalgam: note: recipe dtype '" + dtype + "' ignored; merge math runs in float32");
        }
        String scope = text(root, "scope", where, false);
        if (scope != null && !scope.equals("global") && !scope.equals("tensor")) {
            throw new AmalgamException(where + ": scope must be 'global' or 'tensor', got '" + scope + "'");
        }
        long seed = root.hasNonNull("seed") ? root.get("seed").asLong() : 0L;
        if (root.hasNonNull("seed") && !root.get("seed").canConvertToLong()) {
            throw new AmalgamException(where + ": seed must be an integer");
        }
        String tokenizerSource = text(root, "tokenizer_source", where, false);
        Map<String, Object> lwptv = root.has("lwptv") && !root.get("lwptv").isNull()
                ? map(root.get("lwptv"), where + ".lwptv") : null;
        String name = text(root, "name", where, false);
        return new MergeRecipe(name != null ? name : method, method, resolve(baseDir, baseStr), models,
                map(root.get("parameters"), where + ".parameters"), text(root, "out_dtype", where, false),
                tokenizerSource == null ? "base" : tokenizerSource, scope, seed, lwptv);
    }

    static String defaultTaskName(Path p) {
        Path f = p.getFileName();
        String s = f == null ? p.toString() : f.toString();
        return s.replaceFirst("\\.safetensors$", "");
    }

    private static Path resolve(Path baseDir, String s) {
        Path p = Path.of(s);
        return p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p).normalize();
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

    private static Map<String, Object> map(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new AmalgamException(where + ": expected a mapping of name: value");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                out.put(e.getKey(), v.numberValue());
            } else if (v.isBoolean()) {
                out.put(e.getKey(), v.booleanValue());
            } else if (v.isTextual()) {
                out.put(e.getKey(), v.textValue());
            } else if (v.isArray()) {
                List<Object> list = new ArrayList<>();
                for (JsonNode x : v) {
                    if (!x.isValueNode()) {
                        throw new AmalgamException(where + "." + e.getKey()
                                + ": MergeKit gradients/conditional lists are not supported; use scalars or a list of scalars");
                    }
                    list.add(x.isNumber() ? x.numberValue() : x.asText());
                }
                out.put(e.getKey(), list);
            } else {
                throw new AmalgamException(where + "." + e.getKey() + ": unsupported value " + v);
            }
        }
        return out;
    }
}
