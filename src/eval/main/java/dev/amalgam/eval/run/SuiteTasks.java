package dev.amalgam.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.amalgam.AmalgamException;
import dev.amalgam.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The tasks of a text suite directory: tasks.json's order, else every sub-directory with a test.jsonl. */
public final class SuiteTasks {
    private SuiteTasks() {
    }

    public static List<String> list(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            throw new AmalgamException(dataDir + ": suite data directory not found");
        }
        List<String> out = new ArrayList<>();
        Path manifest = dataDir.resolve("tasks.json");
        if (Files.isRegularFile(manifest)) {
            for (JsonNode t : Json.readFile(manifest).path("tasks")) {
                out.add(t.path("name").asText());
            }
        } else {
            try (Stream<Path> s = Files.list(dataDir)) {
                s.filter(p -> Files.isRegularFile(p.resolve("test.jsonl")))
                        .map(p -> p.getFileName().toString()).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new AmalgamException(dataDir + ": cannot list (" + e.getMessage() + ")");
            }
        }
        if (out.isEmpty()) {
            throw new AmalgamException(dataDir + ": no tasks (no tasks.json and no <task>/test.jsonl)");
        }
        return out;
    }
}
