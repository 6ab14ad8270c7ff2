package dev.amalgam.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.amalgam.AmalgamException;
import dev.amalgam.model.CausalLm;
import dev.amalgam.model.Fixtures;
import dev.amalgam.model.HfConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Llama / Mistral / Qwen2 against the python3-torch reference (src/scripts/make_model_fixtures.py, following
 * modeling_llama / modeling_qwen2): plain RoPE, linear and llama3 rope scaling, GQA, Qwen2 q/k/v bias with
 * tied embeddings.
 */
class LlamaModelTest {
    static NDManager manager;

    @BeforeAll
    static void init() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "llama_linear_rope", "llama3_rope", "qwen2", "mistral"})
    void matchesReference(String kase) {
        Path dir = Fixtures.dir("llama", kase);
        try (NDManager m = manager.newSubManager();
             LlamaModel model = LlamaModel.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, m), m)) {
            Map<String, NDArray> exp = Fixtures.expected(dir, m);
            Fixtures.assertClose(kase + " rope inv_freq", m.create(model.config().ropeInvFreq()),
                    exp.get("rope_inv_freq"), 1e-6);
            NDArray ids = exp.get("input_ids");
            Fixtures.assertClose(kase + " last_hidden_state", model.hiddenStates(model.ownWeights(), ids, null),
                    exp.get("last_hidden_state"), Fixtures.TOL);
            Fixtures.assertClose(kase + " logits", model.logits(model.ownWeights(), ids, null), exp.get("logits"),
                    Fixtures.TOL);
            long[] prompt = Fixtures.longs(exp.get("prompt_ids"));
            double ll = CausalLm.logLikelihood(model, prompt, Fixtures.longs(exp.get("continuation_ids")));
            double want = exp.get("continuation_loglik").getFloat(0);
            System.out.printf("PARITY %-40s max|d| = %.3e%n", kase + " continuation loglik", Math.abs(ll - want));
            assertEquals(want, ll, Fixtures.TOL);
            long[] greedy = Fixtures.longs(exp.get("greedy_ids"));
            assertArrayEquals(greedy, CausalLm.greedy(model, prompt, greedy.length, -1, false), kase + " uncached");
            assertArrayEquals(greedy, CausalLm.greedy(model, prompt, greedy.length, -1, true), kase + " cached");
        }
    }

    @Test
    void cachedStepsEqualUncachedRecomputation() {
        Path dir = Fixtures.dir("llama", "llama3_rope");
        try (NDManager m = manager.newSubManager();
             LlamaModel model = LlamaModel.load(HfConfig.read(dir.resolve("config.json")), Fixtures.weights(dir, m), m);
             var cache = model.newCache()) {
            long[] seq = {5, 17, 42, 8, 99, 3, 61};
            NDArray full = model.logits(model.ownWeights(), m.create(seq).reshape(1, seq.length), null);
            NDArray stitched = null;
            int[] cuts = {0, 3, 4, 5, 7};
            for (int c = 0; c + 1 < cuts.length; c++) {
                long[] part = Arrays.copyOfRange(seq, cuts[c], cuts[c + 1]);
                NDArray l = model.logits(model.ownWeights(), m.create(part).reshape(1, part.length), cache);
                stitched = stitched == null ? l : stitched.concat(l, 1);
            }
            assertEquals(seq.length, cache.length());
            Fixtures.assertClose("llama3_rope cached vs uncached logits", stitched, full, 1e-5);
        }
    }

    @Test
    void unsupportedRopeScalingIsAClearError() throws Exception {
        HfConfig c = new HfConfig(new ObjectMapper().readTree(
                "{\"hidden_size\":32,\"num_attention_heads\":4,\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4}}"),
                "x/config.json");
        AmalgamException e = assertThrows(AmalgamException.class, () -> LlamaConfig.from(c));
        assertTrue(e.getMessage().contains("yarn") && e.getMessage().contains("x/config.json"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTheTensor() {
        Path dir = Fixtures.dir("llama", "llama");
        try (NDManager m = manager.newSubManager()) {
            var weights = Fixtures.weights(dir, m);
            weights.arrays().put("model.norm.weight", m.zeros(new ai.djl.ndarray.types.Shape(31)));
            AmalgamException e = assertThrows(AmalgamException.class,
                    () -> LlamaModel.load(HfConfig.read(dir.resolve("config.json")), weights, m));
            assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
        }
    }
}
