package dev.amalgam.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.clip.ClipModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.amalgam.model.registry.ModelRegistry;

/**
 * Writing tensors in place must make the next forward identical to a model freshly built from those
 * tensors, without replacing the parameter arrays; restore() must bring back the reference outputs.
 */
class InPlaceParametersTest {
    static NDManager manager;

    @BeforeAll
    static void init() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Every tensor of the checkpoint plus seeded noise, as an independent "fine-tuned" checkpoint. */
    private static MapWeights perturbed(MapWeights base, NDManager m) {
        m.getEngine().setRandomSeed(1234);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : base.names()) {
            NDArray a = base.load(name, m);
            out.put(name, a.add(m.randomNormal(0f, 0.05f, a.getShape(), DataType.FLOAT32)));
        }
        return new MapWeights(out, "perturbed");
    }

    @Test
    void causalLmInPlaceEqualsFreshModelAndRestores() {
        Path dir = Fixtures.dir("llama", "qwen2");
        try (NDManager m = manager.newSubManager()) {
            HfConfig cfg = HfConfig.read(dir.resolve("config.json"));
            MapWeights base = Fixtures.weights(dir, m);
            MapWeights other = perturbed(base, m);
            Map<String, NDArray> exp = Fixtures.expected(dir, m);
            NDArray ids = exp.get("input_ids");
            try (CausalLanguageModel model = (CausalLanguageModel) ModelRegistry.load(cfg, base, m);
                 CausalLanguageModel fresh = (CausalLanguageModel) ModelRegistry.load(cfg, other, m)) {
                NDArray live = model.parameter("model.layers.0.self_attn.q_proj.bias");
                model.snapshot();
                for (String name : model.parameterNames()) {
                    model.setParameter(name, other.arrays().get(name));
                }
                assertSame(live, model.parameter("model.layers.0.self_attn.q_proj.bias"), "arrays are not replaced");
                Fixtures.assertClose("in-place qwen2 logits vs fresh model", model.logits(model.ownWeights(), ids, null),
                        fresh.logits(fresh.ownWeights(), ids, null), 1e-6);
                model.restore();
                Fixtures.assertClose("restored qwen2 logits vs reference", model.logits(model.ownWeights(), ids, null),
                        exp.get("logits"), Fixtures.TOL);
            }
        }
    }

    @Test
    void clipInPlaceIncludingScalarLogitScale() {
        Path dir = Fixtures.dir("clip", "quickgelu");
        try (NDManager m = manager.newSubManager()) {
            HfConfig cfg = HfConfig.read(dir.resolve("config.json"));
            MapWeights base = Fixtures.weights(dir, m);
            MapWeights other = perturbed(base, m);
            Map<String, NDArray> e = Fixtures.expected(dir, m);
            NDList in = new NDList(e.get("pixel_values"), e.get("input_ids"), e.get("attention_mask"));
            try (ClipModel model = (ClipModel) ModelRegistry.load(cfg, base, m);
                 ClipModel fresh = (ClipModel) ModelRegistry.load(cfg, other, m)) {
                model.snapshot();
                for (String name : model.parameterNames()) {
                    // a bf16-free but differently typed source: float64 is converted on write
                    model.setParameter(name, other.arrays().get(name).toType(DataType.FLOAT64, false));
                }
                NDList got = model.forward(new ParameterStore(m, false), in, false);
                NDList want = fresh.forward(new ParameterStore(m, false), in, false);
                for (int i = 0; i < want.size(); i++) {
                    Fixtures.assertClose("in-place clip output " + i + " vs fresh model", got.get(i), want.get(i), 1e-6);
                }
                model.restore();
                Fixtures.assertClose("restored clip logits_per_image", model.forward(new ParameterStore(m, false), in, false).get(0),
                        e.get("logits_per_image"), Fixtures.TOL);
            }
        }
    }

    @Test
    void wrongShapeOrNameIsRejected() {
        Path dir = Fixtures.dir("gpt2", "tiny");
        try (NDManager m = manager.newSubManager();
             HfModelBlock model = ModelRegistry.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, m), m)) {
            AmalgamException shape = assertThrows(AmalgamException.class,
                    () -> model.setParameter("transformer.ln_f.weight", m.ones(new ai.djl.ndarray.types.Shape(31))));
            assertTrue(shape.getMessage().contains("transformer.ln_f.weight"), shape.getMessage());
            AmalgamException name = assertThrows(AmalgamException.class,
                    () -> model.setParameter("lm_head.weight", m.ones(new ai.djl.ndarray.types.Shape(300, 32))));
            assertTrue(name.getMessage().contains("lm_head.weight"), name.getMessage());
            assertThrows(IllegalStateException.class, model::restore);
        }
    }
}
