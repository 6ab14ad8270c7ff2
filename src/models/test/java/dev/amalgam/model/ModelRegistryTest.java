package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.clip.ClipModel;
import dev.amalgam.model.gpt2.Gpt2Model;
import dev.amalgam.model.llama.LlamaModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

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
    void unknownModelTypeIsNamed() throws Exception {
        HfConfig cfg = new HfConfig(new ObjectMapper().readTree("{\"model_type\":\"mamba\"}"), "d/config.json");
        AmalgamException e = assertThrows(AmalgamException.class, () -> ModelRegistry.factoryFor(cfg));
        assertTrue(e.getMessage().contains("mamba") && e.getMessage().contains("d/config.json"), e.getMessage());
    }
}
