package dev.amalgam.merge.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.HfConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A merge recipe's per-model {@code data:} blocks (docs/merging.md#data-aware-methods): each task's
 * unlabeled examples from a folder of images (CLIP) or a text file, one example per line, or a JSONL
 * file's text field (BERT-family encoders, decoder LMs). Checked when the recipe is parsed (keys,
 * paths, the base model's kind), opened when the merge runs ({@link TaskDataOpener}).
 */
public final class TaskDataFiles {
    static final Set<String> KEYS = Set.of("folder", "file", "jsonl", "field", "limit", "seed", "max_length",
            "task", "classes", "templates");
    static final Set<String> DECODERS = Set.of("gpt2", "llama", "mistral", "qwen2");
    static final Set<String> ENCODERS = Set.of("bert");
    static final int DEFAULT_MAX_LENGTH = 128;

    private TaskDataFiles() {
    }

    /**
     * The "data" parameter for per-model blocks: every task's checked block, the base and task model
     * directories (the architecture, a BERT fine-tune's head), where the recipe was read.
     *
     * @param blocks task name → (its {@code data:} node, its key path e.g. "models[0].data")
     */
    public static Map<String, Object> parse(Map<String, Map.Entry<JsonNode, String>> blocks, Map<String, Path> models,
                                            Path base, String where, Path baseDir) {
        if (base == null) {
            throw new AmalgamException(where + ": " + blocks.values().iterator().next().getValue()
                    + ": needs base_model (its config.json says how to read the data)");
        }
        String type = modelType(base, where);
        Map<String, Object> tasks = new LinkedHashMap<>();
        blocks.forEach((task, b) -> {
            Map<String, Object> block = block(b.getKey(), where + ": " + b.getValue(), baseDir, type);
            if (block.containsKey("head")) {
                Path dir = modelDir(base);
                if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
                    String k = b.getKey().has("task") ? "task" : "classes";
                    throw new AmalgamException(where + ": " + b.getValue() + "." + k + ": " + dir.resolve("tokenizer.json")
                            + " not found (a zero-shot head is built with the base model's text tower and tokenizer)");
                }
            }
            tasks.put(task, block);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tasks", tasks);
        Map<String, String> dirs = new LinkedHashMap<>();
        models.forEach((t, p) -> dirs.put(t, p.toString()));
        out.put("models", dirs);
        out.put("base", base.toString());
        out.put("model_type", type);
        out.put("where", where);
        return out;
    }

    /** The base model's directory: {@code base} itself, or the folder of a single weights file. */
    static Path modelDir(Path base) {
        return Files.isDirectory(base) ? base : base.toAbsolutePath().getParent();
    }

    /** Whether a data-aware method's "data" parameter is the per-model blocks {@link #parse} made (not a suite). */
    static boolean isPerModel(Object spec) {
        return spec instanceof Map<?, ?> m && m.containsKey("tasks");
    }

    private static String modelType(Path base, String where) {
        Path cfg = modelDir(base).resolve("config.json");
        if (!Files.isRegularFile(cfg)) {
            throw new AmalgamException(where + ": base_model: " + cfg + " not found (needed to read the models' data)");
        }
        return HfConfig.read(cfg).text("model_type", "");
    }

    private static Map<String, Object> block(JsonNode node, String key, Path baseDir, String type) {
        if (node == null || !node.isObject()) {
            throw new AmalgamException(key + ": expected {folder: DIR} or {file: FILE} or {jsonl: FILE, field: NAME}");
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw new AmalgamException(key + ": unknown key '" + k + "'; known: " + new java.util.TreeSet<>(KEYS));
            }
        });
        int sources = (node.has("folder") ? 1 : 0) + (node.has("file") ? 1 : 0) + (node.has("jsonl") ? 1 : 0);
        if (sources != 1) {
            throw new AmalgamException(key + ": give exactly one of folder, file, jsonl");
        }
        String kind = node.has("folder") ? "folder" : node.has("file") ? "file" : "jsonl";
        String k = key + "." + kind;
        if (!node.get(kind).isTextual() || node.get(kind).asText().isBlank()) {
            throw new AmalgamException(k + ": expected a path");
        }
        Path path = baseDir.resolve(node.get(kind).asText()).normalize();
        boolean image = kind.equals("folder");
        if (image && !Files.isDirectory(path)) {
            throw new AmalgamException(k + ": " + path + ": not a directory");
        }
        if (!image && !Files.isRegularFile(path)) {
            throw new AmalgamException(k + ": " + path + ": not a file");
        }
        if (image && !type.equals("clip")) {
            throw new AmalgamException(k + ": a folder of images needs a CLIP model; base_model is model_type '" + type + "'");
        }
        if (!image && !DECODERS.contains(type) && !ENCODERS.contains(type)) {
            throw new AmalgamException(k + ": text data needs a BERT-family encoder or a decoder LM "
                    + "(model_type " + new java.util.TreeSet<>(ENCODERS) + " or " + new java.util.TreeSet<>(DECODERS)
                    + "); base_model is model_type '" + type + "'");
        }
        if (node.has("field") && !kind.equals("jsonl")) {
            throw new AmalgamException(key + ".field: only a jsonl file has fields");
        }
        if (node.has("max_length") && image) {
            throw new AmalgamException(key + ".max_length: only text is tokenised");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (image) {
            ImageFolderHeads.parse(node, key).ifPresent(h -> out.put("head", h));
        } else {
            for (String k2 : ImageFolderHeads.KEYS) {
                if (node.has(k2)) {
                    throw new AmalgamException(key + "." + k2 + ": only a folder of images gets a zero-shot head");
                }
            }
        }
        out.put("kind", kind);
        out.put("path", path.toString());
        out.put("key", k);
        out.put("field", text(node, "field", "text", key));
        out.put("limit", integer(node, "limit", Integer.MAX_VALUE, 1, key));
        out.put("seed", integer(node, "seed", 0, Integer.MIN_VALUE, key));
        out.put("max_length", integer(node, "max_length", DEFAULT_MAX_LENGTH, 2, key));
        return out;
    }

    private static String text(JsonNode node, String name, String dflt, String key) {
        JsonNode v = node.get(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new AmalgamException(key + "." + name + ": expected a name");
        }
        return v.asText();
    }

    private static int integer(JsonNode node, String name, int dflt, int min, String key) {
        JsonNode v = node.get(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min) {
            throw new AmalgamException(key + "." + name + ": expected an integer" + (min > Integer.MIN_VALUE ? " ≥ " + min : ""));
        }
        return v.asInt();
    }
}
