package dev.amalgam.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A text-classification task directory: {@code train.jsonl} and {@code val.jsonl}, one
 * {@code {"text": string, "label": int}} object per line (the text-suite layout). Label names come
 * from {@code labels.json} (a JSON array) in the directory, else from the suite manifest
 * {@code ../tasks.json} entry named like the directory, else they are "0", "1", ...
 */
public record TextTask(String name, List<String> labels, List<TextExample> train, List<TextExample> val) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TextTask read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AmalgamException(dir + ": task directory not found");
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        List<TextExample> train = readJsonl(dir.resolve("train.jsonl"));
        Path valFile = !Files.isRegularFile(dir.resolve("val.jsonl")) && Files.isRegularFile(dir.resolve("validation.jsonl"))
                ? dir.resolve("validation.jsonl") : dir.resolve("val.jsonl");
        List<TextExample> val = readJsonl(valFile);
        int maxLabel = -1;
        for (List<TextExample> split : List.of(train, val)) {
            for (TextExample e : split) {
                maxLabel = Math.max(maxLabel, e.label());
            }
        }
        List<String> labels = labelNames(dir, name);
        if (labels == null) {
            labels = new ArrayList<>();
            for (int i = 0; i <= maxLabel; i++) {
                labels.add(Integer.toString(i));
            }
        } else if (maxLabel >= labels.size()) {
            throw new AmalgamException(dir + ": label " + maxLabel + " used but only " + labels.size()
                    + " label names are given");
        }
        if (labels.size() < 2) {
            throw new AmalgamException(dir + ": a classification task needs at least 2 labels");
        }
        return new TextTask(name, List.copyOf(labels), train, val);
    }

    private static List<String> labelNames(Path dir, String name) {
        Path own = dir.resolve("labels.json");
        if (Files.isRegularFile(own)) {
            return strings(readJson(own), own);
        }
        Path manifest = dir.toAbsolutePath().normalize().resolveSibling("tasks.json");
        if (Files.isRegularFile(manifest)) {
            for (JsonNode t : readJson(manifest).path("tasks")) {
                if (name.equals(t.path("name").asText())) {
                    return strings(t.path("labels"), manifest);
                }
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array, Path where) {
        if (!array.isArray()) {
            throw new AmalgamException(where + ": labels must be a JSON array of strings");
        }
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AmalgamException(file + ": invalid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    public static List<TextExample> readJsonl(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AmalgamException(file + ": file not found");
        }
        List<TextExample> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    throw new AmalgamException(file + ":" + lineNo + ": invalid JSON");
                }
                JsonNode text = node.get("text");
                JsonNode label = node.get("label");
                if (text == null || !text.isTextual() || label == null || !label.canConvertToInt() || label.asInt() < 0) {
                    throw new AmalgamException(file + ":" + lineNo + ": expected {\"text\": string, \"label\": int >= 0}");
                }
                out.add(new TextExample(text.asText(), label.asInt()));
            }
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new AmalgamException(file + ": no examples");
        }
        return out;
    }
}
