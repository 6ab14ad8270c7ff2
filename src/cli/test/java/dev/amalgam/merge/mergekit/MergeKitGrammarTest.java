package dev.amalgam.merge.mergekit;

import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import dev.amalgam.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MergeKit's recipe grammar (docs/mergekit.md): precedence slice source > slice > global, filters that
 * fall through, the base listed under models, dtype/out_dtype, tokenizer_source, chat_template, and the
 * one-line refusals — each checked against MergeKit's documented behaviour (config.py, plan.py,
 * merge.py at a6e4028).
 */
class MergeKitGrammarTest {
    @TempDir
    static Path tmp;
    static TinyLlamaZoo zoo;
    static int n;

    @BeforeAll
    static void zoo() {
        zoo = new TinyLlamaZoo(tmp.resolve("zoo"), DType.F32);
    }

    static String y(String yaml) {
        for (String m : TinyLlamaZoo.MODELS) {
            yaml = yaml.replace("${" + m + "}", zoo.path(m).toString());
        }
        return yaml;
    }

    static Map<String, float[]> merge(String yaml) throws IOException {
        n++;
        return MergeKitRun.merge(tmp.resolve("g" + n + ".yml"), y(yaml), tmp.resolve("g" + n));
    }

    static String error(String yaml) throws IOException {
        n++;
        return MergeKitRun.error(tmp.resolve("e" + n + ".yml"), y(yaml), tmp.resolve("e" + n));
    }

    static double[] ta(String tensor, double lambda, double... w) {
        double[][] ms = {zoo.get("m1", tensor), zoo.get("m2", tensor)};
        return MergeKitReference.gta(zoo.get("base", tensor), ms, w, null, null, null, null, null, false, false, lambda, null, null);
    }

    @Test
    void precedenceSliceSourceOverSliceOverGlobal() throws IOException {
        Map<String, float[]> got = merge("""
                merge_method: task_arithmetic
                base_model: ${base}
                slices:
                  - sources:
                      - {model: ${base}, layer_range: [0, 40]}
                      - {model: ${m1}, layer_range: [0, 40], parameters: {weight: 0.25}}
                      - {model: ${m2}, layer_range: [0, 40]}
                    parameters: {weight: 0.5, lambda: 0.75}
                parameters: {weight: 2.0, lambda: 3.0}
                """);
        for (String t : List.of("model.layers.7.mlp.up_proj.weight", "model.embed_tokens.weight", "lm_head.weight")) {
            MergeKitRun.close(t, ta(t, 0.75, 0.25, 0.5), got.get(t), DType.F32, 1e-6);
        }
    }

    @Test
    void aFilterListWithoutMatchFallsThroughToTheNextLevel() throws IOException {
        Map<String, float[]> got = merge("""
                merge_method: task_arithmetic
                base_model: ${base}
                models:
                  - {model: ${m1}, parameters: {weight: [{filter: mlp, value: 0.5}]}}
                  - {model: ${m2}, parameters: {weight: 1.0}}
                parameters: {weight: 0.125}
                """);
        MergeKitRun.close("mlp", ta("model.layers.3.mlp.down_proj.weight", 1, 0.5, 1), got.get("model.layers.3.mlp.down_proj.weight"),
                DType.F32, 1e-6);
        MergeKitRun.close("attn", ta("model.layers.3.self_attn.q_proj.weight", 1, 0.125, 1),
                got.get("model.layers.3.self_attn.q_proj.weight"), DType.F32, 1e-6);
    }

    @Test
    void theBaseListedUnderModelsIsTheBaseNotATask() throws IOException {
        Map<String, float[]> listed = merge("""
                merge_method: ties
                base_model: ${base}
                models:
                  - model: ${base}
                  - {model: ${m1}, parameters: {weight: 1, density: 0.5}}
                  - {model: ${m2}, parameters: {weight: 1, density: 0.5}}
                """);
        Map<String, float[]> plain = merge("""
                merge_method: ties
                base_model: ${base}
                models:
                  - {model: ${m1}, parameters: {weight: 1, density: 0.5}}
                  - {model: ${m2}, parameters: {weight: 1, density: 0.5}}
                """);
        for (String t : zoo.shapes.keySet()) {
            assertArrayEquals(plain.get(t), listed.get(t), 0f, t);
        }
    }

