package dev.amalgam.run;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.amalgam.testutil.FuzzChecks;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fuzzes the run-recipe parser, {@link RunRecipeParser#parse(String, Path)}, with arbitrary text (the
 * bytes decoded as UTF-8). Criteria in {@link dev.amalgam.testutil.FuzzChecks}. Seeds: the shipped
 * eval/recipes/ and a few covering the other keys. Stored inputs: {@code RunRecipeParserFuzzTestInputs/}.
 * How to fuzz: docs/fuzzing.md.
 */
class RunRecipeParserFuzzTest {
    @TempDir
    static Path root;

    static Stream<byte[]> seeds() throws IOException {
        List<String> inline = List.of(
                "name: g\nsuite: {kind: demo-text, zoo: models/zoo}\ntasks: [spam, b]\nkeep: true\nbaselines: false\n"
                        + "methods:\n  - {label: TIES, params: {weight: 1.0, lambda: 1.0, density: 0.20}, method: ties}\n"
                        + "  - {method: ties, lwptv: true}\n  - {method: emr, lwptv: [false, {score: energy}]}\n",
                "suite: {kind: text}\nmethods: [emr]\n");
        try (Stream<Path> files = Files.list(Path.of("eval/recipes"))) {
            List<byte[]> shipped = files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(p -> {
                try {
                    return Files.readAllBytes(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            return Stream.concat(shipped.stream(), inline.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @MethodSource("seeds")
    @DictionaryEntries({"name", "suite", "tasks", "methods", "unseen", "keep", "baselines", "method", "label",
            "params", "sweep", "lwptv", "merge", "heldout", "kind", "text", "demo-text", "demo-image", "image",
            "task_arithmetic", "ties", "emr", "true", "false", "null", "&a", "*a", "<<: ", "- ", ": ", "{", "}"})
    @FuzzTest
    @Timeout(FuzzChecks.TIMEOUT_SECONDS)
    void parseRunRecipe(byte[] data) throws Exception {
        String text = new String(data, StandardCharsets.UTF_8);
        FuzzChecks.userErrorsOnly(data.length, () -> RunRecipeParser.parse(text, root.resolve("fuzz.yaml")));
    }
}
