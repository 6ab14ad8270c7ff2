package dev.amalgam.merge.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The texts of a data block's file: every non-blank line, or each JSONL line's {@code field}. */
final class TextExampleFile {
    private TextExampleFile() {
    }

    static List<String> read(Path file, boolean jsonl, String field, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AmalgamException(key + ": " + file + ": cannot read (" + e.getMessage() + ")");
        }
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (!jsonl) {
                out.add(line);
                continue;
            }
            JsonNode v;
            try {
                v = json.readTree(line).get(field);
            } catch (IOException e) {
                throw new AmalgamException(key + ": " + file + " line " + (i + 1) + ": not a JSON object");
            }
            if (v == null || !v.isTextual()) {
                throw new AmalgamException(key + ": " + file + " line " + (i + 1) + ": no text field '" + field + "'");
            }
            out.add(v.asText());
        }
        if (out.isEmpty()) {
            throw new AmalgamException(key + ": " + file + ": no examples (the file is empty or blank)");
        }
        return out;
    }
}
