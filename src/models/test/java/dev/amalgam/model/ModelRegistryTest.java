package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.bert.BertEncoder;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.gpt2.Gpt2Model;
import dev.amalgam.model.llama.LlamaModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.model.registry.ModelRegistry;

/** Model directories through io's checkpoint reader: the architecture follows config.json model_type. */
class ModelRegistryTest {

    @Test
    void picksArchitectureAndLoadsThroughIo() {
        try (NDManager m = NDManager.newBaseManager()) {
            String[][] cases = {{"clip", "quickgelu"}, {"gpt2", "tiny"}, {"llama", "llama"}, {"llama", "qwen2"},
                {"llama", "mistral"}};
            Class<?>[] kinds = {ClipModel.class, Gpt2Model.class, LlamaModel.class, LlamaModel.class, LlamaModel.class};
            for (int i = 0; i < cases.length; i++) {
                Path dir = Fixtures.dir(cases[i][0], cases[i][1]);
                try (HfModelBlock model = ModelRegistry.fromCheckpoint(dir, m)) {
                    assertInstanceOf(kinds[i], model);
                    Map<String, NDArray> e = Fixtures.expected(dir, m);
                    NDList in = model instanceof ClipModel
                            ? new NDList(e.get("pixel_values"), e.get("input_ids"), e.get("attention_mask"))
                            : new NDList(e.get("input_ids"));
                    NDArray out = model.forward(new ParameterStore(m, false), in, false).head();
                    String key = model instanceof ClipModel ? "logits_per_image" : "logits";
                    Fixtures.assertClose(cases[i][1] + " via io reader " + key, out, e.get(key), Fixtures.TOL);
                }
            }
        }
    }

    @Test
    void bertIsInTheRegistryAndTheBertForPrefixIsStripped() throws Exception {
        var cfg = new ObjectMapper().readTree("{\"model_type\":\"bert\",\"vocab_size\":11,\"hidden_size\":8,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":2,\"intermediate_size\":16,"
                + "\"max_position_embeddings\":12,\"type_vocab_size\":2}");
        // the state dict of a BertForSequenceClassification with this config, written out by hand
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embeddings.word_embeddings.weight", new long[] {11, 8});
        shapes.put("embeddings.position_embeddings.weight", new long[] {12, 8});
        shapes.put("embeddings.token_type_embeddings.weight", new long[] {2, 8});
        for (String n : List.of("embeddings.LayerNorm", "encoder.layer.0.attention.output.LayerNorm",
                "encoder.layer.0.output.LayerNorm")) {
            shapes.put(n + ".weight", new long[] {8});
            shapes.put(n + ".bias", new long[] {8});
        }
        for (String n : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense")) {
            shapes.put("encoder.layer.0." + n + ".weight", new long[] {8, 8});
            shapes.put("encoder.layer.0." + n + ".bias", new long[] {8});
        }
        shapes.put("encoder.layer.0.intermediate.dense.weight", new long[] {16, 8});
        shapes.put("encoder.layer.0.intermediate.dense.bias", new long[] {16});
        shapes.put("encoder.layer.0.output.dense.weight", new long[] {8, 16});
        shapes.put("encoder.layer.0.output.dense.bias", new long[] {8});
        shapes.put("pooler.dense.weight", new long[] {8, 8});
        shapes.put("pooler.dense.bias", new long[] {8});
        assertTrue(ModelRegistry.modelTypes().contains("bert"), ModelRegistry.modelTypes().toString());
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            shapes.forEach((n, s) -> weights.put("bert." + n, m.randomNormal(new ai.djl.ndarray.types.Shape(s))));
            weights.put("classifier.weight", m.zeros(new ai.djl.ndarray.types.Shape(2, 8)));
            try (HfModelBlock model = ModelRegistry.load(cfg, weights, m)) {
                BertEncoder bert = assertInstanceOf(BertEncoder.class, model);
                assertTrue(bert.hasPooler());
                assertEquals(List.copyOf(new TreeSet<>(shapes.keySet())), bert.parameterNames());
                for (String n : shapes.keySet()) {
                    assertArrayEquals(weights.get("bert." + n).toFloatArray(), bert.parameter(n).toFloatArray(), n);
                }
            }
        }
    }

    @Test
    void unknownModelTypeIsNamed() throws Exception {
        HfConfig cfg = new HfConfig(new ObjectMapper().readTree("{\"model_type\":\"mamba\"}"), "d/config.json");
        AmalgamException e = assertThrows(AmalgamException.class, () -> ModelRegistry.factoryFor(cfg));
        assertTrue(e.getMessage().contains("mamba") && e.getMessage().contains("d/config.json"), e.getMessage());
    }
}
