package dev.amalgam.eval.datasets.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.amalgam.AmalgamException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code tasks.json}: what the text suite holds. {@code buildHash} keys the cache: options, builder format
 * and the names and sizes of all raw input files.
 */
public record TextSuiteManifest(String format, String buildHash, long seed, int maxChars, List<Task> tasks) {

    public static final String FILE_NAME = "tasks.json";
    public static final String FORMAT = "amalgam-text-suite/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One task: label names, its files (relative to the suite directory) and per-label counts. */
    public record Task(String name, List<String> labels, String source, String oodShift, Map<String, Split> splits) {
    }

    /** One JSONL file: path relative to the suite directory, size and number of examples per label. */
    public record Split(String file, int size, List<Integer> perLabel) {
    }

    public Task task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AmalgamException("text suite has no task " + name));
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public static TextSuiteManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            return JSON.readValue(file.toFile(), TextSuiteManifest.class);
        } catch (IOException e) {
            throw new AmalgamException("unreadable text-suite manifest: " + file + " (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
