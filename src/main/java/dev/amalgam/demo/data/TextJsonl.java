package dev.amalgam.demo.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.amalgam.AmalgamException;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes {@code {"text": ..., "label": int}} lines (UTF-8, one object per line, "\n" endings). */
public final class TextJsonl {

    /** A text and its label index, as stored in a text-suite JSONL file. */
    public record Example(String text, int label) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private TextJsonl() {
    }

    public static void write(Path file, List<LabeledText> items) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LabeledText t : items) {
                ObjectNode o = JSON.createObjectNode();
                o.put("text", t.text());
                o.put("label", t.label());
                w.write(JSON.writeValueAsString(o));
                w.write('\n');
            }
        }
    }

    public static List<Example> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AmalgamException("JSONL file not found: " + file);
        }
        List<Example> out = new ArrayList<>();
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
                    throw new AmalgamException("invalid JSON at " + file + ":" + lineNo);
                }
                JsonNode text = node.get("text");
                JsonNode label = node.get("label");
                if (text == null || !text.isTextual() || label == null || !label.canConvertToInt()) {
                    throw new AmalgamException("expected {\"text\": string, \"label\": int} at " + file + ":" + lineNo);
                }
                out.add(new Example(text.asText(), label.asInt()));
            }
        }
        return out;
    }
}
