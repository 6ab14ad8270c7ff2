package dev.amalgam.eval.lm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads LM evaluation inputs; every error names the file and line. */
public final class LmData {
    private LmData() {
    }

    /** A {@code .jsonl} file gives one text per line ({"text": ...}); any other file is one text. */
    public static List<String> texts(Path file) {
        if (!file.getFileName().toString().endsWith(".jsonl")) {
            String text = read(file);
            if (text.isEmpty()) {
                throw new AmalgamException(file + ": empty text file");
            }
            return List.of(text);
        }
        List<String> out = new ArrayList<>();
        forEachLine(file, (node, where) -> out.add(string(node, "text", where)));
        return out;
    }

    /** Lines {"context": string, "choices": [string, ...], "label": int}. */
    public static List<MultipleChoice.Item> choices(Path file) {
        List<MultipleChoice.Item> out = new ArrayList<>();
        forEachLine(file, (node, where) -> {
            String context = string(node, "context", where);
            JsonNode choices = node.get("choices");
            if (choices == null || !choices.isArray() || choices.isEmpty()) {
                throw new AmalgamException(where + ": \"choices\" must be a non-empty array of strings");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode c : choices) {
                if (!c.isTextual()) {
                    throw new AmalgamException(where + ": \"choices\" must be a non-empty array of strings");
                }
                list.add(c.asText());
            }
            JsonNode label = node.get("label");
            if (label == null || !label.isIntegralNumber() || label.asInt() < 0 || label.asInt() >= list.size()) {
                throw new AmalgamException(where + ": \"label\" must be an integer index into the " + list.size() + " choices");
            }
            out.add(new MultipleChoice.Item(context, List.copyOf(list), label.asInt()));
        });
        return out;
    }

    /** Lines {"prompt": string, "answer": string}. */
    public static List<ExactMatch.Item> prompts(Path file) {
        List<ExactMatch.Item> out = new ArrayList<>();
        forEachLine(file, (node, where) -> out.add(new ExactMatch.Item(string(node, "prompt", where),
                string(node, "answer", where))));
        return out;
    }

    private interface LineHandler {
        void accept(JsonNode node, String where);
    }

    private static void forEachLine(Path file, LineHandler handler) {
        String[] lines = read(file).split("\n", -1);
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            JsonNode node = Json.parse(lines[i], where);
            if (!node.isObject()) {
                throw new AmalgamException(where + ": expected a JSON object");
            }
            handler.accept(node, where);
            count++;
        }
        if (count == 0) {
            throw new AmalgamException(file + ": no examples");
        }
    }

    private static String string(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new AmalgamException(where + ": \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AmalgamException(file + ": file not found");
        }
        try {
            return Json.utf8(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new AmalgamException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