    @Test
    void dtypeRoundsInputsAndSetsTheOutputUnlessOutDtypeSaysOtherwise() throws IOException {
        merge("""
                merge_method: linear
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 1}}]
                dtype: bfloat16
                out_dtype: float32
                """);
        Path out = tmp.resolve("g" + n);
        assertEquals(DType.F32, MergeKitRun.dtypeOf(out, "lm_head.weight"));
        String t = "model.layers.0.mlp.up_proj.weight";
        double[] ref = MergeKitReference.linear(new double[][]{MergeKitRun.round(zoo.get("m1", t), DType.BF16),
                MergeKitRun.round(zoo.get("m2", t), DType.BF16)}, new double[]{1, 1}, true);
        MergeKitRun.close(t, ref, MergeKitRun.read(out).get(t), DType.F32, 1e-6);
        merge("merge_method: linear\nmodels: [{model: ${m1}, parameters: {weight: 1}}]\ndtype: float16\n");
        assertEquals(DType.F16, MergeKitRun.dtypeOf(tmp.resolve("g" + n), "lm_head.weight"));
        merge("merge_method: linear\nmodels: [{model: ${m1}, parameters: {weight: 1}}]\n");
        assertEquals(DType.F32, MergeKitRun.dtypeOf(tmp.resolve("g" + n), "lm_head.weight"), "no dtype: the inputs' dtype");
    }

    @Test
    void chatTemplateAutoTakesTheMostCommonAndAJinjaStringIsWritten() throws IOException {
        merge("""
                merge_method: linear
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 1}}, {model: ${m3}, parameters: {weight: 1}}]
                chat_template: auto
                """);
        String cfg = Files.readString(tmp.resolve("g" + n).resolve("tokenizer_config.json"));
        assertEquals("{% for m in messages %}{{ m.content }}{% endfor %}", Json.MAPPER.readTree(cfg).get("chat_template").asText());
        merge("""
                merge_method: linear
                models: [{model: ${m1}, parameters: {weight: 1}}]
                chat_template: "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"
                """);
        cfg = Files.readString(tmp.resolve("g" + n).resolve("tokenizer_config.json"));
        assertTrue(Json.MAPPER.readTree(cfg).get("chat_template").asText().contains("<|{{ m.role }}|>"), cfg);
    }

    @Test
    void tokenizerSourceWithASharedVocabularyCopiesThatModelsFiles() throws IOException {
        merge("""
                merge_method: linear
                base_model: ${base}
                models: [{model: ${m1}, parameters: {weight: 1}}, {model: ${m2}, parameters: {weight: 1}}]
                parameters: {weight: 1}
                tokenizer_source: ${m2}
                """);
        assertTrue(Files.readString(tmp.resolve("g" + n).resolve("tokenizer_config.json")).contains("(m2)"));
    }

    @Test
    void slicesRenumberLayersAndKeepTheBaseFromTheSlice() throws IOException {
        Map<String, float[]> got = merge("""
                merge_method: slerp
                base_model: ${base}
                parameters: {t: 0.5}
                slices:
                  - sources: [{model: ${base}, layer_range: [10, 12]}, {model: ${m1}, layer_range: [20, 22]}]
                """);
        try (Checkpoint c = Checkpoints.open(tmp.resolve("g" + n))) {
            assertEquals(2, c.config().get("num_hidden_layers").asInt());
        }
        String out = "model.layers.1.mlp.up_proj.weight";
        double[] ref = MergeKitReference.slerp(0.5, zoo.get("base", "model.layers.11.mlp.up_proj.weight"),
                zoo.get("m1", "model.layers.21.mlp.up_proj.weight"));
        MergeKitRun.close(out, ref, got.get(out), DType.F32, 1e-6);
        assertEquals(3 + 2 * 5, got.size());
    }

