package dev.amalgam.merge.mergekit;

import dev.amalgam.io.Checkpoint;
import dev.amalgam.io.Checkpoints;
import dev.amalgam.io.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * MergeKit's own example recipes (src/testdata/mergekit-examples, from MergeKit a6e4028), run
 * unchanged except that model names become paths to tiny 40-layer Llama checkpoints; every output
 * tensor is compared with {@link MergeKitReference}, an independent transcription of MergeKit's math,
 * evaluated with MergeKit's parameter semantics (gradients over t = layer / 39, filters, precedence).
 */
class MergeKitExamplesTest {
    static final Map<String, String> NAMES = Map.of(
            "psmathur/orca_mini_v3_13b", "m1", "garage-bAInd/Platypus2-13B", "m2", "WizardLM/WizardLM-13B-V1.2", "m3",
            "WizardLM/WizardMath-13B-V1.0", "m4", "TheBloke/Llama-2-13B-fp16", "base", "mistralai/Mistral-7B-v0.1", "base",
            "mistralai/Mistral-7B-Instruct-v0.2", "m1", "BioMistral/BioMistral-7B", "m2", "model_a", "base", "model_b", "m1");

    @TempDir
    static Path tmp;
    static TinyLlamaZoo zoo;

    @BeforeAll
    static void zoo() {
        zoo = new TinyLlamaZoo(tmp.resolve("zoo"), DType.F32);
    }

    static String example(String file) throws IOException {
        try (InputStream in = MergeKitExamplesTest.class.getResourceAsStream("/mergekit-examples/" + file)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // Longest names first, so "model_a" never matches inside another name.
            for (String k : NAMES.keySet().stream().sorted((a, b) -> b.length() - a.length()).toList()) {
                yaml = yaml.replace(k, zoo.path(NAMES.get(k)).toString());
            }
            return yaml;
        }
    }

    double[] in(String model, String tensor, DType dtype) {
        return MergeKitRun.round(zoo.get(model, tensor), dtype);
    }

    @Test
    void tiesWithDensityAndWeightGradientsAndFilters() throws IOException {
        Path out = tmp.resolve("ties-out");
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("ties.yml"), example("ties.yml"), out);
        List<Object> weightM2 = List.of(0, 0.3, 0.7, 1);
        List<Object> weightM3 = List.of(Map.of("filter", "mlp", "value", 0.5), Map.of("value", 0));
        List<Object> densityM1 = List.of(1, 0.7, 0.1);
        for (String name : zoo.shapes.keySet()) {
            double t = TinyLlamaZoo.t(name);
            double[] w = {1.0, num(weightM2, name, t), num(weightM3, name, t)};
            double[] d = {num(densityM1, name, t), 0.5, 0.33};
            double[] ref = MergeKitReference.gta(in("base", name, DType.F16),
                    new double[][]{in("m1", name, DType.F16), in("m2", name, DType.F16), in("m4", name, DType.F16)},
                    w, d, "magnitude", null, null, "sum", true, false, 1.0, zoo.shape(name), null);
            MergeKitRun.close("ties.yml " + name, ref, got.get(name), DType.F16, 0);
        }
        assertEquals(DType.F16, MergeKitRun.dtypeOf(out, "lm_head.weight"), "dtype: float16 is also the output dtype");
    }

    @Test
    void bioMergeTiesWithoutNormalisation() throws IOException {
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("bio.yml"), example("bio-merge.yml"), tmp.resolve("bio-out"));
        for (String name : zoo.shapes.keySet()) {
            double[] ref = MergeKitReference.gta(in("base", name, DType.F16),
                    new double[][]{in("m1", name, DType.F16), in("m2", name, DType.F16)}, new double[]{0.5, 0.5},
                    new double[]{0.5, 0.5}, "magnitude", null, null, "sum", false, false, 1.0, zoo.shape(name), null);
            MergeKitRun.close("bio-merge.yml " + name, ref, got.get(name), DType.F16, 0);
        }
    }

    @Test
    void gradientSlerpOverSlicesWithFilteredGradients() throws IOException {
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("gs.yml"), example("gradient-slerp.yml"), tmp.resolve("gs-out"));
        List<Object> t = List.of(Map.of("filter", "self_attn", "value", List.of(0, 0.5, 0.3, 0.7, 1)),
                Map.of("filter", "mlp", "value", List.of(1, 0.5, 0.7, 0.3, 0)), Map.of("value", 0.5));
        for (String name : zoo.shapes.keySet()) {
            double tt = num(t, name, TinyLlamaZoo.t(name));
            double[] ref = MergeKitReference.slerp(tt, in("m1", name, DType.F16), in("m2", name, DType.F16));
            MergeKitRun.close("gradient-slerp.yml " + name, ref, got.get(name), DType.F16, 0);
        }
    }

    @Test
    void linearWithoutBaseModel() throws IOException {
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("lin.yml"), example("linear.yml"), tmp.resolve("lin-out"));
        for (String name : zoo.shapes.keySet()) {
            double[] ref = MergeKitReference.linear(new double[][]{in("m1", name, DType.F16), in("m3", name, DType.F16),
                    in("m2", name, DType.F16)}, new double[]{1.0, 0.3, 0.5}, true);
            MergeKitRun.close("linear.yml " + name, ref, got.get(name), DType.F16, 0);
        }
    }

    @Test
    void passthroughStacksFortyFourLayers() throws IOException {
        Path out = tmp.resolve("pt-out");
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("pt.yml"), example("orcamini-platy-44layer.yml"), out);
        assertEquals(3 + 44 * 5, got.size());
        for (int k = 0; k < 44; k++) {
            for (String rest : List.of("self_attn.q_proj.weight", "mlp.down_proj.weight", "input_layernorm.weight")) {
                String src = "model.layers." + (k < 24 ? k : k - 24 + 20) + "." + rest;
                assertArrayEquals(toFloat(in(k < 24 ? "m1" : "m2", src, DType.F16)), got.get("model.layers." + k + "." + rest), 0f,
                        "layer " + k + " " + rest);
            }
        }
        assertArrayEquals(toFloat(in("m1", "model.embed_tokens.weight", DType.F16)), got.get("model.embed_tokens.weight"), 0f);
        assertArrayEquals(toFloat(in("m2", "lm_head.weight", DType.F16)), got.get("lm_head.weight"), 0f);
        assertArrayEquals(toFloat(in("m2", "model.norm.weight", DType.F16)), got.get("model.norm.weight"), 0f);
        try (Checkpoint c = Checkpoints.open(out)) {
            assertEquals(44, c.config().get("num_hidden_layers").asInt());
            assertEquals("float16", c.config().get("torch_dtype").asText());
        }
    }

    @Test
    void arceeFusionWithBaseListedAsAModel() throws IOException {
        Path out = tmp.resolve("af-out");
        Map<String, float[]> got = MergeKitRun.merge(tmp.resolve("af.yml"), example("arcee_fusion.yml"), out);
        for (String name : zoo.shapes.keySet()) {
            double[] ref = MergeKitReference.arceeFusion(in("base", name, DType.BF16), in("m1", name, DType.BF16), zoo.shape(name));
            MergeKitRun.close("arcee_fusion.yml " + name, ref, got.get(name), DType.F32, 1e-5);
        }
        assertEquals(DType.F32, MergeKitRun.dtypeOf(out, "lm_head.weight"), "MergeKit's arcee_fusion result is float32");
    }

    static double num(Object setting, String name, double t) {
        return ((Number) MergeKitReference.evaluateSetting(name, setting, t)).doubleValue();
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
