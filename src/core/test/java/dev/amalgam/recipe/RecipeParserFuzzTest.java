package dev.amalgam.recipe;

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
 * Fuzzes the merge-recipe parser, {@link RecipeParser#parse(String, Path, String)}, with arbitrary text
 * (the bytes decoded as UTF-8). Criteria in {@link FuzzChecks}. Seeds: MergeKit's example recipes
 * (src/testdata/mergekit-examples) and recipes using Amalgam's extensions. Stored inputs:
 * {@code RecipeParserFuzzTestInputs/}. How to fuzz: docs/fuzzing.md.
 */
class RecipeParserFuzzTest {
    @TempDir
    static Path root;

    static Stream<byte[]> seeds() throws IOException {
        List<String> inline = List.of(
                "merge_method: task_arithmetic\nbase_model: b\nmodels: [x, y]\nscope: global\nseed: 7\nname: ta-lw\n"
                        + "lwptv: {score: energy, keep_ratio: 0.5}\nout_dtype: torch.bfloat16\ntokenizer_source: base\n",
                "merge_method: linear\nslices:\n  - sources:\n      - {model: a, layer_range: [0, 2], parameters: {weight: 1}}\n"
                        + "      - {model: b+lora, layer_range: [2, 4]}\n    base_model: a\n    parameters: {t: [0, 1]}\n",
                "merge_method: slerp\nbase_model: a\nmodels:\n  - model: a\n  - {model: b, name: B, parameters: "
                        + "{t: [{filter: self_attn, value: [0, 0.5, 1]}, {value: 0.5}]}}\nchat_template: chatml\n");
        try (Stream<Path> files = Files.list(Path.of("src/testdata/mergekit-examples"))) {
            List<byte[]> examples = files.filter(p -> p.toString().endsWith(".yml")).sorted()
                    .map(RecipeParserFuzzTest::read).toList();
            return Stream.concat(examples.stream(), inline.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @MethodSource("seeds")
    @DictionaryEntries({"merge_method", "base_model", "models", "slices", "parameters", "dtype", "out_dtype",
            "tokenizer_source", "tokenizer", "chat_template", "modules", "name", "scope", "seed", "lwptv", "model",
            "sources", "layer_range", "residual_weight", "filter", "value", "global", "tensor", "union", "base",
            "torch.", "bfloat16", "float16", "\"\\0\"", "\\x00", "\\u0000", "\\n", "&a", "*a", "<<: ", "!!binary", "? ", "- ", ": ", "{", "}", "[", "]"})
    @FuzzTest
    @Timeout(FuzzChecks.TIMEOUT_SECONDS)
    void parseRecipe(byte[] data) throws Exception {
        String text = new String(data, StandardCharsets.UTF_8);
        FuzzChecks.userErrorsOnly(data.length, () -> RecipeParser.parse(text, root, "fuzz.yaml"));
    }
}