    @Test
    void theWrittenRecipeReplaysToTheSameModelFromAnotherDirectory() throws IOException {
        Path out = tmp.resolve("replay-a");
        String err = MergeKitRun.run("merge", "--method", "ties", "--base", zoo.path("base").toString(), "--models",
                zoo.path("m1") + "," + zoo.path("m2"), "--param", "weight=1", "--param", "density=0.5", "--dtype", "bf16",
                "--out", out.toString());
        assertTrue(Files.isDirectory(out), err);
        String written = Files.readString(out.resolve("amalgam_recipe.yml"));
        assertTrue(written.startsWith("# Written by amalgam merge"), written);
        assertTrue(written.contains("# effective method: ties(int8_mask=false, normalize=true, rescale=false, lambda=1.0"), written);
        Path copy = Files.createDirectories(tmp.resolve("elsewhere")).resolve("recipe.yml");
        Files.copy(out.resolve("amalgam_recipe.yml"), copy);
        Path again = tmp.resolve("replay-b");
        err = MergeKitRun.run("merge", copy.toString(), "--out", again.toString());
        assertTrue(Files.isDirectory(again), err);
        Map<String, float[]> a = MergeKitRun.read(out);
        Map<String, float[]> b = MergeKitRun.read(again);
        for (String t : a.keySet()) {
            assertArrayEquals(a.get(t), b.get(t), 0f, t);
        }
    }

    @Test
    void theRecipeInDocsMergingRuns() throws IOException {
        String doc = Files.readString(Path.of("docs/merging.md"));
        int from = doc.indexOf("```yaml\n", doc.indexOf("## Recipe")) + 8;
        String yaml = doc.substring(from, doc.indexOf("```", from))
                .replace("./base", zoo.path("base").toString()).replace("./ft-sst2", zoo.path("m1").toString())
                .replace("./ft-cola", zoo.path("m2").toString());
        Map<String, float[]> got = merge(yaml);
        assertEquals(zoo.shapes.size(), got.size());
        assertTrue(Files.exists(tmp.resolve("g" + n).resolve("lwptv_masks.csv")));
    }

    @Test
    void refusalsNameTheFileAndTheKey() throws IOException {
        String[][] cases = {
                {"merge_method: ties\nbase_model: ${base}\nmodels: [${m1}]\n", "ties: needs 'weight' for every model"},
                {"merge_method: ties\nbase_model: ${base}\nmodels: [${m1}]\nparameters: {weight: 1, densty: 0.5}\n",
                        "ties has no parameter 'densty'"},
                {"merge_method: ties\nbase_model: ${base}\nmodels: [{model: ${m1}, parameters: {weight: 1, lambda: 2}}]\n",
                        "'lambda' is a global parameter of ties"},
                {"merge_method: slerp\nbase_model: ${base}\nmodels: [${m1}, ${m2}]\nparameters: {t: 0.5}\n",
                        "exactly one other model"},
                {"merge_method: slerp\nbase_model: ${base}\nmodels: [${m1}]\n", "missing required parameter 't'"},
                {"merge_method: ties\nmodels: [{model: ${m1}, parameters: {weight: 1}}]\n", "ties needs base_model"},
                {"merge_method: linear\nmodels: [${m1}]\nchat_template: chatml\n", "built-in template 'chatml'"},
                {"merge_method: linear\nmodels: [{model: ${m1}, parameters: {weight: 1}}]\nbase_model: ${base}\n",
                        "missing required parameter 'weight' of the base model"},
                {"merge_method: nearswap\nbase_model: ${base}\nmodels: [${m1}]\n", "unknown merge method 'nearswap'"},
                {"merge_method: ties\nbase_model: ${base}\nmodels: [{model: ${m1}, parameters: {weight: 1, density: 0.01}}]\n",
                        "keeps no entry of tensor"},
        };
        for (String[] c : cases) {
            String line = error(c[0]);
            assertTrue(line.contains(".yml: ") && line.contains(c[1]), c[1] + " in: " + line);
        }
    }
}
