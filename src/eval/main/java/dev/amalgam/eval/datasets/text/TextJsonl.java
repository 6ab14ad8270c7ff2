package dev.amalgam.eval.datasets.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes {@code {"text": ..., "label": int}} lines (UTF-8, one object per line, "\n" endings); they are read
 * back by {@link dev.amalgam.train.TextTask#readJsonl}.
 */
public final class TextJsonl {

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

}
